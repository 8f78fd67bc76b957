"""The coverage of an import: which blocks of the document became what in the draft, and which
were left out, so that a person can finish the draft by hand. Pure functions.

A block is a paragraph or a table row, named by its ``source`` ("line 214", "table 3 row 7",
"paragraph 12"). The draft's items list the blocks they were read from: a task's ``row`` may
list several ("line 12, line 13"), an indicator rebuilt from many lines a span ("line
550–589"), the plan's identity its ``sources``. A block no item lists is context by nature
(the grounds and purpose, the recipients, the signature, the letterhead) or left out. Left-out
blocks in the parts that should hold tasks (NHIỆM VỤ, GIẢI PHÁP, TỔ CHỨC THỰC HIỆN, an
appendix) are the ones a person most needs to see; blocks nothing classifies are listed too.

Text is counted in characters without spaces, so a table's padding does not count.
"""

# The patterns below are words of Vietnamese plan documents (folded): they stay Vietnamese
# whatever the interface language; only the warnings go through gettext.

import re
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from theodoi.core.text import fold, fold_key
from theodoi.importer.document import Document, Paragraph, Row, Table
from theodoi.importer.draft import CoverageBlock, Draft, DraftCoverage, DraftTask, where
from theodoi.importer.recognise.assignment import read_assignment, split_assignment
from theodoi.importer.recognise.narrative import (
    BULLET,
    LETTER,
    NUMBER,
    NUMBER_PATH,
    PART_END,
    ROMAN,
)
from theodoi.importer.recognise.tables import is_header_row
from theodoi.importer.recognise.tasks import next_code

# The few-tasks rule. Plans state a task in one to three sentences: in the five seed plans
# the text that could state tasks (read as tasks, or left out: not context, identity,
# indicators or budget) comes to 260–660 characters per task read. Three times 700, in a
# document long enough to judge, means tasks were glued together or missed: a plan whose 45
# bullet-point tasks gave 2 tasks has thousands of characters per task.
USUAL_TEXT_PER_TASK = 700
FEW_TASKS_TEXT_PER_TASK = 3 * USUAL_TEXT_PER_TASK
FEW_TASKS_MIN_TEXT = 4000
# A task with this much text may be several tasks joined (the longest task of the seeds has
# some 600 characters; a PDF's broken lines make many blocks of one short task, so the
# number of blocks says nothing).
LONG_TASK_CHARS = 1500
# Characters of a left-out block kept in the draft: enough to add it as a task by hand.
KEPT_TEXT = 2000
# Blocks named in the summary warning; the full list is in the coverage.
_NAMED = 6
# Lines between two rows of a flattened table that are still its labels, at most.
_LABEL_RUN = 16

# Markdown's "#", "*" and "_" may stand around a marker ("**II.** NHIỆM VỤ").
_ROMAN_RE = re.compile(rf"^[\s#*_]*(?P<code>{ROMAN}){PART_END}\s*[*_]*\s*(?P<title>\S.*)$")
# "Phần thứ hai", "Phần I" (not "phấn đấu", "phần mềm": folded, they read alike).
_PART_WORD_RE = re.compile(r"^phan (?:thu \w+|[ivx]+|\d+)\b")
_APPENDIX_RE = re.compile(r"^phu luc\b")
# Words a heading does not end with, folded: a line that ends so goes on on the next.
_OPEN_ENDINGS = frozenset(
    [
        "ngay",
        "va",
        "cua",
        "cho",
        "voi",
        "cac",
        "trong",
        "theo",
        "ve",
        "la",
        "de",
        "tai",
        "tu",
        "den",
        "nhung",
        "mot",
    ]
)
# "1. Mục đích", "a) Yêu cầu", "**2.** Yêu cầu": a numbered subheading.
_SUB_RE = re.compile(rf"^[\s#*_]*(?:{NUMBER}|{LETTER})\s*[.)]\s*[*_]*\s*(?P<title>\S.*)$")
_MARKUP_RE = re.compile(r"[*_#`]+")
_LEAD_RE = re.compile(r"^[\s*#_\-–•+]+")

# Part titles (folded). A part that states tasks, or targets; else one that is context by
# nature when its title begins with one of _CONTEXT_STARTS.
_TASK_WORDS = (
    "nhiem vu",
    "giai phap",
    "to chuc thuc hien",
    "phan cong",
    "noi dung thuc hien",
    "chuong trinh hanh dong",
    "hoat dong",
)
# General aims and vision: context, though they sit among the targets.
_GENERAL_TARGETS = ("muc tieu tong quat", "muc tieu chung", "tam nhin", "dinh huong")
_TARGET_WORDS = ("muc tieu", "chi tieu")
_CONTEXT_STARTS = (
    "can cu",
    "muc dich",
    "yeu cau",
    "quan diem",
    "thuc trang",
    "tinh hinh",
    "ket qua dat duoc",
    "ket qua thuc hien",
    "han che",
    "kho khan",
    "nguyen nhan",
    "boi canh",
    "danh gia",
    "su can thiet",
    "kinh phi",
    "nguon von",
    "hieu luc",
    "dieu khoan",
)
# Lines that are context wherever they stand: grounds, recipients, the signature, the national
# motto, an appendix's title and its "(Kèm theo Kế hoạch …)" line.
_CONTEXT_LINE_RE = re.compile(
    r"^(?:can cu\b|noi nhan\b|luu\s*:|luu (?:vt|van thu|vp)\b|kt[./]|tm[./]|t/m\b|"
    r"(?:pho )?chu tich$|(?:pho )?bi thu$|\(?da ky\)?$|cong hoa xa hoi chu nghia viet nam|"
    r"doc lap\s*-\s*tu do|dang cong san viet nam|\(?(?:ban hanh )?kem theo\b|phu luc\b|"
    r"bieu (?:so )?\w{1,4}$)"
)
_TOTAL_RE = re.compile(r"^(?:tong|cong)\b")
_SIGNATURE_RE = re.compile(r"^(?:kt[./]|tm[./]|t/m\b|(?:pho )?chu tich$|(?:pho )?bi thu$)")

# Strongest first: a block read as a task and as a section heading counts as a task.
_CLAIM_ORDER = ("tasks", "indicators", "budget", "sections", "identity", "cadence")


@dataclass
class _Unit:
    """A block of the document as the coverage counts it: a paragraph or one table row."""

    source: str
    text: str
    chars: int
    position: int
    paragraph: Paragraph | None = None
    row: Row | None = None
    table: Table | None = None


@dataclass
class _Place:
    """Where a block stands: the part of the document and what that part holds."""

    kind: str  # "preamble", "task", "target", "context", "recipients", "other"
    title: str = ""
    index: int = 0  # counts the parts, so a block's nearest section is sought in its own part


def measure(document: Document, draft: Draft) -> DraftCoverage:
    """Which blocks of ``document`` became what in ``draft``."""
    units = _units(document)
    claims = _claims(document, draft)
    places = _places(units)
    has_parts = any(place.kind not in ("preamble", "other") for place in places.values())
    # The kind of item each table's rows were read as (its first such row's).
    table_kinds: dict[int, str] = {}
    for unit in units:
        if unit.table is not None and unit.source in claims:
            table_kinds.setdefault(id(unit.table), claims[unit.source])
    kinds: list[str] = []
    signature_left = 0
    for index, unit in enumerate(units):
        kind = claims.get(unit.source)
        if kind is None:
            following = units[index + 1] if index + 1 < len(units) else None
            kind, signature_left = _unclaimed_kind(
                unit,
                places[unit.position],
                has_parts=has_parts,
                table_kind=table_kinds.get(id(unit.table)),
                following=following if following and following.source in claims else None,
                signature_left=signature_left,
            )
        else:
            signature_left = 0
        kinds.append(kind)
    _flattened_table_labels(units, kinds)
    coverage = DraftCoverage(chars={}, blocks={})
    for unit, kind in zip(units, kinds, strict=True):
        coverage.chars[kind] = coverage.chars.get(kind, 0) + unit.chars
        coverage.blocks[kind] = coverage.blocks.get(kind, 0) + 1
    coverage.left_out = _left_out(draft, units, kinds, places)
    coverage.tasks = len(draft.tasks)
    coverage.task_text = coverage.chars.get("tasks", 0) + coverage.chars.get("left_out", 0)
    coverage.few_tasks = coverage.task_text >= FEW_TASKS_MIN_TEXT and (
        coverage.task_text / max(coverage.tasks, 1) > FEW_TASKS_TEXT_PER_TASK
    )
    coverage.long_tasks = [task.code for task in draft.tasks if _is_long(task)]
    return coverage


def _is_long(task: DraftTask) -> bool:
    return _chars(task.title) >= LONG_TASK_CHARS


def _left_out(
    draft: Draft, units: list[_Unit], kinds: list[str], places: dict[int, _Place]
) -> list[CoverageBlock]:
    """The left-out blocks in reading order; a paragraph that goes on in lower case after a
    left-out one (a sentence broken across lines) joins it, so it is read and added whole."""
    positions = _positions(units)
    blocks: list[CoverageBlock] = []
    previous: Paragraph | None = None  # the left-out paragraph just before
    for unit, kind in zip(units, kinds, strict=True):
        if kind != "left_out":
            previous = None
            continue
        place = places[unit.position]
        if (
            previous is not None
            and unit.paragraph is not None
            and blocks[-1].part == place.title
            and _goes_on(previous, unit.paragraph)
            and len(blocks[-1].text) + len(unit.text) < KEPT_TEXT
        ):
            last = blocks[-1]
            last.source = f"{last.source}, {unit.source}"
            last.text = f"{last.text} {unit.text}"
            last.chars += unit.chars
            previous = unit.paragraph
            continue
        blocks.append(
            CoverageBlock(
                source=unit.source,
                text=unit.text[:KEPT_TEXT],
                chars=unit.chars,
                part=place.title,
                task_part=place.kind == "task",
                section=_section_before(draft, positions, unit, places),
            )
        )
        previous = unit.paragraph
    return blocks


_SENTENCE_END = (".", ";", ":", "!", "?", "…", ")", "”", '"')
# A paragraph that opens an item of its own: a bullet, "1.", "1.2.", "a)", "(3)".
_ITEM_START_RE = re.compile(rf"^\s*(?:{BULLET}\s|{NUMBER_PATH}[.)]\s|{LETTER}\)\s|\({NUMBER}\)\s)")


def _goes_on(previous: Paragraph, paragraph: Paragraph) -> bool:
    """Whether ``paragraph`` carries on the sentence of ``previous`` (a line broken by a PDF
    conversion): it starts in lower case, or the sentence before is unfinished and this is
    no item or heading of its own."""
    if _ITEM_START_RE.match(paragraph.text) or paragraph.heading or paragraph.bold:
        return False  # "a) …" opens an item of its own, though it starts in lower case
    if paragraph.text[:1].islower():
        return True
    if previous.heading or previous.bold or previous.text.rstrip("* ").endswith(_SENTENCE_END):
        return False
    # "29/7/2025 của UBND phường …" after "… ngày": a number that opens no item goes on; a
    # capital after a short numbered line may open the text under a heading.
    return paragraph.text[:1].isdigit() or _is_subheading(previous) is None


def _flattened_table_labels(units: list[_Unit], kinds: list[str]) -> None:
    """A table flattened to one paragraph per cell (PDF text) leaves its header labels and
    group titles ("Stt Chỉ tiêu", "Mức", "(Cơ sở)", "2030", "I Phát triển hạ tầng") next to
    the rows read as indicators or budget lines: a run of short left-out lines that touches
    such a row is the table's labels."""
    index = 0
    while index < len(units):
        if not _is_label(units[index], kinds[index]):
            index += 1
            continue
        end = index
        while end < len(units) and _is_label(units[end], kinds[end]):
            end += 1
        touches = {kinds[i] for i in (index - 1, end) if 0 <= i < len(units)}
        if end - index <= _LABEL_RUN and touches & {"indicators", "budget"}:
            kinds[index:end] = ["context"] * (end - index)
        index = end


def _is_label(unit: _Unit, kind: str) -> bool:
    """A short line that opens no item: a bullet or "1." beside a table is content."""
    return (
        kind == "left_out"
        and unit.paragraph is not None
        and unit.chars <= 60
        and not _ITEM_START_RE.match(unit.text)
    )


def add_coverage(document: Document, draft: Draft) -> None:
    """Measure the coverage into ``draft.coverage`` and say what a person must look at in
    its warnings: few tasks for the text first, then long tasks and left-out blocks."""
    coverage = measure(document, draft)
    draft.coverage = coverage
    if coverage.few_tasks:
        draft.warnings.insert(0, few_tasks_message(coverage))
    for task in draft.tasks:
        if not _is_long(task):
            continue
        draft.warnings.append(
            gettext(
                "Task %(code)s was read from %(blocks)s blocks (%(where)s), %(chars)s "
                "characters in all: check that it is one task and not several joined."
            )
            % {
                "code": task.code,
                "blocks": len(_sources(task.row)),
                "where": where(_short_span(task.row)),
                "chars": _number(_chars(task.title)),
            }
        )
    if coverage.left_out:
        coverage.summary = left_out_message(coverage)
        draft.warnings.append(coverage.summary)


def left_out_message(coverage: DraftCoverage) -> str:
    """The warning that sums up the left-out blocks, naming the first by their lines."""
    # The blocks of the parts that hold tasks first; each by its first line.
    ordered = sorted(coverage.left_out, key=lambda block: not block.task_part)
    named = ", ".join(where(block.source.split(",")[0]) for block in ordered[:_NAMED])
    return ngettext(
        "%(count)s block of the document's text became nothing in the draft "
        "(%(where)s%(more)s; %(in_tasks)s in the parts that hold tasks). It is listed "
        "with its text under «Left out», where it can be added as a task.",
        "%(count)s blocks of the document's text became nothing in the draft "
        "(%(where)s%(more)s; %(in_tasks)s in the parts that hold tasks). They are "
        "listed with their text under «Left out», where each can be added as a task.",
        len(coverage.left_out),
    ) % {
        "count": len(coverage.left_out),
        "where": named,
        "more": "…" if len(coverage.left_out) > _NAMED else "",
        "in_tasks": sum(1 for block in coverage.left_out if block.task_part),
    }


def few_tasks_message(coverage: DraftCoverage) -> str:
    if not coverage.tasks:
        return gettext(
            "No task was read, although %(text)s characters of the document could state "
            "tasks. Tasks written as bullet points, lettered items or sentences may have been "
            "left out: check the left-out blocks and add the tasks."
        ) % {"text": _number(coverage.task_text)}
    return ngettext(
        "Few tasks for the text: %(text)s characters of the document could state tasks "
        "(read as tasks or left out), and %(tasks)s task was read from them, %(per_task)s "
        "characters per task, where plans usually have under %(usual)s. Tasks written as "
        "bullet points or lettered items may have been joined or left out: check the tasks "
        "and the left-out blocks.",
        "Few tasks for the text: %(text)s characters of the document could state tasks "
        "(read as tasks or left out), and %(tasks)s tasks were read from them, %(per_task)s "
        "characters per task, where plans usually have under %(usual)s. Tasks written as "
        "bullet points or lettered items may have been joined or left out: check the tasks "
        "and the left-out blocks.",
        coverage.tasks,
    ) % {
        "text": _number(coverage.task_text),
        "tasks": coverage.tasks,
        "per_task": _number(coverage.task_text // max(coverage.tasks, 1)),
        "usual": _number(USUAL_TEXT_PER_TASK),
    }


def add_left_out_task(draft: Draft, source: str) -> DraftTask | None:
    """Add the left-out block ``source`` to ``draft`` as a task, its text as the title, in
    the section nearest before it, with the next free code; the block leaves the left-out
    list and its text counts as tasks. None when no left-out block has that source."""
    coverage = draft.coverage
    if coverage is None:
        return None
    block = next((b for b in coverage.left_out if b.source == source), None)
    if block is None:
        return None
    section = block.section if any(s.code == block.section for s in draft.sections) else ""
    # A bullet's dash or an item's number ("6. ") is no part of the task's name; the units and
    # deadline its sentences state are read as for any task written as prose.
    text = _ITEM_START_RE.sub("", block.text, count=1).strip()
    title, assigning = split_assignment(text)
    said = read_assignment(text)
    task = DraftTask(
        code=next_code(draft.tasks, section),
        title=title,
        section=section,
        lead_units_raw=said.lead,
        coordinating_units_raw=said.coordinating,
        deadline_text=said.deadline,
        note=assigning,
        row=block.source,
        row_text=block.text,
    )
    # After the section's last task, so the list keeps the document's order by section.
    after = max(
        (index for index, other in enumerate(draft.tasks) if other.section == section),
        default=len(draft.tasks) - 1,
    )
    draft.tasks.insert(after + 1, task)
    coverage.left_out.remove(block)
    coverage.added.append(block.source)
    for name, step in (("left_out", -1), ("tasks", 1)):
        coverage.chars[name] = coverage.chars.get(name, 0) + step * block.chars
        coverage.blocks[name] = coverage.blocks.get(name, 0) + step
    coverage.tasks = len(draft.tasks)
    if coverage.summary in draft.warnings:
        # The summary says what is left out now, in the language of who added the block.
        index = draft.warnings.index(coverage.summary)
        coverage.summary = left_out_message(coverage) if coverage.left_out else ""
        if coverage.summary:
            draft.warnings[index] = coverage.summary
        else:
            del draft.warnings[index]
    return task


# --- The blocks and what claims them ---------------------------------------------------------


def _chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _units(document: Document) -> list[_Unit]:
    units: list[_Unit] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            units.append(
                _Unit(block.source, block.text, _chars(block.text), len(units), paragraph=block)
            )
            continue
        for row in block.rows:
            text = " | ".join(cell.strip() for cell in row.cells if cell.strip())
            units.append(_Unit(row.source, text, _chars(text), len(units), row=row, table=block))
    return units


_SPAN_RE = re.compile(r"^(?P<head>.*\b(?:line|row|paragraph)) (?P<first>\d+)[–-](?P<last>\d+)$")


def _sources(text: str) -> list[str]:
    """The block sources one ``row`` lists: "line 12, line 13"; "line 550–589" is every
    line from 550 to 589."""
    found: list[str] = []
    for part in text.split(","):
        part = " ".join(part.split())
        span = _SPAN_RE.match(part)
        if span and 0 <= int(span["last"]) - int(span["first"]) <= 5000:
            first, last = int(span["first"]), int(span["last"])
            found.extend(f"{span['head']} {number}" for number in range(first, last + 1))
        elif part:
            found.append(part)
    return found


def _short_span(row: str) -> str:
    """ "line 12, line 13, …, line 40" as "line 12–40" when the sources are lines in order."""
    sources = _sources(row)
    numbers = [int(s[5:]) for s in sources if re.fullmatch(r"line \d+", s)]
    if len(sources) > 2 and len(numbers) == len(sources):
        return f"line {min(numbers)}–{max(numbers)}"
    return row


def _claims(document: Document, draft: Draft) -> dict[str, str]:
    """Each source the draft's items were read from, with the kind of item."""
    listed: dict[str, list[str]] = {
        "tasks": [task.row for task in draft.tasks],
        "indicators": [indicator.row for indicator in draft.indicators],
        "budget": [line.row for line in draft.budget],
        "sections": [section.row for section in draft.sections],
        "identity": list(draft.plan.sources),
        "cadence": _cadence_sources(document, draft.plan.reporting_cycle_source),
    }
    claims: dict[str, str] = {}
    for kind in _CLAIM_ORDER:
        for row in listed[kind]:
            for source in _sources(row):
                claims.setdefault(source, kind)
    return claims


def _cadence_sources(document: Document, sentence: str) -> list[str]:
    """The paragraphs the reporting-cycle sentence was read from: the recogniser joins a
    sentence broken across lines, so each paragraph holding part of it counts."""
    key = fold_key(sentence)
    if not key:
        return []
    found = []
    for paragraph in document.paragraphs():
        text = fold_key(paragraph.text)
        if len(text) >= 12 and (text[:60] in key or key[:60] in text):
            found.append(paragraph.source)
    return found


def _positions(units: list[_Unit]) -> dict[str, int]:
    """The position of each source in reading order; a table's own source is its first row."""
    positions: dict[str, int] = {}
    for unit in units:
        positions.setdefault(unit.source, unit.position)
        if unit.table is not None and unit.table.source:
            positions.setdefault(unit.table.source, unit.position)
    return positions


# --- Where a block stands ---------------------------------------------------------------------


def _plain(text: str) -> str:
    """Folded text without markup and leading bullets: what the patterns read."""
    return _LEAD_RE.sub("", fold(_MARKUP_RE.sub(" ", text))).strip()


def _part_kind(title: str) -> str:
    roman = _ROMAN_RE.match(title)
    folded = _plain(roman.group("title") if roman else title)
    if any(word in folded for word in _TASK_WORDS):
        return "task"
    if any(word in folded for word in _GENERAL_TARGETS):
        return "context"
    if any(word in folded for word in _TARGET_WORDS):
        return "target"
    if folded.startswith(_CONTEXT_STARTS):
        return "context"
    return "other"


def _sub_kind(title: str) -> str | None:
    """A numbered subheading overrides its part only when it plainly opens context or
    targets ("1. Mục đích", "2. Yêu cầu", "1. Mục tiêu tổng quát")."""
    folded = _plain(title)
    if any(word in folded for word in _GENERAL_TARGETS) or folded.startswith(_CONTEXT_STARTS):
        return "context"
    if folded.startswith(_TARGET_WORDS):
        return "target"
    return None


def _is_part_heading(paragraph: Paragraph) -> str | None:
    """The title of a part heading ("III. NHIỆM VỤ, GIẢI PHÁP", "PHỤ LỤC I", "Phần thứ
    hai"), or None."""
    text = _MARKUP_RE.sub(" ", paragraph.text).strip()
    if not text or len(text) > 200:
        return None
    roman = _ROMAN_RE.match(paragraph.text)
    if roman:
        return " ".join(text.split())
    plain = _plain(text)
    if _APPENDIX_RE.match(plain) or _PART_WORD_RE.match(plain):
        return " ".join(text.split())
    return None


def _is_subheading(paragraph: Paragraph) -> str | None:
    match = _SUB_RE.match(paragraph.text)
    if not match:
        return None
    text = _MARKUP_RE.sub(" ", match.group("title")).strip()
    last = fold(text).split()[-1:] or [""]
    short = (
        len(text) <= 150
        and not text.rstrip().endswith((".", ";", ","))
        # A line broken in mid-sentence ("… số 12/KH-UBND, ngày") is no heading.
        and last[0] not in _OPEN_ENDINGS
    )
    return text if (paragraph.heading or paragraph.bold or short) else None


def _marker(text: str) -> tuple[str, int]:
    """("1", 3) for "3. …", ("a", 2) for "b) …": the style and the number of an item."""
    match = re.match(r"^[\s#*_]*(\d{1,2}|[a-zđ])", text)
    value = match.group(1) if match else ""
    if value.isdigit():
        return "1", int(value)
    # Vietnamese on purpose: the letters Vietnamese lists count with, "đ" after "d".
    return "a", "abcdđefghiklmnopqrstuvxy".find(value) + 1


def _follows(marker: tuple[str, int], current: tuple[str, int] | None) -> bool:
    """Whether a subheading ends the one that set the place's kind: the next of the same
    list ("2." after "1."), not an item under it ("1." or "a)" after "3. Tầm nhìn")."""
    return current is None or (marker[0] == current[0] and marker[1] > current[1])


def _places(units: list[_Unit]) -> dict[int, _Place]:
    """The place of every block, by position."""
    places: dict[int, _Place] = {}
    part = _Place("preamble")
    sub: str | None = None
    sub_title = ""  # the numbered subheading the block stands under, shown with the part
    sub_marker: tuple[str, int] | None = None  # the marker of the subheading that set ``sub``
    recipients = False
    titled_next = False
    for unit in units:
        paragraph = unit.paragraph
        if paragraph is not None:
            title = _is_part_heading(paragraph)
            if titled_next and title is None and len(paragraph.text) <= 200:
                # "Phần thứ hai" over its title on a line of its own.
                title = f"{part.title}: {' '.join(_MARKUP_RE.sub(' ', paragraph.text).split())}"
                part = _Place(_part_kind(paragraph.text), title, part.index)
                titled_next = False
            elif title is not None:
                kind = "task" if _APPENDIX_RE.match(_plain(title)) else _part_kind(title)
                part = _Place(kind, title, part.index + 1)
                sub, sub_title, sub_marker, recipients = None, "", None, False
                titled_next = len(_PART_WORD_RE.sub("", _plain(title)).strip(" .:-–")) < 3
            elif _plain(paragraph.text).startswith("noi nhan"):
                recipients = True
            elif not recipients:
                subheading = _is_subheading(paragraph)
                if subheading is not None:
                    marker = _marker(paragraph.text)
                    kind = _sub_kind(subheading)
                    if kind is not None or _follows(marker, sub_marker):
                        sub, sub_marker = kind, marker
                    # Only a heading the document marks as one names the blocks under it: a
                    # short numbered line of plain text may be an item of its own.
                    if paragraph.heading or paragraph.bold:
                        sub_title = " ".join(_MARKUP_RE.sub(" ", paragraph.text).split())[:120]
        elif recipients and unit.row is not None and is_header_row(unit.row):
            # A table with a header after the recipients is an appendix of its own.
            recipients = False
            part = _Place("task", part.title, part.index + 1)
            sub, sub_title = None, ""
        title = f"{part.title} › {sub_title}" if sub_title and part.title else part.title
        if recipients:
            places[unit.position] = _Place("recipients", part.title, part.index)
        elif sub is not None and part.kind != "preamble":
            places[unit.position] = _Place(sub, title, part.index)
        else:
            places[unit.position] = _Place(part.kind, title, part.index)
    return places


def _unclaimed_kind(
    unit: _Unit,
    place: _Place,
    *,
    has_parts: bool,
    table_kind: str | None,
    following: _Unit | None,
    signature_left: int,
) -> tuple[str, int]:
    """What a block no draft item lists is: "context" or "left_out"; and how many short
    lines after a signature title are still the signature (its name). ``table_kind`` is
    what the draft read other rows of the block's table as; ``following`` is the next block
    when the draft read it."""
    plain = _plain(unit.text)
    if not plain:
        return "context", signature_left
    if _SIGNATURE_RE.match(plain):
        return "context", 3
    if signature_left and len(plain) <= 60 and not plain.endswith((".", ";", ":")):
        return "context", signature_left - 1
    if place.kind in ("context", "recipients") or (place.kind == "preamble" and has_parts):
        return "context", 0
    if _CONTEXT_LINE_RE.match(plain):
        return "context", 0
    if unit.paragraph is not None and _is_heading(unit.paragraph, place):
        return "context", 0
    if unit.source == f"sheet {unit.text}":
        return "context", 0  # a spreadsheet's sheet name, which the reader gives as a title
    if unit.row is not None:
        cells = [cell.strip() for cell in unit.row.cells if cell.strip()]
        if unit.row.is_header or is_header_row(unit.row):
            return "context", 0
        if all(re.fullmatch(r"\(?\d{1,2}\)?", cell) for cell in cells):
            return "context", 0  # the row numbering the columns
        if table_kind and _TOTAL_RE.match(_plain(cells[0])):
            return table_kind, 0  # "Tổng cộng": the table's own total, read to check it
        if table_kind and _is_group_row(cells, following):
            return "context", 0
    return "left_out", 0


def _is_heading(paragraph: Paragraph, place: _Place) -> bool:
    """The document's structure rather than its content: a part's heading, an unnumbered
    heading or title line, and a numbered subheading among targets."""
    if _is_part_heading(paragraph) is not None:
        return True
    text = " ".join(_MARKUP_RE.sub(" ", paragraph.text).split())
    if len(text) > 150 or _SUB_RE.match(text) and place.kind != "target":
        return False
    if _SUB_RE.match(text):
        return _is_subheading(paragraph) is not None
    letters = [ch for ch in text if ch.isalpha()]
    return bool(paragraph.heading) or (len(letters) >= 4 and text.isupper())


def _is_group_row(cells: list[str], following: _Unit | None) -> bool:
    """A title or group row of a table the draft read: one short cell ("Biểu 1"), a Roman
    numeral or letter and a title ("I | Đến năm 2030"), or a number whose sub-items follow
    ("3 | Thực hiện TTHC …" above "3.1")."""
    if len(cells) == 1 and len(cells[0]) <= 200:
        return True
    if len(cells) == 2 and re.fullmatch(r"[IVX]{1,5}\.?|[A-Z]\.?", cells[0]):
        return len(cells[1]) <= 200
    code = re.fullmatch(r"(\d{1,2}(?:\.\d{1,2})*)\.?", cells[0]) if cells else None
    if code is None or following is None or following.row is None:
        return False
    first = next((cell.strip() for cell in following.row.cells if cell.strip()), "")
    return first.startswith(f"{code.group(1)}.") and len(first) > len(code.group(1)) + 1


def _section_before(
    draft: Draft, positions: dict[str, int], unit: _Unit, places: dict[int, _Place]
) -> str:
    """The code of the draft section that starts nearest before the block, in its part."""
    best, best_position = "", -1
    part = places[unit.position].index
    for section in draft.sections:
        sources = _sources(section.row)
        position = positions.get(sources[0]) if sources else None
        if position is None or position >= unit.position or position <= best_position:
            continue
        if places[position].index == part:
            best, best_position = section.code, position
    return best
