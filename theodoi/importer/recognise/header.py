"""The plan's identity from its first lines: number, date, place, issuer, title, parent plans.
Pure functions over the document's paragraphs."""

# The patterns below are words of Vietnamese plan documents: they stay Vietnamese whatever
# the interface language; only the warnings go through gettext.

import datetime
import re

from django.utils.translation import gettext

from theodoi.core.text import fold
from theodoi.importer.document import Document, Paragraph
from theodoi.importer.draft import DraftPlan
from theodoi.importer.recognise.issuer import header_issuer

_NUMBER_RE = re.compile(r"^\s*S[ốo]\s*:?\s*(.*?)\s*$", re.IGNORECASE)
# "KẾ HOẠCH" over a ward's plan; "CHƯƠNG TRÌNH HÀNH ĐỘNG" over a programme of the same kind.
_PLAN_WORD_RE = re.compile(
    r"^\s*(#+\s*)?\**\s*(?:K[ẾE] HO[ẠA]CH|CH[ƯU][ƠO]NG TR[ÌI]NH H[ÀA]NH [ĐD][ỘO]NG)\s*\**\s*$",
    re.IGNORECASE,
)
# A horizontal rule ("---", "***", "___", "* * *") ends the title: what follows is the body.
_RULE_RE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_PLACE_DATE_RE = re.compile(
    r"^(?P<place>[^,]{3,80}),\s*ngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+"
    r"(?P<year>\d{4})",
    re.IGNORECASE,
)
# The place and the start of the date, the rest on the next line: "Hà Nội, ngày 15 tháng 01".
_PLACE_DATE_START_RE = re.compile(
    r"^[^,]{3,80},\s*ngày(?:\s+\d{1,2}(?:\s+tháng(?:\s+\d{1,2}(?:\s+năm)?)?)?)?\s*$",
    re.IGNORECASE,
)
# "(Ban hành kèm theo Kế hoạch số 110/KH-UBND ngày 25/3/2026 của UBND phường Lê Chân)"
_APPENDIX_REF_RE = re.compile(
    r"kèm theo Kế hoạch số\s*(?P<number>[\w./-]*\d[\w./-]*)?\s*(?:,\s*)?ngày\s*"
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})",
    re.IGNORECASE,
)
# "(Ban hành kèm theo Kế hoạch số         /KH-UBND ngày      tháng 11 năm 2025 …)": a draft not
# numbered yet, whose symbol is all the number there is.
_APPENDIX_BLANK_RE = re.compile(
    r"(?i:kèm theo Kế hoạch số)[\s.…]*(?P<symbol>[-/]?[A-ZĐ]{2,}[-/][A-ZĐ][A-ZĐ-]*)"
)
_ISSUER_RE = re.compile(
    r"^(?P<issuer>(?:Ban Thường vụ |Ban Chấp hành )?(?:Đảng ủy|Ủy ban nhân dân|UBND)[^,.;]{0,60}?)"
    r"\s+(?:ban hành|xây dựng)\s+Kế hoạch",
    re.IGNORECASE,
)
_PARENT_START = ("can cu", "thuc hien")
_SECTION_START_RE = re.compile(r"^(#+\s*)?\**\s*([IVX]+[.-]|Phần thứ)", re.IGNORECASE)
_SENTENCE_END = (".", ";", ":", "”")


def _date(year: str, month: str, day: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _issuer_kind(number: str, issuer: str) -> str:
    folded = fold(f"{number} {issuer}")
    if "/du" in folded or "-kh/du" in folded or "dang uy" in folded or "/tu" in folded:
        return "party"
    if "ubnd" in folded or "uy ban nhan dan" in folded:
        return "peoples_committee"
    return ""


def recognise_header(document: Document) -> tuple[DraftPlan, list[str]]:
    plan = DraftPlan()
    warnings: list[str] = []
    paragraphs = document.paragraphs()
    head = paragraphs[:40]
    after_table = _after_table(document)
    title_index: int | None = None
    for index, paragraph in enumerate(head):
        text = paragraph.text
        number = _NUMBER_RE.match(text)
        if number and not plan.number and len(text) < 60:
            plan.number = number.group(1).strip()
            plan.sources.append(paragraph.source)
            continue
        place_date, used = _place_date_at(head, index)
        if place_date and plan.issued_on is None:
            plan.place = place_date.group("place").strip()
            plan.issued_on = _date(*place_date.group("year", "month", "day"))
            plan.sources.extend(p.source for p in head[index : index + used])
            continue
        if title_index is None and _PLAN_WORD_RE.match(text):
            title_index = index + 1
    if title_index is not None:
        plan.title, rest = _title(head, title_index, after_table)
        plan.sources.extend(p.source for p in head[title_index - 1 : rest])
        parents = [
            p
            for p in head[rest:]
            if fold(p.text).startswith(_PARENT_START)
            and re.search(r"(Kế hoạch|Nghị quyết|Quyết định|Chương trình)", p.text)
        ][:10]
        plan.parent_references = [p.text for p in parents]
        plan.sources.extend(p.source for p in parents)
    for paragraph in head:
        issuer = _ISSUER_RE.match(paragraph.text)
        if issuer:
            plan.issuer = issuer.group("issuer").strip()
            plan.sources.append(paragraph.source)
            break
    # The body named in the document's header ("ỦY BAN NHÂN DÂN / PHƯỜNG THÀNH ĐÔNG") is the
    # issuer itself; the sentence "… ban hành Kế hoạch" may leave the ward unnamed.
    body, sources = _header_body(head)
    plan.issuer = body or plan.issuer
    plan.sources.extend(sources)
    _fill_from_appendix_reference(document, plan)
    plan.issuer_kind = _issuer_kind(plan.number, plan.issuer)
    if not plan.issuer and plan.place and plan.issuer_kind:
        # "Số: 110/KH-UBND" signed in "Phường Lê Chân": the ward's People's Committee.
        body = "Đảng ủy" if plan.issuer_kind == "party" else "UBND"  # the issuer's real name
        plan.issuer = f"{body} {plan.place[:1].lower()}{plan.place[1:]}"
    if not re.search(r"\d", plan.number):
        warnings.append(
            gettext(
                "The plan has no number yet (the document says «Số %(number)s»): enter the "
                "number when checking the draft."
            )
            % {"number": plan.number}
            if plan.number
            else gettext("No plan number found: enter the number when checking the draft.")
        )
    if plan.issued_on is None:
        warnings.append(gettext("No date of issue found: enter the date when checking the draft."))
    if not plan.title:
        warnings.append(gettext("No plan title found (the line after the words «KẾ HOẠCH»)."))
    plan.sources = list(dict.fromkeys(plan.sources))
    return plan, warnings


def _header_body(head) -> tuple[str, list[str]]:
    """The issuing body of the header, on one line or two ("ỦY BAN NHÂN DÂN" over "PHƯỜNG
    AN BÌNH"), within the first lines, and the lines it was read from."""
    previous = None
    for paragraph in head[:12]:
        text = paragraph.text.strip()
        body = header_issuer(text)
        if body:
            return body, [paragraph.source]
        if previous is not None:
            body = header_issuer(f"{previous.text.strip()} {text}")
            if body:
                return body, [previous.source, paragraph.source]
        previous = paragraph
    return "", []


def _after_table(document: Document) -> set[int]:
    """Indexes (among the paragraphs) of the paragraphs that come right after a table."""
    found: set[int] = set()
    count, table_before = 0, False
    for block in document.blocks:
        if isinstance(block, Paragraph):
            if table_before:
                found.add(count)
            count, table_before = count + 1, False
        else:
            table_before = True
    return found


def _place_date_at(head, index: int) -> tuple[re.Match[str] | None, int]:
    """The place and date at paragraph ``index`` and how many paragraphs they take: one, or
    two when the line breaks inside the date ("Hà Nội, ngày 15 tháng 01" / "năm 2026")."""
    text = head[index].text.strip()
    match = _PLACE_DATE_RE.match(text)
    if match:
        return match, 1
    if index + 1 < len(head) and _PLACE_DATE_START_RE.match(text):
        joined = f"{text} {head[index + 1].text.strip()}"
        match = _PLACE_DATE_RE.match(joined)
        if match:
            return match, 2
    return None, 0


def _title(head, start: int, after_table: set[int] = frozenset()) -> tuple[str, int]:
    """The title runs from the line after "KẾ HOẠCH" until a "Căn cứ"/"Thực hiện" paragraph, a
    section heading, a table (a workbook's title stands right above its table), a horizontal
    rule, or a paragraph set apart from it (a bold or heading title followed by plain text); PDF
    text wraps it over several lines, which are joined."""
    parts: list[str] = []
    style: tuple[int, bool] | None = None  # (heading, bold) of the title's first line
    index = start
    while index < len(head):
        if parts and index in after_table:
            break
        paragraph = head[index]
        text = paragraph.text.strip().strip("*").strip()
        folded = fold(text)
        if _RULE_RE.match(paragraph.text):
            break
        place_date, used = _place_date_at(head, index)
        if _NUMBER_RE.match(text) and len(text) < 60 or place_date:
            # "Số: …" or "Phường …, ngày …" written after the word "KẾ HOẠCH".
            index += max(used, 1)
            continue
        if folded.startswith("can cu") or (
            parts and (folded.startswith(_PARENT_START) or _SECTION_START_RE.match(text))
        ):
            break
        if parts and style is not None and style != (paragraph.heading > 0, paragraph.bold):
            break
        if parts and parts[-1].endswith(_SENTENCE_END) and not text[:1].islower():
            break
        if _ISSUER_RE.match(text):
            break
        if style is None:
            style = (paragraph.heading > 0, paragraph.bold)
        parts.append(text)
        index += 1
        if len(parts) >= 8:
            break
    return " ".join(parts).strip(), index


def _fill_from_appendix_reference(document: Document, plan: DraftPlan) -> None:
    """An appendix says "kèm theo Kế hoạch số 110/KH-UBND ngày 25/3/2026": a second source for
    a number or date the first page leaves blank."""
    for paragraph in document.paragraphs():
        blank = _APPENDIX_BLANK_RE.search(paragraph.text)
        if blank and not plan.number:
            plan.number = blank.group("symbol")
            plan.sources.append(paragraph.source)
        match = _APPENDIX_REF_RE.search(paragraph.text)
        if not match:
            continue
        if match.group("number") and not re.search(r"\d", plan.number):
            plan.number = match.group("number")
            plan.sources.append(paragraph.source)
        if plan.issued_on is None:
            plan.issued_on = _date(*match.group("year", "month", "day"))
            plan.sources.append(paragraph.source)
        return
