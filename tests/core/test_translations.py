"""The interface is Vietnamese: every message has a translation, and the compiled catalogue
matches its source (a stale .mo would show English to ward staff)."""

import ast
from pathlib import Path

from django.utils import translation

import theodoi

PO = Path(theodoi.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str, str]]:
    """(msgid, msgid_plural, msgstr) of each entry of a .po file, header left out; for a plural
    entry msgstr is its only Vietnamese form, msgstr[0]. An entry with a context (msgctxt)
    has its msgid written "context\x04msgid", as gettext keys it."""
    entries = []
    for block in text.split("\n\n"):
        current, parts = None, {"msgctxt": "", "msgid": "", "msgid_plural": "", "msgstr": ""}
        for line in block.splitlines():
            if line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ")):
                current, _, literal = line.partition(" ")
                current = "msgstr" if current == "msgstr[0]" else current
                parts[current] = ast.literal_eval(literal)
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
        if parts["msgid"]:
            msgid = (
                f"{parts['msgctxt']}\x04{parts['msgid']}" if parts["msgctxt"] else parts["msgid"]
            )
            entries.append((msgid, parts["msgid_plural"], parts["msgstr"]))
    return entries


def _translated(msgid: str, plural: str) -> str:
    context, _, text = msgid.rpartition("\x04")
    if context:
        return translation.pgettext(context, text)
    return translation.ngettext(msgid, plural, 2) if plural else translation.gettext(msgid)


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
            if _translated(msgid, plural) != msgstr
        ]
    assert stale == []
