"""Which ward or commune issued a document: read from its issuing body ("Ủy ban nhân dân phường
Thành Đông", "ĐẢNG ỦY PHƯỜNG LÊ CHÂN", "UBND XÃ AN BÌNH") and compared with the ward that imports
it. Pure functions.

A ward that imports another ward's plan by mistake would track work it never planned; the
comparison ignores case, diacritics and the "phường/xã/đặc khu" prefix, since the seeds write
the same ward as "Phường Lê Chân", "phường Lê Chân" and "PHƯỜNG LÊ CHÂN".
"""

# The patterns below are words of Vietnamese plan documents: they stay Vietnamese whatever the
# interface language.

import re

from theodoi.core.text import fold_key
from theodoi.importer.recognise.targets import fold_aligned

# The kind of local body, folded; "thi tran" (town) is a commune-level body too.
_PLACE_WORD_RE = re.compile(r"(?<![a-z])(phuong|xa|dac khu|thi tran)\s+(?=\S)")
# Where the name ends: punctuation, a bracket or a new clause ("phường X về việc …").
_NAME_END_RE = re.compile(r"\s*(?:[,;:.()\[\]“”\"]|\s(?:ve|tai|nam|giai doan)\s|$)")
# "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH ĐÔNG", "ĐẢNG ỦY PHƯỜNG LÊ CHÂN", "UBND XÃ …": a header line
# that is the issuing body and nothing else (folded).
_HEADER_LINE_RE = re.compile(
    r"^(?P<body>uy ban nhan dan|ubnd|dang uy|dang bo|ban thuong vu dang uy)\s+"
    r"(?P<kind>phuong|xa|dac khu|thi tran)\s+(?P<name>[a-z0-9 -]{2,60})$"
)
# Vietnamese on purpose: the bodies' names as documents write them, stored as the issuer.
_BODIES = {
    "uy ban nhan dan": "Ủy ban nhân dân",
    "ubnd": "UBND",
    "dang uy": "Đảng ủy",
    "dang bo": "Đảng bộ",
    "ban thuong vu dang uy": "Ban Thường vụ Đảng ủy",
}
# Vietnamese on purpose: the ward's kind as part of the issuer's name.
_KINDS = {"phuong": "phường", "xa": "xã", "dac khu": "đặc khu", "thi tran": "thị trấn"}


def issuer_place(issuer: str) -> str:
    """The name of the ward or commune ``issuer`` names, as written ("Thành Đông"), or "" when
    it names none ("Ban Thường vụ Đảng ủy phường")."""
    text = " ".join(issuer.split())
    folded = fold_aligned(text)
    # The last one: "… thành phố X, phường Y" is issued in Y.
    places = list(_PLACE_WORD_RE.finditer(folded))
    if not places:
        return ""
    start = places[-1].end()
    end = _NAME_END_RE.search(folded, start)
    name = text[start : end.start() if end else len(text)].strip(" -–")
    return name


def header_issuer(line: str) -> str:
    """The issuing body a header line states ("ỦY BAN NHÂN DÂN PHƯỜNG THÀNH ĐÔNG" → "Ủy ban
    nhân dân phường Thành Đông"), or "" when the line is not such a header."""
    text = " ".join(line.strip().strip("*#").split())
    # A header line is written in capitals; a sentence naming the body is not a header.
    match = _HEADER_LINE_RE.match(fold_aligned(text)) if text.isupper() else None
    if match is None:
        return ""
    name = text[match.start("name") :].strip()
    # The name as ordinarily written ("THÀNH ĐÔNG" → "Thành Đông").
    name = " ".join(word[:1].upper() + word[1:].lower() for word in name.split())
    return f"{_BODIES[match.group('body')]} {_KINDS[match.group('kind')]} {name}"


def place_key(name: str) -> str:
    """A ward's name for comparison: folded, without punctuation and without its prefix."""
    key = fold_key(name)
    for prefix in ("phuong ", "xa ", "dac khu ", "thi tran "):
        if key.startswith(prefix):
            return key[len(prefix) :].strip()
    return key


def other_issuer_place(issuer: str, ward_name: str) -> str:
    """The ward or commune named by ``issuer`` when it is not ``ward_name``; "" when the
    issuer names none or names the same one."""
    place = issuer_place(issuer)
    if not place or not place_key(ward_name):
        return ""
    return "" if place_key(place) == place_key(ward_name) else place
