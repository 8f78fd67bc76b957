"""The interface is Vietnamese: every message has a translation, and the compiled catalogue
matches its source (a stale .mo would show English to ward staff)."""

import ast
from pathlib import Path

from django.utils import translation

import theodoi

PO = Path(theodoi.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, header left out."""
    entries = []
    for block in text.split("\n\n"):
        current, parts = None, {"msgid": "", "msgstr": ""}
        for line in block.splitlines():
            if line.startswith(("msgid ", "msgstr ")):
                current, _, literal = line.partition(" ")
                parts[current] = ast.literal_eval(literal)
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
            elif line.startswith(("msgctxt", "msgid_plural")):
                current = None
        if parts["msgid"]:
            entries.append((parts["msgid"], parts["msgstr"]))
    return entries


def test_every_message_is_translated_into_vietnamese():
    entries = _entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 200
    untranslated = [msgid for msgid, msgstr in entries if not msgstr.strip()]
    assert untranslated == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_compiled_catalogue_matches_the_source():
    with translation.override("vi"):
        stale = [
            msgid
            for msgid, msgstr in _entries(PO.read_text(encoding="utf-8"))
            if translation.gettext(msgid) != msgstr
        ]
    assert stale == []
