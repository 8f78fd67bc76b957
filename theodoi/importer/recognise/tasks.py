"""Sections and tasks from the appendix task tables (tasks written as text in the body are read
by ``narrative``). Pure functions.

A task table has a task column and a lead-unit or deadline column. Its rows are:
- section rows: a Roman numeral (or letter) and a title, nothing else ("I. Nâng cao nhận thức");
- task rows: a code ("1", "2.3.") in the code column, or at the start of the task text when code
  and text share a column ("1. Chỉ đạo …");
- subtask rows: a code of any depth ("100.1", "1.2.3.4", "IV.2.a"), in the code column or in a
  subtask column ("Tiểu nhiệm vụ (Con)"), the parent being the task whose code it extends; a
  lettered row ("a)") is a subtask of the task above it ("12.a"); a row with an empty code cell
  under a task whose subtask cell carries a code is that task's subtask;
- rows without any code: tasks numbered in order, with a warning, never with a code a later
  row writes; a code cell that holds no code is quoted in its warning as it is.
Nothing in a row is dropped: every cell lands in a field, or in the note with its column name.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from theodoi.core.text import fold
from theodoi.importer.draft import DraftSection, DraftTask, where
from theodoi.importer.recognise.tables import LogicalRow, LogicalTable

_ROMAN_RE = re.compile(r"^\s*(?P<code>[IVXL]+|[A-Z])\s*[.\-–)]?\s*(?P<title>.*)$", re.DOTALL)

# Vietnamese on purpose: the letters of plan documents' subtasks ("đ)" follows "d)").
# A task code of any length and depth: "7", "140", "100.1", "1.2.3.4", "IV.2.a", "2.b"; a part
# after a dot never starts with 0, so "1.000 hộ dân" at the start of a text is no code.
_CODE_PATTERN = (
    r"(?:[1-9]\d{0,3}(?:\.(?:[1-9]\d{0,3}|[a-zđ]))*"
    r"|[IVXLC]+(?:\.(?:[1-9]\d{0,3}|[a-zđ]))+)"
)
# A lettered subtask: "a)", "b." or "đ" alone in the code cell.
_LETTER_PATTERN = r"[a-zđ]"
_CODE_TEXT_RE = re.compile(
    rf"^\s*(?:(?P<code>{_CODE_PATTERN})\s*[.)]?|(?P<letter>{_LETTER_PATTERN})\s*\))"
    r"\s+(?P<text>\S.*)$",
    re.DOTALL,
)
_CODE_ONLY_RE = re.compile(
    rf"^\s*(?:(?P<code>{_CODE_PATTERN})|(?P<letter>{_LETTER_PATTERN}))\s*[.)]?\s*$"
)


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
    # Under "Thời gian" the due date is "Hoàn thành", not "Bắt đầu".
    deadline = find(
        lambda h: ("thoi gian" in h or "thoi han" in h) and ("hoan thanh" in h or "ket thuc" in h)
    )
    if deadline is None:
        deadline = find(lambda h: ("thoi gian" in h or "thoi han" in h) and "bat dau" not in h)
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


def _split_code(text: str) -> tuple[str, str, str]:
    """(code, letter, text) of a text that starts with its number ("100.1. Xây dựng …",
    "a) Rà soát …"); a letter is only read with its parenthesis."""
    match = _CODE_TEXT_RE.match(text)
    if match:
        code = _normal_code(match.group("code") or "")
        return code, match.group("letter") or "", match.group("text").strip()
    return "", "", text.strip()


def _code_cell(text: str) -> tuple[str, str]:
    """(code, letter) of a code cell: "100." → ("100", ""), "a)" → ("", "a")."""
    match = _CODE_ONLY_RE.match(text)
    if not match:
        return "", ""
    return _normal_code(match.group("code") or ""), match.group("letter") or ""


def _owner(tasks: list[DraftTask], code: str, section: str) -> DraftTask | None:
    """The task of ``section`` whose code ``code`` extends ("100" for "100.1", "1.2" for
    "1.2.3"; "2" or "IV.2" for "IV.2.a" in section IV), the nearest one read before."""
    parent_code = parent_code_of(code)
    if not parent_code:
        return None
    wanted = {parent_code}
    if section and parent_code.startswith(f"{section}."):
        wanted.add(parent_code[len(section) + 1 :])
    return next((t for t in reversed(tasks) if t.section == section and t.code in wanted), None)


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
    # The task a lettered row ("a)") belongs to: the last task read with a number.
    lettered_under: DraftTask | None = None
    written = _written_codes(table, columns, section_prefix)
    for row in table.rows:
        section = _section_of(row, columns)
        if section:
            section_code = section[0]
            sections.append(DraftSection(code=section_code, title=section[1], row=row.source))
            parent, pending, lettered_under = None, None, None
            continue
        if _is_total_row(row, columns):
            # "Tổng cộng" under a task table with money columns sums them up: not a task.
            warnings.append(
                gettext(
                    "%(where)s: the row «%(text)s» is the table's total, not a task, so it was "
                    "not imported as one."
                )
                % {
                    "where": where(row.source, capital=True),
                    "text": " | ".join(cell.strip() for cell in row.cells if cell.strip()),
                }
            )
            continue
        code_cell = row.cell(columns.code).strip()
        title = row.cell(columns.title).strip()
        subtask_text = row.cell(columns.subtask).strip() if columns.subtask is not None else ""
        unread = ""  # a code cell that holds no task code, quoted in the warnings
        if columns.code == columns.title:
            code, letter, title = _split_code(title)
        else:
            code, letter = _code_cell(code_cell)
            if code_cell and not (code or letter):
                unread = code_cell
                title = f"{code_cell} {title}".strip()
        sub_code, sub_letter, sub_title = (
            _split_code(subtask_text) if subtask_text else ("", "", "")
        )
        if sub_letter:
            sub_title = subtask_text  # subtask rows are numbered in order, "a)" kept as written
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
        if letter and lettered_under is not None:
            # "a)" under task 12 (or under subtask 100.1): subtask 12.a of it, so that the
            # letters that restart under every task still give codes of their own.
            tasks.append(
                _subtask(f"{lettered_under.code}.{letter}", title, lettered_under, fields, note)
            )
            continue
        if letter:
            code = letter  # a letter before any task: a task of its own, coded as written
        owner = _owner(tasks, code, section_code)
        if owner is not None:
            # "2.1", "100.1.2" or "IV.2.a" in the code column: a subtask of the task whose code
            # it extends, at any depth.
            subtask = DraftTask(code=code, title=title, parent=owner.code, note=note, **fields)
            tasks.append(subtask)
            lettered_under = subtask
            continue
        if not code and not unread and title and parent is not None and not sub_code:
            # A row with an empty code cell under a task is a subtask of it ("- Cập nhật …").
            code = _next_subcode(tasks, parent, section_code, written)
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
            if not code and unread:
                code = next_code(tasks, section_code, taken=_taken(written, section_code))
                warnings.append(
                    gettext(
                        "%(where)s: the number column holds «%(number)s», which is not a task "
                        "code; the task was numbered %(code)s (section %(section)s) and the "
                        "text was kept at the start of its title. Please check."
                    )
                    % {
                        "where": where(row.source, capital=True),
                        "number": unread[:40],
                        "code": code,
                        "section": section_code or "—",
                    }
                )
            elif not code:
                code = next_code(tasks, section_code, taken=_taken(written, section_code))
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
            parent = lettered_under = task
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
            code = _next_subcode(tasks, parent, section_code, written)
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
            warnings.append(
                gettext(
                    "%(where)s: no task title; the content was written into the note of task "
                    "%(code)s."
                )
                % {"where": where(row.source, capital=True), "code": tasks[-1].code}
            )
    return sections, tasks, warnings


_TOTAL_RE = re.compile(r"^(tong cong|tong so|tong|cong)\s*:?$")


def _is_total_row(row: LogicalRow, columns: _Columns) -> bool:
    code = row.cell(columns.code).strip() if columns.code != columns.title else ""
    return not code and bool(_TOTAL_RE.match(fold(row.cell(columns.title))))


def parent_code_of(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def _subtask(code: str, title: str, parent: DraftTask, fields: dict, note: str) -> DraftTask:
    values = dict(fields)
    return DraftTask(code=code, title=title, parent=parent.code, note=note, **values)


def next_code(
    tasks: list[DraftTask], section: str, parent: str = "", taken: frozenset[str] = frozenset()
) -> str:
    """The next free code among the tasks of ``section`` under ``parent`` (its top tasks when
    ""): after the highest number their codes end with, written as theirs are ("3" after "1",
    "2"; "2.4" after the body's "2.1"–"2.3"; "3.2" under "3" after its "3.1"). Never a code the
    section has or ``taken`` holds (codes later rows of a table write): two tasks of one
    section with one code would make the draft refused."""
    siblings = [t.code for t in tasks if t.section == section and (t.parent or "") == parent]
    prefix = parent or section
    pattern = re.compile(rf"{re.escape(prefix)}\.(\d+)")
    dotted = [int(m.group(1)) for m in map(pattern.fullmatch, siblings) if m] if prefix else []
    if dotted or parent:
        number, make = max(dotted, default=0) + 1, lambda n: f"{prefix}.{n}"
    else:
        numbers = [int(code) for code in siblings if code.isdigit()]
        number, make = max(numbers, default=0) + 1, str
    used = {t.code for t in tasks if t.section == section} | taken
    while make(number) in used:
        number += 1
    return make(number)


def _taken(written: set[tuple[str, str]], section: str) -> frozenset[str]:
    return frozenset(code for where, code in written if where == section)


def _next_subcode(
    tasks: list[DraftTask], parent: DraftTask, section: str, written: set[tuple[str, str]]
) -> str:
    number = sum(1 for t in tasks if t.parent == parent.code and t.section == section) + 1
    while (section, f"{parent.code}.{number}") in written:
        number += 1
    return f"{parent.code}.{number}"


def _written_codes(table: LogicalTable, columns: _Columns, section: str) -> set[tuple[str, str]]:
    """(section, code) of every code the table writes, read ahead so that numbering a row
    without a code never takes a code a later row has."""
    found: set[tuple[str, str]] = set()
    for row in table.rows:
        heading = _section_of(row, columns)
        if heading:
            section = heading[0]
            continue
        if columns.code == columns.title:
            code = _split_code(row.cell(columns.title))[0]
        else:
            code = _code_cell(row.cell(columns.code).strip())[0]
        if code:
            found.add((section, code))
    return found
