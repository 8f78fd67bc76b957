"""How well the importer read a document, against what a person says the document holds.

A corpus document comes with an expected file (``<document>.expected.json``)::

    {
      "about": "what the document is modelled on",
      "scanned": false,
      "tasks": [
        {"code": "1.a", "title": "Rà soát, hoàn thiện quy chế làm việc",
         "lead": "Văn phòng HĐND và UBND", "deadline": "2026-06-30"},
        ...
      ]
    }

- ``title``: the first words of the task as the document writes them; a draft task matches when
  its title starts with them (case, diacritics, punctuation and spacing aside; for a scanned
  document, nearly starts with them, since OCR misreads some letters).
- ``lead``: the first lead unit, by its standard name when it is one of a ward's standard units
  (so "Phòng VH-XH" is written "Phòng Văn hóa - Xã hội"), else as written; "" for none.
- ``deadline``: the due date ("2026-06-30"), the recurrence ("continuous", "quarterly", …), or
  "" for none; compared with what ``parse_deadline`` reads from the draft's deadline text.
- ``code`` (optional): the task's number as the document gives it.

A scan of a document the corpus also holds as text writes ``"tasks_of": "<that document's
name>"`` instead of repeating its tasks.

Pure functions: no database. Recall is the share of expected tasks found, precision the share of
draft tasks that are expected ones; units, deadlines and codes are counted over matched tasks.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from theodoi.core.text import fold_key
from theodoi.importer.draft import Draft, DraftTask
from theodoi.org.matching import match_units, unit_key
from theodoi.org.standard_units import STANDARD_UNITS, standard_catalogue
from theodoi.plans.deadline import DeadlineKind, Recurrence, parse_deadline

# What OCR may get wrong in a title's first words and still be the same task.
SCANNED_SIMILARITY = 0.8


@dataclass
class Accuracy:
    name: str
    expected: int = 0
    found: int = 0
    matched: int = 0
    leads_right: int = 0
    deadlines_right: int = 0
    codes_checked: int = 0
    codes_right: int = 0
    # (expected title, why) for each expected task not found or read wrongly, for the report.
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else (1.0 if not self.expected else 0.0)

    @property
    def leads(self) -> float:
        return self.leads_right / self.matched if self.matched else 0.0

    @property
    def deadlines(self) -> float:
        return self.deadlines_right / self.matched if self.matched else 0.0

    @property
    def codes(self) -> float | None:
        return self.codes_right / self.codes_checked if self.codes_checked else None


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold_key(text)).split())


def _title_matches(expected: str, title: str, *, scanned: bool) -> bool:
    want, have = _words(expected), _words(title)
    if not want:
        return False
    if have.startswith(want):
        return True
    if not scanned:
        return False
    return SequenceMatcher(None, want, have[: len(want)]).ratio() >= SCANNED_SIMILARITY


def first_lead(task: DraftTask) -> str:
    """The first lead unit of a draft task: its standard name when the text names one."""
    if task.lead_units and task.lead_units[0] != "*":
        return task.lead_units[0]
    raw = task.lead_units_raw.strip()
    if not raw:
        return ""
    match = match_units(raw, standard_catalogue())
    if match.unit_ids:
        return STANDARD_UNITS[match.unit_ids[0]].name
    return re.split(r"[;,\n]", raw)[0].strip()


def _lead_right(expected: str, task: DraftTask) -> bool:
    lead = first_lead(task)
    if not expected:
        return not lead
    if unit_key(expected) == unit_key(lead):
        return True
    # A name with commas of its own ("Bộ Văn hóa, Thể thao và Du lịch") opens the text.
    if f"{unit_key(task.lead_units_raw)} ".startswith(f"{unit_key(expected)} "):
        return True
    # A standard unit named by its ward-level name ("Phòng Kinh tế, Hạ tầng và Đô thị").
    standard = match_units(expected, standard_catalogue())
    mine = match_units(lead, standard_catalogue()) if lead else None
    return bool(standard.unit_ids and mine and mine.unit_ids[:1] == standard.unit_ids[:1])


def deadline_value(task: DraftTask, plan_year: int | None) -> str:
    """The deadline as the expected files write it: a due date, a recurrence, or ""."""
    text = task.deadline_text.strip()
    if not text:
        return ""
    parsed = parse_deadline(text, plan_year=plan_year)
    if parsed.recurrence != Recurrence.NONE:
        return parsed.recurrence.value
    if parsed.kind == DeadlineKind.UNKNOWN or parsed.due_date is None:
        return ""
    return parsed.due_date.isoformat()


def measure(name: str, draft: Draft, expected: dict[str, Any]) -> Accuracy:
    scanned = bool(expected.get("scanned"))
    wanted = list(expected.get("tasks", []))
    result = Accuracy(name=name, expected=len(wanted), found=len(draft.tasks))
    plan_year = draft.plan.issued_on.year if draft.plan.issued_on else None
    free = list(draft.tasks)
    for item in wanted:
        task = next(
            (t for t in free if _title_matches(item["title"], t.title, scanned=scanned)), None
        )
        if task is None:
            result.misses.append(f"{item['title'][:60]}: not found")
            continue
        free.remove(task)
        result.matched += 1
        if _lead_right(item.get("lead", ""), task):
            result.leads_right += 1
        else:
            result.misses.append(
                f"{item['title'][:60]}: lead «{first_lead(task)}», expected «{item.get('lead')}»"
            )
        got = deadline_value(task, plan_year)
        if got == item.get("deadline", ""):
            result.deadlines_right += 1
        else:
            result.misses.append(
                f"{item['title'][:60]}: deadline «{got}» (from «{task.deadline_text[:40]}»), "
                f"expected «{item.get('deadline', '')}»"
            )
        if "code" in item:
            result.codes_checked += 1
            if task.code == item["code"]:
                result.codes_right += 1
            else:
                result.misses.append(
                    f"{item['title'][:60]}: code «{task.code}», expected «{item['code']}»"
                )
    return result
