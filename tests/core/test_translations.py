"""The interface is Vietnamese: every message has a translation, and the compiled catalogue
matches its source (a stale .mo would show English to ward staff)."""

import ast
from pathlib import Path

from django.utils import translation

import theodoi

PO = Path(theodoi.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str, str]]:
    """(msgid, msgid_plural, msgstr) of each entry of a .po file, header left out; for a plural
    entry msgstr is its only Vietnamese form, msgstr[0]."""
    entries = []
    for block in text.split("\n\n"):
        current, parts = None, {"msgid": "", "msgid_plural": "", "msgstr": ""}
        for line in block.splitlines():
            if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ")):
                current, _, literal = line.partition(" ")
                current = "msgstr" if current == "msgstr[0]" else current
                parts[current] = ast.literal_eval(literal)
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
            elif line.startswith("msgctxt"):
                current = None
        if parts["msgid"]:
            entries.append((parts["msgid"], parts["msgid_plural"], parts["msgstr"]))
    return entries


def test_every_message_is_translated_into_vietnamese():
    entries = _entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 200
    untranslated = [msgid for msgid, _plural, msgstr in entries if not msgstr.strip()]
    assert untranslated == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_compiled_catalogue_matches_the_source():
    with translation.override("vi"):
        stale = [
            msgid
            for msgid, plural, msgstr in _entries(PO.read_text(encoding="utf-8"))
            if (translation.ngettext(msgid, plural, 2) if plural else translation.gettext(msgid))
            != msgstr
        ]
    assert stale == []
