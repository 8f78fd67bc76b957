"""Matching the unit names written in a plan to a ward's units: pure functions.

DESIGN.md §1: one unit has many spellings; matching ignores case, diacritics, punctuation and
the ward's own name, and "Các cơ quan, đơn vị" means every unit.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from theodoi.core.text import fold_key

# Phrases that stand for all units of the ward, folded.
ALL_UNITS_PHRASES = (
    "cac co quan don vi",
    "cac phong ban don vi",
    "cac phong ban nganh don vi",
    "cac phong ban",
    "cac don vi",
    "cac co quan",
)
# Words that say which level a unit sits at, not which unit it is.
_LEVEL_WORDS = re.compile(r"\b(phuong|xa)\b")


# Cached: an import keys the same few dozen unit names and cells hundreds of times.
@lru_cache(maxsize=4096)
def unit_key(text: str, ward_name: str = "") -> str:
    """The comparable form of a unit name: folded, without punctuation, the ward's own name
    ("Phường Lê Chân", "Lê Chân") or level words."""
    key = f" {fold_key(text)} "
    if ward_name:
        ward = fold_key(ward_name)
        bare_ward = _LEVEL_WORDS.sub(" ", ward).strip()
        for name in (ward, bare_ward):
            if name:
                key = key.replace(f" {name} ", " ")
    key = _LEVEL_WORDS.sub(" ", key)
    return " ".join(key.split())


@dataclass
class UnitMatch:
    unit_ids: list[int] = field(default_factory=list)
    all_units: bool = False
    unmatched: list[str] = field(default_factory=list)
    # The folded text with every matched name blanked out, aligned with the folded text.
    remaining: str = ""


def match_units(raw: str, catalogue: Mapping[str, int], *, ward_name: str = "") -> UnitMatch:
    """Find the units named in ``raw`` ("Phòng VH-XH; Công an phường").

    ``catalogue`` maps each canonical name and alias (as written) to a unit id. The longest
    names match first, so "Phòng Kinh tế, Hạ tầng và Đô thị" is not read as "Phòng Kinh tế".
    Text left over after matching is returned, so a caller can propose a new unit instead of
    dropping it.
    """
    keyed: dict[str, int] = {}
    for name, unit_id in catalogue.items():
        key = unit_key(name, ward_name)
        if key:
            keyed.setdefault(key, unit_id)
    result = UnitMatch()
    remaining = f" {unit_key(raw, ward_name)} "
    for phrase in ALL_UNITS_PHRASES:
        if f" {phrase} " in remaining:
            result.all_units = True
            # Blanked, not removed, so the text keeps the places of the names in it.
            remaining = remaining.replace(f" {phrase} ", " " * (len(phrase) + 2))
    found: dict[int, int] = {}  # unit id -> where the text first names it
    for key in sorted(keyed, key=len, reverse=True):
        where = remaining.find(f" {key} ")
        if where >= 0:
            # A mark as long as the name, so the places of the names matched later stay true.
            remaining = remaining.replace(f" {key} ", " |" + " " * len(key))
            unit_id = keyed[key]
            found[unit_id] = min(where, found.get(unit_id, where))
    # In the order the text names them: the first unit named leads.
    result.unit_ids.extend(sorted(found, key=found.__getitem__))
    result.remaining = remaining
    filler = {"", "va", "trung tam", "nganh"}
    for part in re.split(r"\|", remaining):
        words = " ".join(part.split())
        if words and words not in filler:
            result.unmatched.append(words)
    return result


# A comma separates two units only when the next piece starts like a unit's name; otherwise it
# is inside one name ("Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng KT, HT & ĐT").
_UNIT_HEADS = (
    "phong",
    "van phong",
    "trung tam",
    "cong an",
    "ban",
    "uy ban",
    "ubnd",
    "ubmt",
    "mttq",
    "tram",
    "cac",
    "doanh nghiep",
    "truong",
    "to ",
    "hoi",
    "doan",
    "chi bo",
    "dang uy",
    "hdnd",
    "vp",
    "ca ",
    "cong dan",
    "nguoi dan",
    "buu dien",
    "benh vien",
    "nha mang",
    "vien thong",
)
# Words for "whoever is concerned": kept as written on the task, never proposed as a unit.
GENERIC_PHRASES = (
    "co quan to chuc lien quan",
    "cac co quan lien quan",
    "to chuc lien quan",
    "co quan",
    "don vi",
    "lien quan",
    "cac ben lien quan",
    "ca nhan",
)
_HARD_SPLIT_RE = re.compile(r"[;\n()]|\s-\s|\s+và\s+(?=[A-ZĐÀ-Ỹ])")
# Only what never falls inside one unit's name: "Phòng Văn hóa - Xã hội" and "Văn phòng HĐND và
# UBND" are one name each.
_SURE_SPLIT_RE = re.compile(r"[;\n]")


def name_segments(raw: str) -> list[str]:
    """``raw`` cut where one unit's name surely ends (";", a new line, a comma before a unit's
    name), so each segment is usually one unit as the document spells it."""
    return [piece for piece in _pieces(raw, _SURE_SPLIT_RE) if piece]


def _pieces(raw: str, split_re: re.Pattern[str] = _HARD_SPLIT_RE) -> list[str]:
    pieces: list[str] = []
    for part in split_re.split(raw):
        current = ""
        for chunk in part.split(","):
            key = fold_key(chunk)
            if current and any(key.startswith(head.strip()) for head in _UNIT_HEADS):
                pieces.append(current)
                current = chunk
            else:
                current = f"{current},{chunk}" if current else chunk
        if current:
            pieces.append(current)
    return [piece.strip(" .,:;-") for piece in pieces]


def unknown_names(raw: str, match: UnitMatch, *, ward_name: str = "") -> list[str]:
    """The pieces of ``raw`` (as written, with their diacritics) that named no known unit, so
    they can be proposed as new units instead of being dropped."""
    if not match.unmatched:
        return []
    leftovers = [f" {text} " for text in match.unmatched]
    folded = f" {unit_key(raw, ward_name)} "
    names: list[str] = []
    cursor = 0
    for piece in _pieces(raw):
        key = unit_key(piece, ward_name)
        if not key or key in ALL_UNITS_PHRASES or key in GENERIC_PHRASES:
            continue
        if piece[:1].islower():
            # A name is written with a capital ("Phòng …", "Hội …", "VNPT"); a lower-case piece
            # is a fragment of a phrase ("xã hội" of "các đoàn thể chính trị - xã hội", "các"
            # of "các sở, ngành"), which must never become a unit of its own.
            continue
        where = folded.find(f" {key} ", cursor)
        if where >= 0 and len(match.remaining) == len(folded):
            # The piece at its own place in the text: it is unknown only if no name matched
            # there ("Xã hội" of a matched "Phòng Văn hóa - Xã hội" is not a leftover "Hội").
            cursor = where + len(key) + 1
            unknown = match.remaining[where : where + len(key) + 2] == f" {key} "
        else:
            unknown = any(f" {key} " in leftover for leftover in leftovers)
        if unknown and piece not in names:
            names.append(piece)
    return names
