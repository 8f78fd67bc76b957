"""Indicators from the numbered target lists in the body of a plan. Pure functions.

Plans without an indicator table state their targets in the body, under a heading such as
"II. MỤC TIÊU", "2. Mục tiêu chủ yếu đến năm 2030" or "1.5. Phát triển chuyển đổi số" inside
"1. Mục tiêu": items "(1) …", "1) …" or "- …". How the body is read:

1. Paragraphs become lines: a marker ("II.", "1.5.", "a)", "(3)", "- ") says what a line is, and
   a paragraph without one continues the line before when the text was wrapped (PDF lines).
2. The outline is followed by its numbering, not by Markdown heading levels, which the seeds
   use inconsistently ("## 2. Yêu cầu" under "#### 1. Mục tiêu"). A plain "3." that does not
   continue the outline (a "1." after "3.") is a list item, not a heading.
3. A section is a target section when its title names targets ("Mục tiêu", "Chỉ tiêu"); its
   sub-sections inherit that unless they name something else ("2. Yêu cầu"). General aims
   ("Mục tiêu tổng quát", "Mục tiêu chung") hold prose, not indicators.
4. In a target section every numbered item is an indicator, qualitative when it states no
   number; a "- " bullet is one only when it carries a percentage, a comparator or a rank.
   Everything else there becomes a warning naming its line: nothing is dropped silently.

One numbered item is one indicator even when it states two targets ("(16) … ≥ 60%; tỷ lệ kết
nối … 80%"): the plan's own numbering is what a ward reports against, so the item keeps its
number, the first target is read and a warning asks a person to split it if needed.
"""

import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext, ngettext

from theodoi.core.text import fold
from theodoi.importer.document import Document, Paragraph
from theodoi.importer.draft import DraftIndicator, where
from theodoi.importer.recognise.targets import TargetMatch, find_target, fold_aligned, levels

# --- Lines ---------------------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"^([IVX]{1,5})\s*[.\-)]\s*(?=\S)")
_DOTTED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)(?:\.\s*|\s+)(?=\S)")
# "1." needs its dot, or a wrapped line starting "16 tháng 5 năm 2025" would be a heading.
_SINGLE_RE = re.compile(r"^(\d{1,2})\.(?:\s+|(?=[^\d\s]))")
_LETTER_RE = re.compile(r"^([a-zđ])\)\s*(?=\S)")
_ITEM_RE = re.compile(r"^(?:\((\d{1,3})\)|(\d{1,3})\))\s*(?=\S)")
_BULLET_RE = re.compile(r"^[-+•●▪◦]\s*(?=\S)")
_PAGE_NUMBER_RE = re.compile(r"^\d{1,3}$")
_TERMINAL = (".", ";", ":", "!", "?", "…")
_TITLE_WORDS = 12  # headings are shorter than this; list items and prose often longer
_SPACE_BEFORE_PUNCTUATION_RE = re.compile(r"\s+([;.,:])")


class _Kind(StrEnum):
    ROMAN = "roman"  # "II. MỤC TIÊU"
    ARABIC = "arabic"  # "1.5. Phát triển chuyển đổi số", or a "3." list item
    LETTER = "letter"  # "a) Phát triển hạ tầng"
    ITEM = "item"  # "(3) …", "3) …"
    BULLET = "bullet"  # "- …"
    TEXT = "text"
    APPENDIX = "appendix"  # "PHỤ LỤC I": the body ends
    RESET = "reset"  # "Phần thứ hai", "Nơi nhận": the outline starts again


ROMAN, ARABIC, LETTER, ITEM, BULLET, TEXT, APPENDIX, RESET = tuple(_Kind)
_HEADINGS = (ROMAN, ARABIC, LETTER)


@dataclass
class _Line:
    kind: _Kind
    text: str  # without its marker
    source: str
    marker: str = ""  # "II", "1.5", "a", "16"
    formatted: bool = False  # a Markdown heading or a bold paragraph: surely a heading
    sources: list[str] = field(default_factory=list)

    @property
    def code(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.marker.split(".")) if self.kind == ARABIC else ()


def _classify(paragraph: Paragraph) -> _Line:
    text = paragraph.text.strip()
    formatted = paragraph.heading > 0 or paragraph.bold
    folded = fold(text)
    if folded.startswith("phu luc") and "kem theo" not in folded:
        return _Line(APPENDIX, text, paragraph.source)
    if folded.startswith(("phan thu", "noi nhan")):
        return _Line(RESET, text, paragraph.source)
    for kind, pattern in (
        (ITEM, _ITEM_RE),
        (ROMAN, _ROMAN_RE),
        (ARABIC, _DOTTED_RE),
        (ARABIC, _SINGLE_RE),
        (LETTER, _LETTER_RE),
    ):
        match = pattern.match(text)
        if match:
            marker = next(group for group in match.groups() if group)
            return _Line(kind, text[match.end() :].strip(), paragraph.source, marker, formatted)
    match = _BULLET_RE.match(text)
    if match:
        return _Line(BULLET, text[match.end() :].strip(), paragraph.source)
    return _Line(TEXT, text, paragraph.source, formatted=formatted)


def _continues(line: _Line, previous: _Line | None) -> bool:
    """A wrapped paragraph: no marker, and it starts lower case or the line before is unfinished."""
    if previous is None or line.kind != TEXT or line.formatted or previous.formatted:
        return False
    if previous.kind in (APPENDIX, RESET):
        return False
    starts_lower = line.text[:1].islower()
    if previous.kind in _HEADINGS and len(previous.text.split()) <= _TITLE_WORDS:
        # Headings are short and unpunctuated: only a lower-case start shows they go on.
        return starts_lower
    return starts_lower or not previous.text.endswith(_TERMINAL)


def _lines(document: Document) -> list[_Line]:
    lines: list[_Line] = []
    previous: _Line | None = None
    for block in document.blocks:
        if not isinstance(block, Paragraph):
            previous = None  # a table between two paragraphs ends any wrapped line
            continue
        if _PAGE_NUMBER_RE.match(block.text.strip()):
            continue  # a page number left in the text by a PDF conversion
        line = _classify(block)
        if previous is not None and _continues(line, previous):
            previous.text = f"{previous.text} {line.text}"
            previous.sources.append(line.source)
            continue
        line.sources = [line.source]
        lines.append(line)
        previous = line
    for line in lines:
        line.text = _SPACE_BEFORE_PUNCTUATION_RE.sub(r"\1", line.text)
    return lines


# --- Sections ------------------------------------------------------------------------------------

_TARGET, _GENERAL, _OTHER = "target", "general", "other"
_TARGET_WORDS_RE = re.compile(r"muc tieu|chi tieu")
_TARGET_START_RE = re.compile(r"^(?:cac\s+|ve\s+|nhom\s+|he thong\s+)?(?:muc tieu|chi tieu)")
_GENERAL_RE = re.compile(r"tong quat|muc tieu chung|^tam nhin|^dinh huong")
# Sub-sections about something else do not inherit the target kind of their parent.
_OTHER_TOPIC_RE = re.compile(
    r"yeu cau|muc dich|nhiem vu|giai phap|to chuc thuc hien|kinh phi|quan diem|can cu"
)
_LETTER_LEVEL = 9  # below any numbered level


@dataclass
class _Section:
    level: int
    code: str
    title: str
    kind: str
    year: int | None
    source: str
    # Paragraphs of a general aim, reported together in one warning when the section closes.
    general_sources: list[str] = field(default_factory=list)


def _title_and_inline(text: str) -> tuple[str, str]:
    """ "Mục tiêu: Số liệu … cuối năm 2026." → the title and what follows the colon."""
    title, _, inline = text.partition(":")
    return title.strip(), inline.strip()


def _kind_of(title: str, parent: str) -> str:
    folded = fold(title)
    if _GENERAL_RE.search(folded):
        return _GENERAL
    if _TARGET_START_RE.search(folded) or (
        _TARGET_WORDS_RE.search(folded) and len(folded.split()) <= _TITLE_WORDS
    ):
        return _TARGET
    if _OTHER_TOPIC_RE.search(folded):
        return _OTHER
    return parent


# --- Years ---------------------------------------------------------------------------------------

_UNTIL_YEAR_RE = re.compile(r"(?:den|toi)\s+(?:het\s+|cuoi\s+)?(?:nam\s+)?(20\d\d)(?!\d)")
_RANGE_YEAR_RE = re.compile(r"(?<!\d)20\d\d\s*-\s*(20\d\d)(?!\d)")
_ANY_YEAR_RE = re.compile(r"(?<![\d/])(20\d\d)(?![\d/])")
_ITEM_YEAR_RE = re.compile(r"(?:den|toi)\s+(?:het\s+|cuoi\s+)?nam\s+(20\d\d)(?!\d)")
_PLACE_DATE_RE = re.compile(r"^[^,]{1,80},\s*ngay\s+\S+\s+thang\s+\S+\s+nam\s+(20\d\d)")
_FULL_DATE_RE = re.compile(r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+20\d\d")
_TITLE_YEAR_RE = re.compile(r"(?<!\w)nam\s+(20\d\d)(?!\d)")


def year_of(text: str) -> int | None:
    """The year a target section is counted to: "đến (hết, cuối) năm 2030", the end of a
    range "2026-2030", else the year named; a vision ("tầm nhìn 2045") is not the target."""
    folded = fold(text).split("tam nhin")[0]
    for pattern in (_UNTIL_YEAR_RE, _RANGE_YEAR_RE, _ANY_YEAR_RE):
        match = pattern.search(folded)
        if match:
            return int(match.group(1))
    return None


def plan_year(document: Document) -> int | None:
    """The plan's own year: its place-and-date line, else the year its title ends on
    ("… trên địa bàn phường năm 2026"), never a date of a document it cites."""
    paragraphs = document.paragraphs()
    for paragraph in paragraphs:
        match = _PLACE_DATE_RE.match(fold(paragraph.text))
        if match:
            return int(match.group(1))
    for index, paragraph in enumerate(paragraphs[:-1]):
        if fold(paragraph.text) == "ke hoach":
            title = _FULL_DATE_RE.sub(" ", fold(paragraphs[index + 1].text))
            years = _TITLE_YEAR_RE.findall(title)
            return int(years[-1]) if years else None
    return None


# --- Reading -------------------------------------------------------------------------------------

_CONNECTOR_TAIL_RE = re.compile(
    r"(?:(?<!\w)(?:phan dau\s+)?dat(?:\s+(?:ty le|muc|toi thieu|it nhat))?"
    r"|(?<!\w)(?:toi thieu|it nhat|o muc|la))?[\s:,\-]*$"
)
_NAME_MIN_WORDS = 2
_REST_MAX_WORDS = 4
_EXCERPT = 100
_RANK_UNIT = "Thứ bậc"  # stored as the indicator's unit: plan content, in the plan's language
_PERCENT_RE = re.compile(r"\d\s*%")


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1].rstrip() + "…"


def _where(source: str) -> str:
    return where(source, capital=True)


def _name_and_target_text(text: str, match: TargetMatch | None) -> tuple[str, str]:
    """Cut "Tỷ lệ … giao thông ≥ 90%" into its name and its target phrase.

    The name is cut only when the target ends its clause ("… đạt từ 60% dân số trở lên"); an
    item that opens with its target ("90% thủ tục hành chính …") is a name as a whole. What
    follows the first clause stays in the target text, so no word of the item is lost.
    """
    whole = text.rstrip(" .")
    if match is None:
        return whole, ""
    clean = match.clean.rstrip(" .")
    clause_end = clean.find(";", match.end)
    rest = clean[match.end : clause_end if clause_end >= 0 else len(clean)]
    head = clean[: match.start]
    tail = _CONNECTOR_TAIL_RE.search(fold_aligned(head))
    name = head[: tail.start() if tail else len(head)].rstrip(" :,-(")
    if len(name.split()) < _NAME_MIN_WORDS or len(rest.split()) > _REST_MAX_WORDS:
        return clean, clean[match.start : match.end]
    return name, clean[len(name) :].strip(" :,-")


def _target_count(text: str) -> int:
    """How many targets an item states: its measurable clauses, or the levels it sets when one
    clause lists several ("100% lãnh đạo …, 100% văn bản …", "nhóm 3 … Đông Nam Á, nhóm 50 …
    thế giới"); a range ("16 - 18%") is one."""
    clauses = (find_target(clause) for clause in text.split(";"))
    measurable = sum(1 for match in clauses if match is not None and match.measurable)
    return max(measurable, len(levels(text)))


@dataclass
class _Reader:
    plan_year: int | None
    indicators: list[DraftIndicator] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stack: list[_Section] = field(default_factory=list)
    # The last heading code read at each arabic depth, to tell "3." the heading from "3." the item.
    last_code: dict[int, tuple[int, ...]] = field(default_factory=dict)
    bullets: dict[str, int] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)

    # -- structure --

    @property
    def section(self) -> _Section | None:
        return self.stack[-1] if self.stack else None

    def _arabic_path(self) -> tuple[int, ...]:
        for section in reversed(self.stack):
            if section.level > 1 and section.level != _LETTER_LEVEL:
                return tuple(int(part) for part in section.code.split("."))
        return ()

    def _continues_outline(self, line: _Line) -> bool:
        code = self._arabic_path()
        new = line.code
        depth = len(new)
        last = self.last_code.get(depth)
        if last is None:
            return new[-1] == 1 and (depth == 1 or new[:-1] == code[: depth - 1])
        if new[:-1] != last[:-1]:
            return False
        if new[-1] == last[-1] + 1:
            return True
        # A skipped number ("1., 2., 4.") is still a heading when the line reads like a title.
        title_like = len(line.text.split()) <= _TITLE_WORDS and not line.text.endswith(_TERMINAL)
        return new[-1] > last[-1] and title_like

    def _close(self, level: int) -> None:
        while self.stack and self.stack[-1].level >= level:
            self._report_general(self.stack.pop())

    def _report_general(self, section: _Section) -> None:
        if section.kind != _GENERAL or not section.general_sources:
            return
        sources = ", ".join(where(source) for source in section.general_sources)
        self.warnings.append(
            ngettext(
                "%(where)s: section %(code)s «%(title)s» is a general objective; %(count)s "
                "paragraph (%(sources)s) was not read as indicators. Check whether it holds a "
                "measurable indicator.",
                "%(where)s: section %(code)s «%(title)s» is a general objective; %(count)s "
                "paragraphs (%(sources)s) were not read as indicators. Check whether they hold "
                "a measurable indicator.",
                len(section.general_sources),
            )
            % {
                "where": _where(section.source),
                "code": section.code,
                "title": section.title,
                "count": len(section.general_sources),
                "sources": sources,
            }
        )

    def _open(self, line: _Line, level: int, code: str) -> None:
        self._close(level)
        parent = self.section
        title, inline = _title_and_inline(line.text)
        kind = _kind_of(title, parent.kind if parent else _OTHER)
        own_year = year_of(line.text) if kind != _OTHER else None
        inherited = parent.year if parent else self.plan_year
        section = _Section(level, code, title, kind, own_year or inherited, line.source)
        self.stack.append(section)
        if inline and not (own_year and not _measurable(inline)):
            # Text after "1.3. Phát triển …:" is content; "Số liệu … cuối năm 2026" is context.
            self._content(_Line(TEXT, inline, line.source, sources=line.sources))

    def _heading(self, line: _Line, lines: list[_Line], index: int) -> bool:
        """Open the section a heading line starts; False when the line is a list item."""
        if line.kind == ROMAN:
            self.last_code.clear()
            self._open(line, 1, line.marker)
            return True
        if line.kind == ARABIC:
            if not line.formatted and not self._continues_outline(line):
                return False
            if not line.formatted and self._is_leaf_item(line, lines, index):
                return False
            depth = len(line.code)
            self.last_code = {d: c for d, c in self.last_code.items() if d < depth}
            self.last_code[depth] = line.code
            self._open(line, 1 + depth, line.marker)
            return True
        # A letter sub-section belongs to the numbered section it sits in.
        if not line.formatted and self._is_leaf_item(line, lines, index):
            return False
        numbered = [s for s in self.stack if s.level != _LETTER_LEVEL]
        parent = numbered[-1].code if numbered else ""
        self._open(line, _LETTER_LEVEL, f"{parent}.{line.marker}" if parent else line.marker)
        return True

    def _is_leaf_item(self, line: _Line, lines: list[_Line], index: int) -> bool:
        """In a target list, "2. Tỷ lệ … 90%." followed by "3. …" is an item, not a heading."""
        if self.section is None or self.section.kind != _TARGET:
            return False
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None:
            if following.kind in (ITEM, BULLET, TEXT):
                return False
            if line.kind == ARABIC and following.kind == ARABIC:
                if len(following.code) > len(line.code):
                    return False
            elif line.kind == ARABIC and following.kind == LETTER:
                return False
        if _measurable(line.text):
            return True
        if line.kind == ARABIC and len(line.code) > 1:
            return False  # "1.3. Phát triển …: prose." is a sub-section, whatever its text
        # A plain "3. Hoàn thành …." reads as a sentence, which headings are not.
        return line.text.endswith((".", ";"))

    # -- content --

    def read(self, lines: list[_Line]) -> None:
        for index, line in enumerate(lines):
            if line.kind == APPENDIX:
                break  # the body ends where the appendices begin: their tables are read elsewhere
            if line.kind == RESET:
                self._close(0)
                continue
            if line.kind in _HEADINGS and self._heading(line, lines, index):
                continue
            self._content(line)
        self._close(0)

    def _content(self, line: _Line) -> None:
        section = self.section
        if section is None or section.kind == _OTHER:
            return  # tasks, requirements, organisation: other recognisers read them
        if section.kind == _GENERAL:
            section.general_sources.append(line.source)
            return
        if line.kind in (ITEM, ARABIC, LETTER):
            self._indicator(section, line, line.marker)
        elif line.kind == BULLET:
            number = self.bullets.get(section.code, 0) + 1
            self.bullets[section.code] = number
            if _measurable(line.text):
                self._indicator(section, line, str(number))
            else:
                self.warnings.append(
                    gettext(
                        "%(where)s: in a bullet point of indicator section %(code)s no "
                        "measurable level (a number with its unit, or a rank) was found, so it "
                        "was not read as an indicator: «%(text)s». Please check."
                    )
                    % {
                        "where": _where(line.source),
                        "code": section.code,
                        "text": _excerpt(line.text),
                    }
                )
        elif "phu luc" in fold(line.text):
            self.warnings.append(
                gettext(
                    "%(where)s: indicator section %(code)s refers to an appendix: "
                    "«%(text)s». The paragraph states no indicator itself: check that the "
                    "appendix's indicators are in the draft."
                )
                % {"where": _where(line.source), "code": section.code, "text": _excerpt(line.text)}
            )
        else:
            self.warnings.append(
                gettext(
                    "%(where)s: a paragraph in indicator section %(code)s is not a numbered "
                    "item, so it was not read as an indicator: «%(text)s». Please check."
                )
                % {"where": _where(line.source), "code": section.code, "text": _excerpt(line.text)}
            )

    def _indicator(self, section: _Section, line: _Line, number: str) -> None:
        # A dotted item ("1.5.3" in section "1.5") is already a full code.
        code = number if "." in number else f"{section.code}.{number}"
        if code in self.codes:
            duplicate = code
            suffix = 2
            while f"{duplicate}-{suffix}" in self.codes:
                suffix += 1
            code = f"{duplicate}-{suffix}"
            self.warnings.append(
                gettext(
                    "%(where)s: the number %(duplicate)s is repeated; the indicator was given "
                    "the code %(code)s. Please check."
                )
                % {"where": _where(line.source), "duplicate": duplicate, "code": code}
            )
        self.codes.add(code)
        match = find_target(line.text)
        name, target_text = _name_and_target_text(line.text, match)
        count = _target_count(line.text)
        if match is not None and count > 1 and len(levels(target_text)) < count:
            # The other levels stay in the target text, from the first one on, not only in
            # the name: whoever splits the indicator finds them all there.
            target_text = match.clean[match.start :].rstrip(" .")
        target = match.target if match else None
        unit = _RANK_UNIT if match and match.rank else (target.unit if target else "")
        item_year = _ITEM_YEAR_RE.search(fold(line.text))
        self.indicators.append(
            DraftIndicator(
                name=name,
                code=code,
                group=section.code,
                unit=unit,
                comparator=target.comparator if target else None,
                comparator_written=bool(target and target.written),
                target=target.value if target else None,
                target_text=target_text,
                target_year=int(item_year.group(1)) if item_year else section.year,
                row=", ".join(line.sources),
            )
        )
        if count <= 1 and target is not None and target.upper is not None:
            self.warnings.append(
                gettext(
                    "%(where)s: indicator %(code)s sets a range, «%(range)s»; one level can be "
                    "tracked, so the draft tracks its lower end and keeps the whole range in the "
                    "target text. Change the level if the range means another."
                )
                % {
                    "where": _where(line.source),
                    "code": code,
                    "range": match.clean[match.start : match.end] if match else "",
                }
            )
        if count > 1:
            self.warnings.append(
                gettext(
                    "%(where)s: indicator %(code)s states %(count)s levels to reach in one item; "
                    "only the first (%(first)s) was read. Split it into several indicators if "
                    "they are to be tracked separately."
                )
                % {
                    "where": _where(line.source),
                    "code": code,
                    "count": count,
                    "first": match.clean[match.start : match.end] if match else "",
                }
            )


def _measurable(text: str) -> bool:
    match = find_target(text)
    return match is not None and match.measurable


def indicators_from_lists(document: Document) -> tuple[list[DraftIndicator], list[str]]:
    """Indicators read from the target lists in the body of ``document``, and warnings for
    what a target section holds that is not an indicator."""
    reader = _Reader(plan_year=plan_year(document))
    reader.read(_lines(document))
    return reader.indicators, reader.warnings
