"""Which units a draft names, read before it is saved: pure functions.

A plan writes one unit many ways ("Phòng VH-XH", "VHXH", "Phòng Văn hóa - Xã hội"). The names
are resolved against lists of units in order: the ward's own units when the plan is read for a
ward, then the standard units of a ward or commune (``standard_units.STANDARD_UNITS``) for the
rest, so a plan read before it belongs to any ward still shows its canonical units. Each unit
found says which list placed it; a name no list places is kept as written with the rows it was
read from, never dropped.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from theodoi.core.text import fold_key
from theodoi.importer.draft import Draft
from theodoi.org.matching import match_units, name_segments, unit_key, unknown_names
from theodoi.org.standard_units import STANDARD_UNITS, standard_catalogue

# Which list placed a unit.
WARD = "ward"
STANDARD = "standard"

# "UBND phường (Phòng Văn hóa, Xã hội; Trung tâm Dịch vụ tổng hợp)": the People's Committee
# acting through the units in brackets, which are the real leads.
THROUGH_RE = re.compile(r"^\s*(UBND|Ủy ban nhân dân)[^()]*\((?P<inner>.+)\)\s*$", re.IGNORECASE)
# The words that say a body's level, folded; "xã" and "thị trấn" are communes.
_LEVEL_RE = re.compile(r"\b(phuong|xa|thi tran|dac khu)\b")
_COMMUNE_WORDS = ("xa", "thi tran")


@dataclass(frozen=True)
class UnitList:
    """Units to resolve names against: every spelling → a key, and each key's canonical name."""

    source: str  # WARD or STANDARD
    catalogue: Mapping[str, int]
    names: Mapping[int, str]


def standard_unit_list(*, is_ward: bool) -> UnitList:
    """The standard units, named as a ward (or a commune) names them."""
    names = {index: unit.name_for(is_ward=is_ward) for index, unit in enumerate(STANDARD_UNITS)}
    return UnitList(source=STANDARD, catalogue=standard_catalogue(is_ward=is_ward), names=names)


def is_commune(place: str) -> bool:
    """Whether a body's place ("Xã An Bình", "UBND phường Lê Chân") is a commune, not a ward:
    the first level word decides, so a ward named "… Xá" stays a ward."""
    first = _LEVEL_RE.search(fold_key(place))
    return bool(first and first.group(1) in _COMMUNE_WORDS)


@dataclass(frozen=True)
class PlacedUnit:
    name: str
    source: str


@dataclass
class ResolvedNames:
    """The units one cell of the plan names, in the order it names them (the first leads)."""

    units: list[PlacedUnit] = field(default_factory=list)
    all_units: bool = False
    unplaced: list[str] = field(default_factory=list)
    # (the spelling as written, the unit it names)
    spellings: list[tuple[str, PlacedUnit]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return ["*"] if self.all_units else [unit.name for unit in self.units]


def _position(folded: str, unit_list: UnitList, unit_id: int, place: str) -> int:
    """Where ``folded`` first names the unit by any of its spellings (its length if none)."""
    found = [
        folded.find(f" {key} ")
        for name, other in unit_list.catalogue.items()
        if other == unit_id and (key := unit_key(name, place))
    ]
    return min((where for where in found if where >= 0), default=len(folded))


def _place(raw: str, lists: Sequence[UnitList], place: str) -> ResolvedNames:
    through = THROUGH_RE.match(raw)
    text = through.group("inner") if through else raw
    result = ResolvedNames()
    folded = f" {unit_key(text, place)} "
    found: list[tuple[int, int, PlacedUnit]] = []  # (where, order found, unit)
    pending = [text] if text.strip() else []
    for unit_list in lists:
        still: list[str] = []
        for piece in pending:
            match = match_units(piece, unit_list.catalogue, ward_name=place)
            result.all_units = result.all_units or match.all_units
            offset = max(folded.find(f" {unit_key(piece, place)} "), 0)
            piece_folded = f" {unit_key(piece, place)} "
            for unit_id in match.unit_ids:
                unit = PlacedUnit(unit_list.names[unit_id], unit_list.source)
                where = offset + _position(piece_folded, unit_list, unit_id, place)
                found.append((where, len(found), unit))
            still.extend(name for name in unknown_names(piece, match, ward_name=place))
        pending = still
    for _where, _order, unit in sorted(found, key=lambda item: item[:2]):
        if unit not in result.units:
            result.units.append(unit)
    result.unplaced = list(dict.fromkeys(pending))
    return result


def resolve_names(raw: str, lists: Sequence[UnitList], *, place: str = "") -> ResolvedNames:
    """The units ``raw`` names ("Phòng VH-XH; Công an phường"), looked up in ``lists`` in
    order: what one list does not place goes on to the next. ``place`` is the ward's own name,
    which a unit's name may carry ("Công an phường Lê Chân")."""
    result = _place(raw, lists, place)
    through = THROUGH_RE.match(raw)
    text = through.group("inner") if through else raw
    named: set[PlacedUnit] = set()
    for segment in name_segments(text):
        alone = _place(segment, lists, place)
        if len(alone.units) == 1 and not alone.unplaced and not alone.all_units:
            result.spellings.append((segment, alone.units[0]))
            named.add(alone.units[0])
            continue
        # "VP. HĐND & UBND, TTDVTH": commas that the segmenting kept may still part two names.
        for piece in (piece.strip(" .,:;-") for piece in segment.split(",")):
            one = _place(piece, lists, place) if piece else None
            if one and len(one.units) == 1 and not one.unplaced and not one.all_units:
                result.spellings.append((piece, one.units[0]))
                named.add(one.units[0])
        # A unit no smaller piece names alone: the segment as written is its spelling.
        for unit in alone.units:
            if unit not in named:
                result.spellings.append((" ".join(segment.split()), unit))
                named.add(unit)
    return result


@dataclass
class UnitGroup:
    """One canonical unit with every spelling the plan gives it."""

    unit: PlacedUnit
    spellings: list[str] = field(default_factory=list)
    tasks: int = 0
    indicators: int = 0


@dataclass
class UnplacedName:
    name: str
    rows: list[str] = field(default_factory=list)


@dataclass
class DraftUnits:
    """The units of a whole draft: per task, and gathered by canonical unit."""

    level: str  # "ward" or "commune": which names the standard list gives
    sources: list[str]  # the lists used, in order
    leads: list[ResolvedNames] = field(default_factory=list)  # one per draft task
    coordinating: list[ResolvedNames] = field(default_factory=list)
    groups: list[UnitGroup] = field(default_factory=list)
    unplaced: list[UnplacedName] = field(default_factory=list)

    def task_json(self, index: int) -> dict[str, Any]:
        return {
            role: [{"name": unit.name, "source": unit.source} for unit in names.units]
            for role, names in (
                ("lead", self.leads[index]),
                ("coordinating", self.coordinating[index]),
            )
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "sources": list(self.sources),
            "units": [
                {
                    "name": group.unit.name,
                    "source": group.unit.source,
                    "spellings": list(group.spellings),
                    "tasks": group.tasks,
                    "indicators": group.indicators,
                }
                for group in self.groups
            ],
            "unplaced": [{"name": name.name, "rows": list(name.rows)} for name in self.unplaced],
        }


def _group(
    groups: dict[PlacedUnit, UnitGroup], names: ResolvedNames, counted: set[PlacedUnit], kind: str
) -> None:
    """Each spelling under its unit; a unit counted once per task (or indicator), as ``kind``."""
    for spelling, unit in names.spellings:
        group = groups.setdefault(unit, UnitGroup(unit))
        if spelling not in group.spellings:
            group.spellings.append(spelling)
        if unit not in counted:
            counted.add(unit)
            setattr(group, kind, getattr(group, kind) + 1)


def _unplaced(found: dict[str, UnplacedName], names: list[str], row: str) -> None:
    for name in names:
        entry = found.setdefault(name, UnplacedName(name))
        if row and row not in entry.rows:
            entry.rows.append(row)


def resolve_draft_names(
    draft: Draft, lists: Sequence[UnitList], *, level: str, place: str = ""
) -> DraftUnits:
    """Resolve every task's lead and coordinating units against ``lists``; fill each task's
    ``lead_units``, ``coordinating_units`` (canonical names, "*" for every unit) and
    ``unknown_units`` (the names no list places, as written). The indicators' lead and
    monitoring units join the summary: their spellings are the plan's too."""
    result = DraftUnits(level=level, sources=[unit_list.source for unit_list in lists])
    groups: dict[PlacedUnit, UnitGroup] = {}
    unplaced: dict[str, UnplacedName] = {}
    for task in draft.tasks:
        lead = resolve_names(task.lead_units_raw, lists, place=place)
        coordinating = resolve_names(task.coordinating_units_raw, lists, place=place)
        # A unit that leads is not also one that coordinates, as when saving.
        coordinating.units = [unit for unit in coordinating.units if unit not in lead.units]
        result.leads.append(lead)
        result.coordinating.append(coordinating)
        task.lead_units = lead.names
        task.coordinating_units = coordinating.names
        task.unknown_units = list(dict.fromkeys(lead.unplaced + coordinating.unplaced))
        counted: set[PlacedUnit] = set()
        for names in (lead, coordinating):
            _group(groups, names, counted, "tasks")
        _unplaced(unplaced, task.unknown_units, task.row)
    for indicator in draft.indicators:
        counted = set()
        for raw in (indicator.lead_unit, indicator.monitoring_unit):
            names = resolve_names(raw, lists, place=place)
            _group(groups, names, counted, "indicators")
            _unplaced(unplaced, names.unplaced, indicator.row)
    # The most used units first; ties in the order the plan first names them.
    result.groups = sorted(groups.values(), key=lambda group: (-group.tasks, -group.indicators))
    result.unplaced = list(unplaced.values())
    return result
