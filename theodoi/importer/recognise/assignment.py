"""Who leads a task, who helps, and by when, read from the task's own sentence. Pure functions.

Plans written as prose assign each task inside its sentence instead of in table columns:

- the lead: "<unit> chủ trì" (the unit being the words since the clause began: after "(", ";",
  ".", ":", a line break or "giao"), "Giao (cho) <unit> <verb> …", a short clause "<unit> thực
  hiện", or a label "Đơn vị chủ trì: …", "Cơ quan chủ trì: …", "Chủ trì: …", "Đơn vị thực
  hiện: …";
- the coordinating units: "phối hợp (với) <units>" after a lead, up to the next verb, deadline or
  clause end, or a label "Đơn vị phối hợp: …", "Phối hợp: …";
- the deadline: a label "Thời gian (hoàn thành|thực hiện): …", "Thời hạn: …", "Tiến độ: …"; else
  a phrase opened by "hoàn thành", "trước", "trong", "chậm nhất", "đến (hết)" and followed at once
  by a date, quarter, month or year ("hoàn thành trong quý II/2026", "trước 30/6/2026"); else a
  clause that is only a date ("; quý III/2026"); else a recurrence word at the start or end of a
  clause ("thường xuyên", "hằng năm", "định kỳ hằng quý").

What is NOT an assignment:
- "phối hợp" without a lead ("Phối hợp với các sở … triển khai …") is the task's own verb;
- a unit-like word that starts a verb phrase ("Tổ chức …", "Ban hành …", "Phòng, chống …");
- the date of another document ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"): no
  deadline marker opens it, and ``parse_deadline`` blanks document references anyway.

The deadline is returned as the phrase as written, the text ``parse_deadline`` reads.
"""

import re
from dataclasses import dataclass

from theodoi.core.text import fold
from theodoi.plans.deadline import DeadlineKind, Recurrence, parse_deadline

# The most words a unit's name takes ("Ban Chỉ đạo về phát triển khoa học, công nghệ, … phường").
MAX_UNIT_WORDS = 16

# First words of a unit's name, folded. A name may follow "các" ("các phòng chuyên môn").
_UNIT_HEADS = (
    "van phong",
    "phong",
    "ban",
    "cong an",
    "trung tam",
    "uy ban",
    "ubnd",
    "ubmttq",
    "mttq",
    "mat tran",
    "dang uy",
    "hdnd",
    "hoi",
    "doan",
    "truong",
    "tram",
    "chi cuc",
    "chi nhanh",
    "bo phan",
    "to",
    "chu tich",
    "pho chu tich",
    "thu truong",
    "nguoi dung dau",
    "co quan",
    "don vi",
    "bao hiem",
    "kho bac",
    "chi bo",
    "dang bo",
    "lien doan",
    "hop tac xa",
    "bi thu",
    "pho bi thu",
    "thuong truc",
    "thuong vu",
    "cong chuc",
    "lanh dao",
    "vp",
    "ca",
    "bchqs",
    "ttdvth",
    "tyt",
    "ubkt",
    "cong doan",
    "cac",
)
# Verb phrases that start with a unit-like word: never a unit.
_NOT_UNITS = (
    "to chuc",
    "ban hanh",
    "hoi nghi",
    "hoi thao",
    "hoi dap",
    "phong chong",
    "phong ngua",
    "phong, chong",
    "truong hop",
    "doan ket",
    "cac noi dung",
    "cac nhiem vu",
    "cac giai phap",
    "cac chuong trinh",
    "cac hoat dong",
    "cac ke hoach",
    "cac chinh sach",
    "co quan nha nuoc",
)
# Verbs that end a list of units ("… phối hợp với Phòng Kinh tế triển khai …"). Folded,
# matched at word starts; "phục vụ" is missing on purpose ("Trung tâm Phục vụ hành chính công").
_VERBS = (
    "thuc hien",
    "trien khai",
    "to chuc",
    "tham muu",
    "xay dung",
    "huong dan",
    "ra soat",
    "theo doi",
    "bao cao",
    "don doc",
    "kiem tra",
    "tong hop",
    "cap nhat",
    "hoan thanh",
    "ban hanh",
    "tuyen truyen",
    "de xuat",
    "boi duong",
    "dao tao",
    "van hanh",
    "nang cap",
    "so hoa",
    "ho tro",
    "giam sat",
    "danh gia",
    "lam dau moi",
    "chiu trach nhiem",
    "bao dam",
    "dam bao",
    "trong",
    "truoc",
    "cham nhat",
    "thuong xuyen",
    "hang nam",
    "hang quy",
    "hang thang",
    "dinh ky",
    "chi dao",
    "giao",
    "la co quan",
    "la don vi",
    "la dau moi",
    "co trach nhiem",
)
# What may stand between a lead unit and "chủ trì" ("Phòng Kinh tế là cơ quan chủ trì").
_ROLE_RE = re.compile(
    r"(?:chịu|có)\s+trách\s+nhiệm|là\s+(?:cơ\s+quan|đơn\s+vị)|làm\s+đầu\s+mối|là\s+đầu\s+mối",
    re.IGNORECASE,
)

# The labels that assign a task ("Đơn vị chủ trì: …", "Bộ phận phối hợp: …", "Thời điểm hoàn
# thành: …"): one list for reading them in a sentence and for telling a label line from an item.
# Vietnamese on purpose: the words of plan documents.
_LABELS = (
    r"(?:đơn\s+vị|cơ\s+quan|bộ\s+phận)\s+(?:chủ\s+trì|thực\s+hiện|phối\s+hợp)(?:\s+thực\s+hiện)?"
    r"|(?:chủ\s+trì|trách\s+nhiệm)(?:\s+thực\s+hiện)?|phối\s+hợp"
    r"|thời\s+(?:gian|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện))?|tiến\s+độ"
    r"|thời\s+điểm\s+hoàn\s+thành"
)
_LABEL_RE = re.compile(
    rf"(?P<label>{_LABELS})\s*:\s*(?P<value>.*?)(?=[;\n)]|\.\s|\.?$)", re.IGNORECASE
)
# A line that is only a label ("+ Thời gian hoàn thành: Quý II/2026" without its bullet).
LABEL_LINE_RE = re.compile(rf"^\s*(?:{_LABELS})\s*:", re.IGNORECASE)
_CHU_TRI_RE = re.compile(r"\bchủ\s+trì\b", re.IGNORECASE)
_THUC_HIEN_RE = re.compile(r"\bthực\s+hiện\b", re.IGNORECASE)
_GIAO_RE = re.compile(r"\b[Gg]iao(?:\s+cho)?\s+")
_PHOI_HOP_RE = re.compile(r"\bphối\s+hợp(?:\s+(?:với|cùng))?\s+", re.IGNORECASE)
# Where a clause begins, looking back from an assignment verb.
_CLAUSE_BREAK_RE = re.compile(r"[(;:\n]|\.\s|\s[-–]\s(?=[a-zđ])")

# Vietnamese on purpose: the words before a date in plan documents.
_DATE_START = (
    r"(?:(?:ngày|quý|tháng|năm|hết|cuối|đầu|giai\s+đoạn|6\s+tháng\s+(?:đầu|cuối)(?:\s+năm)?)\s*)*"
    r"(?:\d|[IV]+\s*[/,-]?\s*(?:năm\s*)?\d{4})"
)
_DEADLINE_PHRASE_RE = re.compile(
    r"(?:(?:hoàn\s+thành|xong)\s+)?"
    r"(?:trong|trước|chậm\s+nhất(?:\s+(?:là|vào|trước|trong))?|vào|đến\s+hết|đến|hoàn\s+thành)"
    r"\s+" + _DATE_START,
    re.IGNORECASE,
)
_BARE_DATE_CLAUSE_RE = re.compile(
    r"(?:^|(?<=[;(]))\s*(?P<text>(?:quý\s+[IV\d]+\s*/\s*\d{4}|tháng\s+\d{1,2}\s*/\s*\d{4}"
    r"|năm\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}))\s*(?=[;).]|$)",
    re.IGNORECASE,
)
_RECURRENCE_RE = re.compile(
    r"(?:định\s+kỳ\s+)?(?:thường\s+xuyên(?:,?\s+liên\s+tục)?|liên\s+tục|"
    r"h[ằà]ng\s+(?:năm|quý|tháng|tuần)|\d+\s+tháng\s*/\s*lần)",
    re.IGNORECASE,
)
_PHRASE_END_RE = re.compile(r"[;)\n]|\.(?:\s|$)")
# Characters before a recurrence word enough to hold the words it may follow ("hoàn thành"),
# however spaced or decomposed: folding all the text before it took a long text's time.
_LONGEST_OPENER = 40


@dataclass
class Assignment:
    """What a sentence says about who does a task and by when; "" where it says nothing."""

    lead: str = ""
    coordinating: str = ""
    deadline: str = ""

    def __bool__(self) -> bool:
        return bool(self.lead or self.coordinating or self.deadline)


def _words(text: str) -> list[str]:
    return text.split()


def _starts_with_head(folded: str) -> bool:
    verb_phrase = any(folded.startswith(n) for n in _NOT_UNITS)
    if verb_phrase and not folded.startswith(("to cong nghe", "cac co quan")):
        return False
    return any(folded == h or folded.startswith(h + " ") for h in _UNIT_HEADS)


def is_unit_name(text: str) -> bool:
    """Whether ``text`` reads as a unit's name (or a list of them): a unit's first words, at
    most ``MAX_UNIT_WORDS`` words, no sentence in it."""
    text = text.strip().strip(",.:;")
    if (
        not text
        or len(_words(text)) > MAX_UNIT_WORDS
        or text[0].islower()
        and not (fold(text).startswith("cac "))
    ):
        return False
    return _starts_with_head(fold(text))


_UNIT_START_RE = re.compile(r"[\s,]+")


def _unit_starts(segment: str) -> list[int]:
    """Where in ``segment`` a unit's name ending it may start: the first word, and after each
    space or comma, but only among its last ``MAX_UNIT_WORDS`` words, since a longer tail is
    no unit's name. Trying every start of a long clause took time quadratic in its length."""
    # Split from the end: the words before the last MAX_UNIT_WORDS stay one piece, unread.
    pieces = segment.rsplit(None, MAX_UNIT_WORDS)
    if len(pieces) <= MAX_UNIT_WORDS:
        return [0] + [m.end() for m in _UNIT_START_RE.finditer(segment)]
    # A tail that starts before the first of those words, even inside a word after a comma, is
    # a word too long; the search starts on the space before it, so that a comma opening it is
    # passed over as the whole clause's search would.
    return [m.end() for m in _UNIT_START_RE.finditer(segment, len(pieces[0]))]


def _unit_before(text: str) -> str:
    """The unit's name ending ``text`` (the words before "chủ trì"): the longest tail of the
    clause that starts with a capitalised unit's first words."""
    segment = text
    breaks = list(_CLAUSE_BREAK_RE.finditer(segment))
    if breaks:
        segment = segment[breaks[-1].end() :]
    giao = list(_GIAO_RE.finditer(segment))
    if giao:
        segment = segment[giao[-1].end() :]
    segment = segment.strip().rstrip(",").strip()
    if not segment:
        return ""
    for start in _unit_starts(segment):
        tail = segment[start:].strip()
        if not tail or not (tail[:1].isupper() or start == 0):
            continue  # a name within the clause starts with a capital
        unit = _units_after(tail)
        if unit != tail and not _ROLE_RE.fullmatch(tail[len(unit) :].strip()):
            continue  # a verb inside: "Ủy ban nhân dân phường chỉ đạo Phòng …"
        if (unit[:1].isupper() or start == 0) and is_unit_name(unit):
            return unit
    return ""


def _verb_at(words: list[str], originals: list[str], index: int) -> bool:
    """Whether a verb starts at word ``index``: in lower case, since units' names capitalise
    their words ("Ban Tổ chức", "Ban Chỉ đạo")."""
    if not originals[index][:1].islower():
        return False
    rest = " ".join(words[index : index + 4])
    return any(rest == v or rest.startswith((v + " ", v + ",")) for v in _VERBS)


def _units_after(text: str) -> str:
    """The units listed at the start of ``text``, up to a verb, a deadline or the clause's end."""
    end = _PHRASE_END_RE.search(text)
    clause = text[: end.start()] if end else text
    matches = list(re.finditer(r"\S+", clause))
    words = [fold(m.group()) for m in matches]
    originals = [m.group() for m in matches]
    for index in range(1, len(matches)):
        if _verb_at(words, originals, index):
            return clause[: matches[index].start()].strip().rstrip(",").strip()
    return clause.strip().rstrip(",").strip()


def _lead_and_coordinating(text: str) -> tuple[str, str]:
    for match in _CHU_TRI_RE.finditer(text):
        lead = _unit_before(text[: match.start()])
        if not lead:
            continue
        after = text[match.end() :]
        coordinating = ""
        helper = _PHOI_HOP_RE.match(after.lstrip(" ,"))
        if helper:
            coordinating = _units_after(after.lstrip(" ,")[helper.end() :])
        return lead, coordinating
    # "Giao Phòng Kinh tế triển khai …": the unit runs to its first verb.
    for match in _GIAO_RE.finditer(text):
        units = _units_after(text[match.end() :])
        if units and is_unit_name(units):
            after = text[match.end() + len(units) :]
            helper = _PHOI_HOP_RE.match(after.lstrip(" ,"))
            coordinating = _units_after(after.lstrip(" ,")[helper.end() :]) if helper else ""
            return units, coordinating
    # "Công an phường thực hiện …", "Văn phòng … phối hợp với … thực hiện": a clause whose
    # subject is a unit.
    for match in list(_PHOI_HOP_RE.finditer(text)) + list(_THUC_HIEN_RE.finditer(text)):
        lead = _clause_subject(text[: match.start()])
        if lead:
            coordinating = ""
            if match.re is _PHOI_HOP_RE:
                coordinating = _units_after(text[match.end() :])
            return lead, coordinating
    return "", ""


def _clause_subject(text: str) -> str:
    """The whole clause before the verb, when it is a unit's name."""
    breaks = list(_CLAUSE_BREAK_RE.finditer(text))
    clause = text[breaks[-1].end() :] if breaks else text
    clause = clause.strip().rstrip(",").strip()
    if len(clause.split(None, MAX_UNIT_WORDS)) > MAX_UNIT_WORDS:
        return ""  # no unit's name is that long: not folded, which takes a long clause's time
    if not clause or not (clause[0].isupper() or fold(clause).startswith("cac ")):
        return ""
    return clause if is_unit_name(clause) else ""


def _phrase(text: str, start: int) -> str:
    end = _PHRASE_END_RE.search(text, start)
    return text[start : end.start() if end else len(text)].strip(" ,")


def _has_date(text: str) -> bool:
    parsed = parse_deadline(text)
    return parsed.kind not in (DeadlineKind.UNKNOWN, DeadlineKind.EVENT) or (
        parsed.recurrence != Recurrence.NONE
    )


def deadline_phrase(text: str) -> str:
    """The deadline the sentence states, as written; "" when it states none."""
    for match in _DEADLINE_PHRASE_RE.finditer(text):
        phrase = _phrase(text, match.start())
        if _has_date(phrase):
            return phrase
    for match in _BARE_DATE_CLAUSE_RE.finditer(text):
        if _has_date(match.group("text")):
            return match.group("text").strip()
    for match in _RECURRENCE_RE.finditer(text):
        before = text[: match.start()].rstrip()
        after = text[match.end() :].lstrip()
        at_start = (
            not before
            or before[-1] in "(;:"
            or fold(before[-_LONGEST_OPENER:]).endswith(
                ("thuc hien", "trien khai", "thoi gian", "bao cao", "hoan thanh")
            )
        )
        at_end = not after or after[0] in ";.),"
        if at_start or at_end:
            return match.group(0).strip()
    return ""


def read_assignment(text: str) -> Assignment:
    """The lead, coordinating units and deadline one task's text states."""
    result = Assignment()
    rest = text
    for match in _LABEL_RE.finditer(text):
        label = fold(match.group("label"))
        value = match.group("value").strip().rstrip(".").strip()
        if not value:
            continue
        if "phoi hop" in label:
            result.coordinating = result.coordinating or value
        elif (
            "chu tri" in label
            or "trach nhiem" in label
            or ("thuc hien" in label and "thoi" not in label)
        ):
            result.lead = result.lead or value
        else:
            result.deadline = result.deadline or value
        rest = rest.replace(match.group(0), " ")
    if not result.lead:
        result.lead, coordinating = _lead_and_coordinating(rest)
        result.coordinating = result.coordinating or coordinating
    if not result.lead and not result.coordinating:
        # "Phối hợp với Công an phường hướng dẫn …": the units named help; the lead is unsaid.
        helper = _PHOI_HOP_RE.match(rest.lstrip())
        if helper and re.match(r"\s*phối\s+hợp\s+(?:với|cùng)", rest, re.IGNORECASE):
            units = _units_after(rest.lstrip()[helper.end() :])
            result.coordinating = units if is_unit_name(units) else ""
    if not result.deadline:
        result.deadline = deadline_phrase(rest)
    return result


# The words around a date in a sentence that only dates a task ("Hoàn thành trong …").
_DATING_WORDS = 30
# A sentence boundary: a full stop or semicolon, then a capital letter.
_SENTENCE_START_RE = re.compile(r"[.;]\s+(?=[A-ZĐÀ-Ỹ])")


def split_assignment(text: str) -> tuple[str, str]:
    """(what is to be done, the sentences that assign it) of a task written as prose: "Tổ chức
    04 lớp … cho người cao tuổi. Ủy ban MTTQ phường chủ trì, …; hoàn thành trong quý III/2026."
    → the first sentence, and the rest. The text stays whole, with "" as its assignment, when
    the assignment opens the text ("Giao Phòng Kinh tế chủ trì rà soát …") or no later sentence
    assigns anything."""
    for boundary in _SENTENCE_START_RE.finditer(text):
        head, tail = text[: boundary.start() + 1].strip(), text[boundary.end() :].strip()
        said = read_assignment(tail)
        # A sentence that only dates the task must be little more than its date: "Thường
        # xuyên theo dõi, đánh giá kết quả …" is more work, not a deadline.
        dating = said.deadline and len(tail) <= len(said.deadline) + _DATING_WORDS
        if (said.lead or said.coordinating or dating) and not read_assignment(head).lead:
            return head, tail
    return text, ""


def unit_heading(text: str) -> str:
    """The unit a heading names for the items under it: "Văn phòng HĐND và UBND:" or "Giao Phòng
    Kinh tế chủ trì thực hiện các nhiệm vụ sau:"; "" otherwise."""
    stripped = text.strip()
    if stripped.endswith(":") and is_unit_name(stripped[:-1]):
        return stripped[:-1].strip()
    head, colon, _ = stripped.partition(":")
    if colon and is_unit_name(head):
        return head.strip()
    return read_assignment(stripped).lead
