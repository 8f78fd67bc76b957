"""Which wards a province plan gives a task to, read from its lead-unit cell: "UBND các xã,
phường" (every ward and commune of the province), "UBND phường Lê Chân; UBND phường Thành Đông"
(those two), or none (the province's own departments lead it). Pure functions.

A province's plan names its wards as bodies that carry the task out, not as departments of the
province: those names must never be proposed as new units of the province. What is left once
they are taken out (``WardReading.rest``) names the departments, if any.
"""

# The patterns below are words of Vietnamese plan documents: they stay Vietnamese whatever the
# interface language.

import re
from collections.abc import Mapping
from dataclasses import dataclass

from theodoi.core.text import fold_key
from theodoi.importer.recognise.targets import fold_aligned

ALL_WARDS = "all_wards"
LISTED_WARDS = "listed_wards"

_KIND = r"(?:phuong|xa|dac khu|thi tran)"
_BODY = r"(?:(?:ubnd|uy ban nhan dan)\s+)"
# "UBND các xã, phường, đặc khu", "các phường, xã", "Ủy ban nhân dân cấp xã" (folded).
_COLLECTIVE_RE = re.compile(
    rf"(?<![a-z0-9]){_BODY}?(?:cap\s+xa|cac\s+{_KIND}(?:\s*(?:,|\bva\b)\s*{_KIND})*)(?![a-z0-9])"
)
# "UBND phường Lê Chân", "xã An Bình": one ward or commune, named at the start of a piece.
_NAMED_RE = re.compile(rf"^{_BODY}?(?P<kind>{_KIND})\s+(?P<name>\S.*)$")
# Where one body's name ends and the next one's starts.
_SEPARATOR_RE = re.compile(r"(\s*[;,]\s*|\s+và\s+)")
# "Các sở, ban, ngành": in a province's plan, every department of the province (folded).
_ALL_DEPARTMENTS_RE = re.compile(r"(?<![a-z0-9])cac\s+so(?:\s*,?\s*(?:ban|nganh))*(?![a-z0-9])")
# "Xã hội" of "Sở Lao động, Thương binh và Xã hội" is no commune.
_NOT_A_NAME = ("hoi",)


@dataclass(frozen=True)
class WardReading:
    """``assignment``: "" (the province's own departments), ``ALL_WARDS`` or ``LISTED_WARDS``;
    ``ward_ids``: the listed wards found, in the order named; ``unknown``: names of wards (as
    written) that are none of the province's; ``rest``: the text without the wards' names."""

    assignment: str = ""
    ward_ids: tuple[int, ...] = ()
    unknown: tuple[str, ...] = ()
    rest: str = ""


def ward_key(name: str) -> str:
    """A ward's name to compare: folded, without punctuation or its kind ("Phường Lê Chân",
    "phường Lê Chân", "LE CHAN" → "le chan")."""
    key = fold_key(name)
    return re.sub(rf"^{_BODY}?{_KIND}\s+", "", key).strip()


def _named(piece: str) -> str:
    """The ward's name a piece states ("UBND phường Lê Chân" → "Lê Chân"), or ""."""
    text = piece.strip(" .:-")
    match = _NAMED_RE.match(fold_aligned(text))
    if match is None or match.group("name").startswith(_NOT_A_NAME):
        return ""
    return text[match.start("name") :].strip(" .:-")


def _listed_after(text: str) -> list[str]:
    """Names listed after a collective word ("các phường: Lê Chân, Thành Đông"), or none when
    what follows is not a list of names."""
    head = text.lstrip(" :")
    if not head[:1].isupper():
        return []
    end = head.find(";")
    names = _SEPARATOR_RE.split(head if end < 0 else head[:end])
    return [name.strip(" .:-") for name in names[::2] if name.strip(" .:-")]


def _listed_length(text: str) -> int:
    """How much of ``text`` (after a collective word) the list of names takes."""
    head = text.lstrip(" :")
    end = head.find(";")
    return len(text) - len(head) + (len(head) if end < 0 else end)


def read_wards(raw: str, wards: Mapping[int, str]) -> WardReading:
    """Read which of ``wards`` (id → name: the province's wards and communes) the lead-unit
    text ``raw`` gives the task to."""
    text = " ".join(re.sub(r"\s*\n\s*", "; ", raw.strip()).split())
    folded = fold_aligned(text)
    every = False
    names: list[str] = []
    kept: list[str] = []
    cursor = 0
    for match in _COLLECTIVE_RE.finditer(folded):
        if match.start() < cursor:
            continue
        kept.append(text[cursor : match.start()])
        listed = _listed_after(text[match.end() :])
        if listed:
            names.extend(listed)
            cursor = match.end() + _listed_length(text[match.end() :])
        else:
            every = True
            cursor = match.end()
    kept.append(text[cursor:])
    rest_pieces: list[str] = []
    for part in kept:
        tokens = _SEPARATOR_RE.split(part)
        pieces: list[str] = []
        previous_kept = False
        for index in range(0, len(tokens), 2):
            piece = tokens[index]
            name = _named(piece)
            if name:
                names.append(name)
                previous_kept = False
                continue
            if not piece.strip(" .:-"):
                continue
            # Two pieces that stood side by side keep the separator between them ("Sở Văn hóa,
            # Thể thao và Du lịch" stays one name).
            separator = tokens[index - 1] if previous_kept and index else "; "
            pieces.append(f"{separator}{piece}" if pieces else piece)
            previous_kept = True
        if pieces:
            rest_pieces.append("".join(pieces).strip(" ;,"))
    rest = "; ".join(piece for piece in rest_pieces if piece)
    keys = {ward_key(name): pk for pk, name in wards.items()}
    found: list[int] = []
    unknown: list[str] = []
    for name in names:
        pk = keys.get(ward_key(name))
        if pk is None:
            if name not in unknown:
                unknown.append(name)
        elif pk not in found:
            found.append(pk)
    if every:
        return WardReading(assignment=ALL_WARDS, unknown=tuple(unknown), rest=rest)
    if found:
        return WardReading(
            assignment=LISTED_WARDS, ward_ids=tuple(found), unknown=tuple(unknown), rest=rest
        )
    return WardReading(unknown=tuple(unknown), rest=rest)


def without_wards(raw: str) -> str:
    """``raw`` without the names of wards and communes in it: the departments it names."""
    return read_wards(raw, {}).rest


def every_department(raw: str) -> tuple[bool, str]:
    """Whether ``raw`` names every department of the province ("Các sở, ban, ngành"), and the
    text without those words."""
    folded = fold_aligned(raw)
    match = _ALL_DEPARTMENTS_RE.search(folded)
    if match is None:
        return False, raw
    return True, f"{raw[: match.start()]} {raw[match.end() :]}".strip(" ;,")
