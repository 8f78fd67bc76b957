"""Sections and tasks: from the appendix task tables, and from numbered items in the body's
"NHIỆM VỤ" part. Pure functions.

A task table has a task column and a lead-unit or deadline column. Its rows are:
- section rows: a Roman numeral (or letter) and a title, nothing else ("I. Nâng cao nhận thức");
- task rows: a code ("1", "2.3.") in the code column, or at the start of the task text when code
  and text share a column ("1. Chỉ đạo …");
- subtask rows: a two-level code ("1.2"), in the code column or in a subtask column
  ("Tiểu nhiệm vụ (Con)"), the parent being the task with the first part of the code; a row with
  an empty code cell under a task whose subtask cell carries a code is that task's subtask;
- rows without any code: tasks numbered in order, with a warning.
Nothing in a row is dropped: every cell lands in a field, or in the note with its column name.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from theodoi.core.text import fold
from theodoi.importer.document import Document, Paragraph
from theodoi.importer.draft import DraftSection, DraftTask, where
from theodoi.importer.recognise.tables import LogicalRow, LogicalTable

_ROMAN_RE = re.compile(r"^\s*(?P<code>[IVXL]+|[A-Z])\s*[.\-–)]?\s*(?P<title>.*)$", re.DOTALL)
_CODE_TEXT_RE = re.compile(
    r"^\s*(?P<code>\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)]?\s+(?P<text>\S.*)$", re.DOTALL
)
_CODE_ONLY_RE = re.compile(r"^\s*(?P<code>\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)]?\s*$")


@dataclass
class _Columns:
    code: int | None
    title: int | None
    subtask: int | None
    output: int | None
    kpi: int | None
    lead: int | None
    coordinating: int | None
    accountable: int | None
    deadline: int | None
    notes: list[int]


def _columns(table: LogicalTable) -> _Columns | None:
    header = [fold(label) for label in table.header]

    def find(predicate) -> int | None:
        return next((i for i, label in enumerate(header) if predicate(label)), None)

    subtask = find(lambda h: "tieu nhiem vu" in h or "nhiem vu con" in h)
    title = find(
        lambda h: (
            ("nhiem vu" in h or "noi dung" in h)
            and "tieu nhiem vu" not in h
            and "nhiem vu con" not in h
        )
    )
    lead = find(lambda h: "chu tri" in h)
    deadline = find(lambda h: "thoi gian" in h or "thoi han" in h)
    coordinating = find(lambda h: "phoi hop" in h)
    output = find(lambda h: "san pham" in h or h.startswith("ket qua"))
    # A list of names with a lead agency only (a proposal list) is not a task table: a task
    # table says when, or who with whom and what comes out.
    if title is None or (
        deadline is None and (lead is None or (coordinating is None and output is None))
    ):
        return None
    code = find(lambda h: h in ("stt", "tt", "so tt", "ma") or h.startswith("stt"))
    if code is None and "ma nhiem vu" in header[title]:
        code = title  # "(1) Mã Nhiệm vụ Tổng quát": code and text share the column
    columns = _Columns(
        code=code,
        title=title,
        subtask=subtask,
        output=output,
        kpi=find(lambda h: "kpi" in h),
        lead=lead,
        coordinating=coordinating,
        accountable=find(lambda h: "nguoi dung dau" in h or "chiu trach nhiem" in h),
        deadline=deadline,
        notes=[],
    )
    used = {v for v in vars(columns).values() if isinstance(v, int)}
    columns.notes = [i for i in range(len(header)) if i not in used]
    return columns


def is_task_table(table: LogicalTable) -> bool:
    return _columns(table) is not None


def _normal_code(code: str) -> str:
    return code.strip().rstrip(".)").strip()


def _section_of(row: LogicalRow, columns: _Columns) -> tuple[str, str] | None:
    """(code, title) when the row is a section row: a Roman numeral or letter and a title."""
    filled = [(i, c.strip()) for i, c in enumerate(row.cells) if c.strip()]
    if not filled or len(filled) > 2:
        return None
    first_index, first = filled[0]
    if len(filled) == 2:
        # "I | Nâng cao nhận thức …": the numeral alone in the code cell.
        match = re.fullmatch(r"(?P<code>[IVXL]+|[A-Z])\s*[.\-–]?", first)
        if match and first_index == (columns.code if columns.code is not None else 0):
            return match.group("code"), filled[1][1]
        return None
    match = _ROMAN_RE.match(first)
    if not match or not match.group("title").strip():
        return None
    code = match.group("code")
    # A single capital letter alone is a section only in the code position, with a title
    # that does not start in lower case ("A. Nhiệm vụ chung", not "A và B").
    if len(code) == 1 and code not in "IVXL" and not row.bold:
        return None
    return code, match.group("title").strip()


def _note(row: LogicalRow, table: LogicalTable, indexes: list[int]) -> str:
    parts = []
    for index in indexes:
        text = row.cell(index).strip()
        if text:
            label = table.header[index].strip()
            parts.append(f"{label}: {text}" if label else text)
    return "\n".join(parts)


def _split_code(text: str) -> tuple[str, str]:
    match = _CODE_TEXT_RE.match(text)
    if match:
        return _normal_code(match.group("code")), match.group("text").strip()
    return "", text.strip()


def tasks_from_table(
    table: LogicalTable, *, section_prefix: str = ""
) -> tuple[list[DraftSection], list[DraftTask], list[str]]:
    """Sections, tasks and warnings of one task table."""
    columns = _columns(table)
    if columns is None:
        return [], [], []
    sections: list[DraftSection] = []
    tasks: list[DraftTask] = []
    warnings: list[str] = []
    section_code = section_prefix
    parent: DraftTask | None = None
    # The subtask text written on a general task's own row, until a second subtask row shows
    # that the task really has subtasks (seed 001 V.7).
    pending: tuple[str, dict, str] | None = None
    for row in table.rows:
        section = _section_of(row, columns)
        if section:
            section_code = section[0]
            sections.append(DraftSection(code=section_code, title=section[1], row=row.source))
            parent, pending = None, None
            continue
        code_cell = row.cell(columns.code).strip()
        title = row.cell(columns.title).strip()
        subtask_text = row.cell(columns.subtask).strip() if columns.subtask is not None else ""
        if columns.code == columns.title:
            code, title = _split_code(title)
        else:
            code = _normal_code(code_cell) if _CODE_ONLY_RE.match(code_cell) else ""
            if code_cell and not code:
                title = f"{code_cell} {title}".strip()
        sub_code, sub_title = _split_code(subtask_text) if subtask_text else ("", "")
        note = _note(row, table, columns.notes)
        fields = dict(
            output=row.cell(columns.output).strip(),
            kpi=row.cell(columns.kpi).strip(),
            lead_units_raw=row.cell(columns.lead).strip(),
            coordinating_units_raw=row.cell(columns.coordinating).strip(),
            accountable=row.cell(columns.accountable).strip(),
            deadline_text=row.cell(columns.deadline).strip(),
            section=section_code,
            row=row.source,
            row_text=" | ".join(cell.strip() for cell in row.cells),
        )
        if not any([code, title, sub_code, sub_title, *list(fields.values())[:-3]]) and not note:
            continue
        if code and "." in code and parent is not None and code.split(".")[0] == parent.code:
            # "2.1" in the code column: a subtask of task 2.
            tasks.append(DraftTask(code=code, title=title, parent=parent.code, note=note, **fields))
            continue
        if not code and title and parent is not None and not sub_code:
            # A row with an empty code cell under a task is a subtask of it ("- Cập nhật …").
            number = sum(1 for t in tasks if t.parent == parent.code and t.section == section_code)
            code = f"{parent.code}.{number + 1}"
            detail = f"{table.header[columns.subtask].strip()}: {subtask_text}" if sub_title else ""
            extra = "\n".join(p for p in (detail, note) if p)
            tasks.append(_subtask(code, title.lstrip("-+•– ").strip(), parent, fields, extra))
            warnings.append(
                gettext(
                    "%(where)s: a row without a number under task %(parent)s was imported as "
                    "subtask %(code)s. Please check."
                )
                % {"where": where(row.source, capital=True), "parent": parent.code, "code": code}
            )
            continue
        if code or title:
            if not code:
                code = _next_code(tasks, section_code)
                warnings.append(
                    gettext(
                        "%(where)s: a task without a number was numbered %(code)s "
                        "(section %(section)s). Please check."
                    )
                    % {
                        "where": where(row.source, capital=True),
                        "code": code,
                        "section": section_code or "—",
                    }
                )
            task = DraftTask(code=code, title=title or sub_title, note=note, **fields)
            if sub_code and parent_code_of(sub_code) == code:
                # General task with its first subtask on the same row (seed 001 V.1).
                task.note = note
                tasks.append(task)
                tasks.append(_subtask(sub_code, sub_title, task, fields, ""))
            else:
                if sub_title and fold(sub_title) not in fold(task.title):
                    detail = f"{table.header[columns.subtask].strip()}: {subtask_text}"
                    task.note = "\n".join(p for p in (detail, note) if p)
                    pending = (sub_title, fields, detail)
                else:
                    pending = None
                tasks.append(task)
            parent = task
            continue
        if sub_code and parent is not None:
            tasks.append(_subtask(sub_code, sub_title, parent, fields, note))
            continue
        if sub_title and parent is not None:
            # A subtask row without a code under a task: number the subtasks in order, the
            # first being the one written on the task's own row.
            if pending is not None:
                first_title, first_fields, detail = pending
                parent.note = "\n".join(p for p in parent.note.split("\n") if p and p != detail)
                tasks.append(_subtask(f"{parent.code}.1", first_title, parent, first_fields, ""))
                pending = None
            number = sum(1 for t in tasks if t.parent == parent.code and t.section == section_code)
            code = f"{parent.code}.{number + 1}"
            tasks.append(_subtask(code, sub_title, parent, fields, note))
            warnings.append(
                gettext("%(where)s: a subtask without a number was numbered %(code)s.")
                % {"where": where(row.source, capital=True), "code": code}
            )
            continue
        # Neither a code nor a task text: keep what there is on the previous task.
        if tasks:
            extra = "; ".join(c.strip() for c in row.cells if c.strip())
            tasks[-1].note = "\n".join(p for p in (tasks[-1].note, extra) if p)
            tasks[-1].row = f"{tasks[-1].row}, {row.source}"
            warnings.append(
                gettext(
                    "%(where)s: no task title; the content was written into the note of task "
                    "%(code)s."
                )
                % {"where": where(row.source, capital=True), "code": tasks[-1].code}
            )
    return sections, tasks, warnings


def parent_code_of(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def _subtask(code: str, title: str, parent: DraftTask, fields: dict, note: str) -> DraftTask:
    values = dict(fields)
    return DraftTask(code=code, title=title, parent=parent.code, note=note, **values)


def _next_code(tasks: list[DraftTask], section: str) -> str:
    top = [t for t in tasks if t.section == section and not t.parent]
    numbers = [int(t.code) for t in top if t.code.isdigit()]
    return str(max(numbers, default=0) + 1)


# --- Tasks written in the body --------------------------------------------------------------

_ITEM_RE = re.compile(r"^\s*(?P<code>\d{1,2}(?:\.\d{1,2})?)\.?\s+(?P<text>\S.*)$", re.DOTALL)
_PART_RE = re.compile(r"^\s*(#+\s*)?\**\s*(?P<code>[IVX]+)\s*[.\-–]\s*(?P<title>.+)$")


def tasks_from_body(
    document: Document, *, bullets: bool = False
) -> tuple[list[DraftSection], list[DraftTask], list[str]]:
    """Numbered items "n.m." inside the body's "NỘI DUNG NHIỆM VỤ" part: each "n." is a section,
    each "n.m." a task of it (seed 004's items 1.1–7.5). With ``bullets`` (for a plan that has
    no task table at all), a part without such items gives its "- " lines as tasks, each taking
    the deadline of the "Thời gian hoàn thành: …" line that follows it (seed 003)."""
    sections: list[DraftSection] = []
    tasks: list[DraftTask] = []
    inside = False
    current: DraftTask | None = None
    for block in document.blocks:
        if not isinstance(block, Paragraph):
            current = None
            continue
        part = _PART_RE.match(block.text)
        if part:
            title = fold(part.group("title"))
            inside = "nhiem vu" in title and "to chuc thuc hien" not in title
            current = None
            continue
        if not inside:
            continue
        item = _ITEM_RE.match(block.text)
        if item and "." in item.group("code"):
            section_code = item.group("code").split(".")[0]
            if not any(s.code == section_code for s in sections):
                sections.append(DraftSection(code=section_code, title="", row=block.source))
            current = DraftTask(
                code=item.group("code"),
                title=item.group("text").strip(),
                section=section_code,
                row=block.source,
                row_text=block.text,
            )
            tasks.append(current)
        elif item:
            sections.append(
                DraftSection(
                    code=item.group("code"), title=item.group("text").strip(), row=block.source
                )
            )
            current = None
        elif current is not None and block.text[:1].islower():
            # A line broken by the conversion: the item goes on.
            current.title = f"{current.title} {block.text.strip()}"
            current.row = f"{current.row}, {block.source}"
            current.row_text = f"{current.row_text}\n{block.text}"
    if not tasks and bullets:
        return _bullet_tasks(document)
    # Keep only sections that received tasks: "n." items without "n.m." are prose headings.
    used = {t.section for t in tasks}
    sections = [s for s in sections if s.code in used]
    return _dedupe_sections(sections), tasks, []


_BULLET_RE = re.compile(r"^\s*[-–•]\s+(?P<text>\S.*)$", re.DOTALL)
_SUB_BULLET_RE = re.compile(r"^\s*\+\s*\S")
_DEADLINE_LINE_RE = re.compile(
    r"^\s*Thời\s+(?:gian|hạn)\s+(?:hoàn\s+thành|thực\s+hiện)\s*:\s*(?P<text>.+)$",
    re.IGNORECASE | re.DOTALL,
)


def _bullet_tasks(document: Document) -> tuple[list[DraftSection], list[DraftTask], list[str]]:
    sections: list[DraftSection] = []
    tasks: list[DraftTask] = []
    waiting: list[DraftTask] = []  # tasks of the current group, until their deadline line
    unplaced: list[str] = []
    inside = False
    current: DraftTask | None = None
    for block in document.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = block.text.strip()
        part = _PART_RE.match(text)
        if part:
            title = fold(part.group("title"))
            inside = "nhiem vu" in title and "to chuc thuc hien" not in title
            current, waiting = None, []
            continue
        if not inside:
            continue
        item = _ITEM_RE.match(text)
        deadline = _DEADLINE_LINE_RE.match(text)
        bullet = _BULLET_RE.match(text)
        if deadline:
            for task in waiting:
                task.deadline_text = deadline.group("text").strip()
                task.row = f"{task.row}, {block.source}"
            waiting, current = [], None
        elif item and "." not in item.group("code"):
            sections.append(
                DraftSection(
                    code=item.group("code"), title=item.group("text").strip(), row=block.source
                )
            )
            current, waiting = None, []
        elif bullet and sections:
            section = sections[-1].code
            number = sum(1 for t in tasks if t.section == section) + 1
            current = DraftTask(
                code=f"{section}.{number}",
                title=bullet.group("text").strip(),
                section=section,
                row=block.source,
                row_text=text,
            )
            tasks.append(current)
            waiting.append(current)
        elif current is not None:
            # A line wrapped by the conversion, or a "+" detail of the task: kept with it.
            joiner = "\n" if _SUB_BULLET_RE.match(text) else " "
            current.title = f"{current.title}{joiner}{text}"
            current.row = f"{current.row}, {block.source}"
            current.row_text = f"{current.row_text}\n{text}"
        elif tasks and sections and tasks[-1].section == sections[-1].code:
            # A line after a group's deadline ("Đơn vị thực hiện: …"): it concerns that group;
            # kept in the note of its last task, and said.
            tasks[-1].note = "\n".join(p for p in (tasks[-1].note, text) if p)
            tasks[-1].row = f"{tasks[-1].row}, {block.source}"
            unplaced.append(
                gettext("%(where)s: «%(text)s» written into the note of task %(code)s.")
                % {
                    "where": where(block.source, capital=True),
                    "text": text[:80],
                    "code": tasks[-1].code,
                }
            )
    warnings = (
        [
            ngettext(
                "The plan has no table of tasks: the bullet points of the tasks part were "
                "imported as %(count)s task, numbered by section. Please check.",
                "The plan has no table of tasks: the bullet points of the tasks part were "
                "imported as %(count)s tasks, numbered by section. Please check.",
                len(tasks),
            )
            % {"count": len(tasks)}
        ]
        + unplaced
        if tasks
        else []
    )
    used = {t.section for t in tasks}
    return [s for s in sections if s.code in used], tasks, warnings


def _dedupe_sections(sections: list[DraftSection]) -> list[DraftSection]:
    seen: dict[str, DraftSection] = {}
    for section in sections:
        if section.code in seen and not seen[section.code].title:
            seen[section.code] = section
        seen.setdefault(section.code, section)
    return list(seen.values())
