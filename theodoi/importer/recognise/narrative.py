"""Tasks written as text in a plan's body: numbered and lettered items and bullets, each assigned
in its own sentence. Pure functions.

Structure. Inside a Roman-numbered part ("II. NHIỆM VỤ, GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"),
every paragraph is an item by its marker: numbers ("1.", "1)", "1.2."), letters ("a)", "b.",
"đ)"), bullets ("-", "–", "•") and sub-bullets ("+"). Markers nest in the order the part first
uses them: a marker already open closes what lies below it and opens a sibling; a new marker opens
a child. A paragraph without a marker continues the item before it (a line the conversion broke,
when it starts in lower case) or is a detail of it (kept in its note, and said). Nothing inside
a part is dropped: every paragraph lands in an item.

Which level is the task depends on the document, read from evidence:
- the deepest level whose items carry their own assignment ("… chủ trì", a deadline phrase; see
  ``assignment``) in at least a third of them is the task level;
- failing that, the first level (from the top) that is not a grouping of headings: a level whose
  items almost all have children and mostly do not end as sentences do (seed 004's "1." groups
  over "1.1" tasks, seed 003's "1." groups over "- " tasks); a level of sentences with bullets
  under them is a level of tasks with details; and where the layout chose, an item of the task
  level that is a short title without assignment over items of its own is one more group (seed
  001's "a) Chuyển đổi số" beside bulleted tasks);
- levels above the task level are groups: the innermost group is the task's section, and a group
  that names a unit ("1. Văn phòng HĐND và UBND:", "Giao Phòng Kinh tế chủ trì …") or a deadline
  gives them to its tasks that name none;
- items below a task are its details (kept in the task's note) unless one names its own lead
  unit: that one is a subtask.
- A line "Thời gian hoàn thành: …" (or "Đơn vị thực hiện: …") after a run of tasks applies to
  the tasks of that run (seed 003).

In "Tổ chức thực hiện" parts only the items under a unit's heading are tasks (each bullet of
"1. Văn phòng HĐND và UBND: - …"): that part's numbered paragraphs are the plan's arrangements
(who reports, who guides), not tasks of it.

A plan with a task table states its tasks there: its body items become tasks only where the
task level is numbered "n.m" (seed 004), or carries assignments, and then only the items that
name their own lead unit; ``link_statements`` then keeps one task where body and table state the
same one.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext, ngettext

from theodoi.core.text import fold, fold_key
from theodoi.importer.document import Document, Paragraph
from theodoi.importer.draft import Draft, DraftSection, DraftTask, where
from theodoi.importer.recognise.assignment import (
    LABEL_LINE_RE,
    Assignment,
    read_assignment,
    split_assignment,
    unit_heading,
)
from theodoi.importer.recognise.tasks import next_code

# A level is a grouping when at least this share of its items have items under them.
GROUPING_SHARE = 0.8
# A level carries assignments when at least this share of its items name a lead or deadline.
ASSIGNED_SHARE = 0.3
# A level of parents whose items are mostly whole sentences ("… trên địa bàn.") is a level of
# tasks with details under them, not of headings.
SENTENCE_SHARE = 0.5
# The most words a heading over items takes.
HEADING_WORDS = 30
# Titles this similar (folded, first words) state the same task.
SAME_TASK_SIMILARITY = 0.85

# The markers that open an item, shared with the coverage report, which reads the same lines.
# Vietnamese on purpose: "đ" is a letter plans number items with.
ROMAN = r"[IVX]{1,5}"  # "II", then PART_END
PART_END = r"\s*[.\-–)]"
NUMBER = r"\d{1,2}"
NUMBER_PATH = rf"{NUMBER}(?:\.{NUMBER}){{0,3}}"  # "1", "1.2", "1.2.3.4", then "." or ")"
LETTER = r"[a-zđ]"  # then "." or ")"
BULLET = r"[-–•+*]"

_PART_RE = re.compile(rf"^\s*(?P<code>{ROMAN}){PART_END}\s*(?P<title>\S.*)$", re.DOTALL)
_NUMBER_RE = re.compile(
    rf"^\s*(?P<code>{NUMBER_PATH})(?:[.)]|(?<=\d\.\d)|(?<=\d\.\d\d))\s*(?P<text>\S.*)$",
    re.DOTALL,
)
_LETTER_RE = re.compile(rf"^\s*(?P<code>{LETTER})\s*[.)]\s+(?P<text>\S.*)$", re.DOTALL)
_BULLET_RE = re.compile(rf"^\s*(?P<mark>{BULLET})\s*(?P<text>\S.*)$", re.DOTALL)
_END_RE = re.compile(r"^\s*(?:nơi\s+nhận|phụ\s+lục|tm\.|t/m|kt\.)", re.IGNORECASE)


@dataclass(eq=False)
class Item:
    """One paragraph of a part with its marker, and the paragraphs that belong to it."""

    kind: str  # "part", "n1", "n2", "n3", "letter", "-", "•", "+", "label", "text"
    code: str
    text: str
    sources: list[str]
    lines: list[str]
    children: list["Item"] = field(default_factory=list)
    parent: "Item | None" = field(default=None, repr=False)
    # For a part: "tasks" or "organisation" (``part_kind``).
    purpose: str = ""

    @property
    def depth(self) -> int:
        depth, node = 0, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth

    def items(self) -> list["Item"]:
        """The items under this one; a bulleted "+ Thời gian: …" is a label of it, not one."""
        return [c for c in self.children if c.kind not in ("label", "text") and not c.is_label()]

    def is_label(self) -> bool:
        """A "Thời gian hoàn thành: …" line, bulleted or not, with no items under it."""
        return self.kind == "label" or (
            self.kind in ("-", "+", "•")
            and bool(LABEL_LINE_RE.match(self.text))
            and all(c.kind in ("label", "text") for c in self.children)
        )


def _classify(text: str) -> tuple[str, str, str]:
    """(kind, code, text without marker) of one paragraph."""
    number = _NUMBER_RE.match(text)
    if number and not re.match(r"^\s*\d{1,2}\s*[/%]", text):
        code = number.group("code")
        return f"n{code.count('.') + 1}", code, number.group("text").strip()
    letter = _LETTER_RE.match(text)
    if letter:
        return "letter", letter.group("code"), letter.group("text").strip()
    bullet = _BULLET_RE.match(text)
    if bullet:
        mark = bullet.group("mark")
        kind = {"–": "-", "*": "•"}.get(mark, mark)
        return kind, "", bullet.group("text").strip()
    if LABEL_LINE_RE.match(text):
        return "label", "", text.strip()
    return "text", "", text.strip()


def part_kind(title: str) -> str:
    """ "tasks" for a part stating tasks, "organisation" for "Tổ chức thực hiện", else ""."""
    folded = fold(title)
    if "to chuc thuc hien" in folded:
        return "organisation"
    if ("nhiem vu" in folded or "giai phap" in folded) and "muc" not in folded.split()[:1]:
        return "tasks"
    return ""


def parse_parts(document: Document) -> list[Item]:
    """The body's Roman-numbered parts as trees of items; only parts of tasks and organisation
    are read. Every paragraph inside them lands in some item."""
    parts: list[Item] = []
    part: Item | None = None
    stack: list[Item] = []
    for block in document.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = block.text.strip()
        heading = _PART_RE.match(text)
        if heading:
            kind = part_kind(heading.group("title"))
            part = None
            if kind:
                part = Item("part", heading.group("code"), heading.group("title").strip(), [], [])
                part.purpose = kind
                parts.append(part)
                stack = [part]
            continue
        if part is None:
            continue
        if _END_RE.match(text):
            part = None
            continue
        kind, code, body = _classify(text)
        if kind in ("label", "text"):
            current = stack[-1]
            if kind == "label" and current.kind in ("-", "•", "+") and len(stack) > 2:
                # "Thời gian hoàn thành: …" after a run of bullets is said of the run.
                while stack[-1].kind in ("-", "•", "+") and len(stack) > 2:
                    del stack[-1]
                current = stack[-1]
            elif (
                kind == "text"
                and current is not part
                and (body[:1].islower() or not current.text.rstrip().endswith((".", ";", ":", "!")))
            ):
                # A line the conversion broke: the item goes on.
                current.text = f"{current.text} {body}"
                current.sources.append(block.source)
                current.lines.append(text)
                continue
            current.children.append(Item(kind, "", body, [block.source], [text], parent=current))
            continue
        # A marker already open closes what is below it; a new one opens a child.
        open_kinds = [node.kind for node in stack]
        if kind in open_kinds:
            del stack[open_kinds.index(kind) :]
        item = Item(kind, code, body, [block.source], [text], parent=stack[-1])
        stack[-1].children.append(item)
        stack.append(item)
    return parts


def _level_nodes(part: Item) -> dict[int, list[Item]]:
    levels: dict[int, list[Item]] = {}

    def walk(node: Item) -> None:
        for child in node.items():
            levels.setdefault(child.depth, []).append(child)
            walk(child)

    walk(part)
    return levels


def _assigned(item: Item) -> Assignment:
    found = read_assignment(item.text)
    if item.items():
        # A group's label lines are said of the items under it, not of itself.
        return found
    for child in item.children:
        if child.is_label():
            more = read_assignment(child.text)
            found.lead = found.lead or more.lead
            found.coordinating = found.coordinating or more.coordinating
            found.deadline = found.deadline or more.deadline
    return found


def task_depth(part: Item) -> tuple[int, bool]:
    """The depth of the part's tasks, and whether assignments chose it (else their layout)."""
    levels = _level_nodes(part)
    if not levels:
        return 0, False
    for depth in sorted(levels, reverse=True):
        nodes = levels[depth]
        assigned = sum(1 for node in nodes if _assigned(node))
        if assigned >= 2 and assigned / len(nodes) >= ASSIGNED_SHARE:
            return depth, True
    for depth in sorted(levels):
        nodes = levels[depth]
        parents = sum(1 for node in nodes if node.items())
        sentences = sum(1 for node in nodes if node.text.rstrip().endswith((".", ";")))
        if parents / len(nodes) < GROUPING_SHARE or sentences / len(nodes) >= SENTENCE_SHARE:
            return depth, False
    return max(levels), False


@dataclass
class _Context:
    sections: list[DraftSection]
    tasks: list[DraftTask]
    warnings: list[str]
    prefix: str
    # Whether assignments chose the task level: then the level holds, item by item too.
    by_evidence: bool = False


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _rows(*sources: list[str]) -> str:
    seen: list[str] = []
    for group in sources:
        for source in group:
            if source not in seen:
                seen.append(source)
    return ", ".join(seen)


def _all_sources(item: Item) -> list[str]:
    sources = list(item.sources)
    for child in item.children:
        sources.extend(_all_sources(child))
    return sources


def _all_lines(item: Item) -> list[str]:
    lines = list(item.lines)
    for child in item.children:
        lines.extend(_all_lines(child))
    return lines


def _make_task(
    item: Item, code: str, section: str, parent: str, inherited: Assignment, ctx: _Context
) -> DraftTask:
    own = _assigned(item)
    details: list[str] = []
    used: list[str] = list(item.sources)
    lines: list[str] = list(item.lines)
    # The title says what is to be done; the sentences that say who and by when go to the
    # note, as written (the units and deadline are read from them all the same).
    title, assigning = split_assignment(item.text)
    task = DraftTask(code=code, title=title, section=section, parent=parent)
    subtasks: list[Item] = []
    for child in item.children:
        if child in item.items() and read_assignment(child.text).lead:
            subtasks.append(child)
            continue
        details.append("\n".join(_all_lines(child)))
        used.extend(_all_sources(child))
        lines.extend(_all_lines(child))
        if child.kind == "text":
            ctx.warnings.append(
                gettext("%(where)s: «%(text)s» written into the note of task %(code)s.")
                % {
                    "where": where(child.sources[0], capital=True),
                    "text": child.text[:80],
                    "code": code,
                }
            )
    if (inherited.lead and not own.lead) or (inherited.deadline and not own.deadline):
        # The group's heading said it: the task was read from there too.
        used = [*used, *getattr(inherited, "sources", [])]
    task.lead_units_raw = own.lead or inherited.lead
    task.coordinating_units_raw = own.coordinating or (
        inherited.coordinating if not own.lead else ""
    )
    task.deadline_text = own.deadline or inherited.deadline
    task.note = _join(assigning, *details)
    task.row = _rows(used)
    task.row_text = "\n".join(lines)
    ctx.tasks.append(task)
    for number, child in enumerate(subtasks, start=1):
        _make_task(child, f"{code}.{number}", section, code, Assignment(), ctx)
    return task


def _section_code(group: Item, ctx: _Context) -> str:
    path: list[str] = []
    node: Item | None = group
    while node is not None and node.kind != "part":
        if node.kind.startswith("n") and "." in node.code:
            path = [node.code]
            break
        path.insert(0, node.code or str(node.parent.items().index(node) + 1 if node.parent else 1))
        node = node.parent
    code = ".".join(path)
    return f"{ctx.prefix}{code}" if ctx.prefix else code


def _task_code(item: Item, section: str, siblings: list[Item]) -> str:
    if item.kind.startswith("n") and "." in item.code:
        return item.code
    own = item.code or str(siblings.index(item) + 1)
    return f"{section}.{own}" if section else own


@dataclass
class _Inherited(Assignment):
    """What a group says of its tasks, with the paragraphs that say it."""

    sources: list[str] = field(default_factory=list)


def _heading_like(item: Item) -> bool:
    """A title over items of its own ("a) Chuyển đổi số"): short, no sentence, no assignment,
    however its level reads (seed 001 letters its headings beside bulleted tasks)."""
    text = item.text.rstrip()
    return (
        not text.endswith((".", ";")) and len(text.split()) <= HEADING_WORDS and not _assigned(item)
    )


def _inherit(group: Item, above: Assignment) -> _Inherited:
    lead = unit_heading(group.text)
    found = read_assignment(group.text)
    sources = list(getattr(above, "sources", []))
    if lead or found.deadline:
        sources += group.sources
    return _Inherited(
        lead=lead or above.lead,
        coordinating=found.coordinating if lead else above.coordinating,
        deadline=found.deadline or above.deadline,
        sources=sources,
    )


def _read_group(
    group: Item, depth: int, inherited: Assignment, ctx: _Context, *, strict: bool
) -> None:
    """Tasks under ``group`` (a part or a heading above the task level)."""
    items = group.items()
    section = _section_code(group, ctx) if group.kind != "part" else ctx.prefix.rstrip(".")
    waiting: list[DraftTask] = []
    made_here = False
    for child in group.children:
        if child.is_label():
            label = read_assignment(child.text)
            targets = waiting or []
            for task in targets:
                task.deadline_text = task.deadline_text or label.deadline
                task.lead_units_raw = task.lead_units_raw or label.lead
                task.coordinating_units_raw = task.coordinating_units_raw or label.coordinating
                task.row = _rows(task.row.split(", "), _all_sources(child))
                task.row_text = "\n".join([task.row_text, *_all_lines(child)])
            if not targets:
                inherited = _Inherited(
                    lead=label.lead or inherited.lead,
                    coordinating=label.coordinating or inherited.coordinating,
                    deadline=label.deadline or inherited.deadline,
                    sources=[*getattr(inherited, "sources", []), *_all_sources(child)],
                )
            waiting = []
            continue
        if child.kind == "text":
            if ctx.tasks and waiting:
                task = waiting[-1]
                task.note = _join(task.note, child.text)
                task.row = _rows(task.row.split(", "), child.sources)
                ctx.warnings.append(
                    gettext("%(where)s: «%(text)s» written into the note of task %(code)s.")
                    % {
                        "where": where(child.sources[0], capital=True),
                        "text": child.text[:80],
                        "code": task.code,
                    }
                )
            continue
        if child.items() and (
            child.depth < depth or (not ctx.by_evidence and _heading_like(child))
        ):
            _read_group(child, depth, _inherit(child, inherited), ctx, strict=strict)
            waiting = []
            continue
        if (
            strict
            and not read_assignment(child.text).lead
            and not (child.kind.startswith("n") and "." in child.code)
        ):
            continue
        if group.kind == "part" and not section:
            section = ""
        code = _task_code(child, section, items)
        task = _make_task(child, code, section, "", inherited, ctx)
        waiting.append(task)
        made_here = True
    if made_here and group.kind != "part":
        title = group.text.rstrip(":").strip()
        if not any(s.code == section for s in ctx.sections):
            ctx.sections.append(DraftSection(code=section, title=title, row=_rows(group.sources)))


def tasks_from_text(
    document: Document, *, has_task_table: bool = False
) -> tuple[list[DraftSection], list[DraftTask], list[str]]:
    """Sections, tasks and warnings of the tasks stated in the body's text."""
    ctx = _Context([], [], [], "")
    for part in parse_parts(document):
        before = len(ctx.tasks)
        ctx.prefix = f"{part.code}." if ctx.tasks else ""
        if part.purpose == "organisation":
            for group in part.items():
                lead = unit_heading(group.text)
                if (
                    lead
                    and group.items()
                    and (group.text.rstrip().endswith(":") or len(group.text.split()) <= 16)
                ):
                    _read_group(
                        group, group.depth + 1, _inherit(group, Assignment()), ctx, strict=False
                    )
            continue
        depth, by_evidence = task_depth(part)
        if depth == 0:
            continue
        levels = _level_nodes(part)
        numbered = all(n.kind.startswith("n") and "." in n.code for n in levels.get(depth, []))
        if has_task_table and not by_evidence and not numbered:
            continue
        ctx.by_evidence = by_evidence
        _read_group(part, depth, Assignment(), ctx, strict=has_task_table and not numbered)
        if len(ctx.tasks) == before:
            ctx.prefix = ""
    warnings = list(ctx.warnings)
    if ctx.tasks and not has_task_table:
        warnings.insert(
            0,
            ngettext(
                "The plan has no table of tasks: %(count)s task was read from the numbered, "
                "lettered and bulleted items of its text. Please check.",
                "The plan has no table of tasks: %(count)s tasks were read from the numbered, "
                "lettered and bulleted items of its text. Please check.",
                len(ctx.tasks),
            )
            % {"count": len(ctx.tasks)},
        )
    without = [t.code for t in ctx.tasks if not t.lead_units_raw and not t.parent]
    if ctx.tasks and without and len(without) < len(ctx.tasks):
        warnings.append(
            ngettext(
                "%(count)s task read from the text names no lead unit (%(codes)s): "
                "enter it when checking the draft.",
                "%(count)s tasks read from the text name no lead unit (%(codes)s): "
                "enter them when checking the draft.",
                len(without),
            )
            % {"count": len(without), "codes": ", ".join(without[:20])}
        )
    return ctx.sections, ctx.tasks, warnings


# --- One task stated twice -------------------------------------------------------------------


def _title_key(title: str) -> str:
    words = re.sub(r"[^\w\s]", " ", fold_key(title)).split()
    return " ".join(words[:25])


def same_task(first: DraftTask, second: DraftTask) -> bool:
    """Whether two statements are of one task: their titles start alike."""
    a, b = _title_key(first.title), _title_key(second.title)
    if not a or not b:
        return False
    shorter = min(len(a), len(b))
    if len(a.split()) >= 6 and len(b.split()) >= 6 and a[:shorter] == b[:shorter]:
        return True
    return SequenceMatcher(None, a, b).ratio() >= SAME_TASK_SIMILARITY


def link_statements(
    body: list[DraftTask], table: list[DraftTask]
) -> tuple[list[DraftTask], list[str]]:
    """The body tasks left once those a table also states are linked to the table's task: the
    table's task keeps its columns, takes what only the body says, and records where the body
    states it (``also_at``). Returns the body tasks kept and a warning per link."""
    kept: list[DraftTask] = []
    warnings: list[str] = []
    free = list(table)
    for task in body:
        twin = next((t for t in free if same_task(task, t)), None)
        if twin is None or task.parent:
            kept.append(task)
            continue
        free.remove(twin)
        twin.lead_units_raw = twin.lead_units_raw or task.lead_units_raw
        twin.coordinating_units_raw = twin.coordinating_units_raw or task.coordinating_units_raw
        twin.deadline_text = twin.deadline_text or task.deadline_text
        twin.also_at = _rows(twin.also_at.split(", ") if twin.also_at else [], task.row.split(", "))
        twin.row = _rows(twin.row.split(", "), task.row.split(", "))
        twin.note = _join(twin.note, task.note)
        warnings.append(
            gettext("%(where)s states the same task as %(other)s: kept once, as task %(code)s.")
            % {
                "where": where(task.row, capital=True),
                "other": where(twin.row.split(", ")[0]),
                "code": twin.code,
            }
        )
    # Subtasks whose parent was linked go with it: renumbered under the table's task.
    moved = {
        t.code: twin
        for t in body
        for twin in table
        if t not in kept and not t.parent and t.row and twin.row.endswith(t.row)
    }
    for task in kept:
        if task.parent in moved:
            twin = moved[task.parent]
            # After the twin's own subtasks in the table, and those moved before it.
            code = next_code([*table, *kept], twin.section, parent=twin.code)
            task.parent, task.section, task.code = twin.code, twin.section, code
    return kept, warnings


def link_body_tasks(draft: Draft, body: list[DraftTask]) -> None:
    """In ``draft``, keep once each task that both the body (``body``) and a table state."""
    if not body:
        return
    table = [t for t in draft.tasks if not any(t is b for b in body)]
    kept, warnings = link_statements(body, table)
    draft.tasks = [
        t for t in draft.tasks if any(t is k for k in kept) or not any(t is b for b in body)
    ]
    used = {t.section for t in draft.tasks}
    body_sections = {t.section for t in body}
    draft.sections = [s for s in draft.sections if s.code in used or s.code not in body_sections]
    draft.warnings.extend(warnings)
