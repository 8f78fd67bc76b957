"""Deadline parsing (DESIGN §3): every example of the design and every deadline cell of the seeds.

Plain functions, no database: `theodoi.plans.deadline` imports nothing from Django.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import pytest

from theodoi.plans.deadline import (
    DeadlineKind,
    ParsedDeadline,
    Recurrence,
    normalize_text,
    occurrences,
    parse_deadline,
)

K = DeadlineKind
R = Recurrence
NONE = R.NONE


def _slug(text: str) -> str:
    """An ASCII test id, so that failing cases are readable in any terminal."""
    ascii_text = "".join(
        c
        for c in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        if not unicodedata.combining(c)
    )
    words = "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).split("-")
    return "-".join(word for word in words if word)[:60] or "empty"


# --- DESIGN §3 examples: (text, kind, due date, recurrence) -------------------------------------

DESIGN_EXAMPLES: list[tuple[str, DeadlineKind, date | None, Recurrence]] = [
    ("30/9/2026", K.DATE, date(2026, 9, 30), NONE),
    ("Trước ngày 30/6/2026", K.DATE, date(2026, 6, 30), NONE),
    ("Tháng 02/2026", K.MONTH, date(2026, 2, 28), NONE),
    ("Tháng 12/2025 (Theo KH số 92/KH-UBND của tỉnh)", K.MONTH, date(2025, 12, 31), NONE),
    ("Quý I/2026", K.QUARTER, date(2026, 3, 31), NONE),
    ("Quý 1/2026", K.QUARTER, date(2026, 3, 31), NONE),
    ("Trong Quý IV/2030 đạt trên 40%", K.QUARTER, date(2030, 12, 31), NONE),
    ("Năm 2026", K.YEAR, date(2026, 12, 31), NONE),
    ("2026", K.YEAR, date(2026, 12, 31), NONE),
    ("Giai đoạn 2026-2027", K.RANGE, date(2027, 12, 31), NONE),
    ("Năm 2026-2030", K.RANGE, date(2030, 12, 31), NONE),
    ("Năm 2025 và những năm tiếp theo", K.RANGE, date(2025, 12, 31), R.YEARLY),
    ("Thường xuyên", K.RECURRING, None, R.CONTINUOUS),
    ("Hàng năm", K.RECURRING, None, R.YEARLY),
    ("Hàng quý", K.RECURRING, None, R.QUARTERLY),
    ("Quý I hàng năm", K.RECURRING, None, R.YEARLY),
    ("6 tháng/lần", K.RECURRING, None, R.HALF_YEARLY),
    ("Sau khi UBND thành phố ban hành Kế hoạch", K.EVENT, None, NONE),
    ("Khi có yêu cầu", K.EVENT, None, NONE),
    ("Theo hướng dẫn của tỉnh", K.EVENT, None, NONE),
    ("Chưa xác định", K.UNKNOWN, None, NONE),
]


@pytest.mark.parametrize(
    ("text", "kind", "due", "recurrence"),
    [pytest.param(*case, id=_slug(case[0])) for case in DESIGN_EXAMPLES],
)
def test_design_examples(
    text: str, kind: DeadlineKind, due: date | None, recurrence: Recurrence
) -> None:
    """Each example of the DESIGN §3 table parses to its kind, due date and recurrence."""
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.due_date, parsed.recurrence) == (kind, due, recurrence)


# --- Every distinct deadline cell of the five seeds, verbatim -----------------------------------
# (text, kind, due date, recurrence, needs review). Cells wrapped over two rows are joined with a
# space. Without plan_year, so recurring deadlines have no first due date here.

SEED_DEADLINE_TEXTS: list[tuple[str, DeadlineKind, date | None, Recurrence, bool]] = [
    # seeds/000 (Đảng ủy, "Thời gian thực hiện")
    ("Thường xuyên", K.RECURRING, None, R.CONTINUOUS, False),
    ("Năm 2026-2030", K.RANGE, date(2030, 12, 31), NONE, False),
    ("Năm 2026", K.YEAR, date(2026, 12, 31), NONE, False),
    ("Giai đoạn 2026-2027", K.RANGE, date(2027, 12, 31), NONE, False),
    ("Năm 2026 và các năm tiếp theo", K.RANGE, date(2026, 12, 31), R.YEARLY, False),
    ("Hàng năm", K.RECURRING, None, R.YEARLY, False),
    # Wrapped over two rows: "Sau khi UBND thành phố" + "ban hành Kế hoạch".
    ("Sau khi UBND thành phố ban hành Kế hoạch", K.EVENT, None, NONE, True),
    ("Giai đoạn 2026-2030", K.RANGE, date(2030, 12, 31), NONE, False),
    ("Giai đoạn 2027-2030", K.RANGE, date(2030, 12, 31), NONE, False),
    # seeds/001 (Đảng ủy, "(7) Thời hạn Hoàn thành")
    ("<p>Thường xuyên</p>", K.RECURRING, None, R.CONTINUOUS, False),
    ("2026", K.YEAR, date(2026, 12, 31), NONE, False),
    ("Quý I/2026", K.QUARTER, date(2026, 3, 31), NONE, False),
    # Two deadlines: the Đề án (the task's output) in Q1, follow-up work in 2026; Q1 stands.
    (
        "Quý I/2026 hoàn thành xây dựng Đề án, triển khai nhiệm vụ theo phân kỳ năm 2026 "
        "(thực hiện theo hướng dẫn của tỉnh)",
        K.QUARTER,
        date(2026, 3, 31),
        NONE,
        True,
    ),
    ("Tháng 02/2026", K.MONTH, date(2026, 2, 28), NONE, False),
    ("Quý IV/2026", K.QUARTER, date(2026, 12, 31), NONE, False),
    ("Phân kỳ năm 2026 theo Quyết định số 204-QĐ/TW", K.YEAR, date(2026, 12, 31), NONE, False),
    (
        "- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026.",
        K.QUARTER,
        date(2026, 3, 31),
        NONE,
        True,
    ),
    ("Quý 1/2026", K.QUARTER, date(2026, 3, 31), NONE, False),
    ("Quý II/2026", K.QUARTER, date(2026, 6, 30), NONE, False),
    # From the untitled column after (7), beside most deadlines of seed 001.
    ("Theo hướng dẫn của tỉnh", K.EVENT, None, NONE, True),
    # seeds/002 (UBND, "Thời gian hoàn thành", then the 2025 budget's "Thời gian thực hiện")
    ("<b>Quý I hàng năm</b>", K.RECURRING, None, R.YEARLY, False),
    ("<b>Quý I Hàng năm</b>", K.RECURRING, None, R.YEARLY, False),
    ("<b>Tháng 9/2025</b>", K.MONTH, date(2025, 9, 30), NONE, False),
    (
        "<b>Tháng 12/2025</b> (Theo KH số 92/KH-UBND của tỉnh)",
        K.MONTH,
        date(2025, 12, 31),
        NONE,
        False,
    ),
    (
        "<b>Tháng 12/2025</b> và các năm tiếp theo (Theo KH số 92/KH-UBND của tỉnh)",
        K.RANGE,
        date(2025, 12, 31),
        R.YEARLY,
        False,
    ),
    (
        "<b>Tháng 6/2026</b> (Theo KH số 92/KH-UBND của tỉnh)",
        K.MONTH,
        date(2026, 6, 30),
        NONE,
        False,
    ),
    (
        "<b>Tháng 9/2026</b> (Theo KH số 92/KH-UBND của tỉnh)",
        K.MONTH,
        date(2026, 9, 30),
        NONE,
        False,
    ),
    ("<b>Năm 2030</b>", K.YEAR, date(2030, 12, 31), NONE, False),
    ("<b>Năm 2025</b> và những năm tiếp theo", K.RANGE, date(2025, 12, 31), R.YEARLY, False),
    (
        "<b>Quý III/2025</b> (Theo KH số 92/KH-UBND của tỉnh)",
        K.QUARTER,
        date(2025, 9, 30),
        NONE,
        False,
    ),
    (
        "<b>Quý I/2026</b> (Theo KH số 92/KH-UBND của tỉnh)",
        K.QUARTER,
        date(2026, 3, 31),
        NONE,
        False,
    ),
    (
        "<b>Quý II/2026</b> (Theo KH số 92/KH-UBND của tỉnh)",
        K.QUARTER,
        date(2026, 6, 30),
        NONE,
        False,
    ),
    (
        "<b>Quý IV/2026</b> (Theo KH số 92/KH-UBND của tỉnh)",
        K.QUARTER,
        date(2026, 12, 31),
        NONE,
        False,
    ),
    ("<b>Năm 2026</b>", K.YEAR, date(2026, 12, 31), NONE, False),
    (
        "<b>Tháng 3/2026</b> (Theo KH số 92/KH-UBND của tỉnh)",
        K.MONTH,
        date(2026, 3, 31),
        NONE,
        False,
    ),
    ("2025", K.YEAR, date(2025, 12, 31), NONE, False),
    ("2025 -2026", K.RANGE, date(2026, 12, 31), NONE, False),
    ("2025-2026", K.RANGE, date(2026, 12, 31), NONE, False),
    # seeds/003 (UBND; "Thời gian hoàn thành: …" lines under each group of tasks)
    ("Trong Quý IV/2025.", K.QUARTER, date(2025, 12, 31), NONE, False),
    ("Quý I/2030.", K.QUARTER, date(2030, 3, 31), NONE, False),
    # The schedule lives in another table of the plan: an officer sets the dates.
    ("Theo lộ trình tại Phụ lục I", K.EVENT, None, NONE, True),
    ("Quý I/2028", K.QUARTER, date(2028, 3, 31), NONE, False),
    ("Trong Quý II/2028", K.QUARTER, date(2028, 6, 30), NONE, False),
    ("Quý I/2030", K.QUARTER, date(2030, 3, 31), NONE, False),
    ("Trong Quý I/2028", K.QUARTER, date(2028, 3, 31), NONE, False),
    ("Trong Quý IV/2030 đạt trên 40%.", K.QUARTER, date(2030, 12, 31), NONE, False),
    ("Trong Quý III/2028", K.QUARTER, date(2028, 9, 30), NONE, False),
    ("Trong Quý I/2030 đạt trên 85%", K.QUARTER, date(2030, 3, 31), NONE, False),
    ("Trong Quý III/2030 đạt 10%", K.QUARTER, date(2030, 9, 30), NONE, False),
    # seeds/004 (UBND, Markdown pipe table, "Thời gian hoàn thành")
    ("Tháng 6/2026", K.MONTH, date(2026, 6, 30), NONE, False),
    ("Tháng 12/2026", K.MONTH, date(2026, 12, 31), NONE, False),
]

SEED_IDS = [_slug(case[0]) for case in SEED_DEADLINE_TEXTS]


def test_seed_texts_are_distinct() -> None:
    """The seed table lists each cell once, so its size is the number of distinct cells."""
    texts = [case[0] for case in SEED_DEADLINE_TEXTS]
    assert len(texts) == len(set(texts)) == 51


@pytest.mark.parametrize(
    ("text", "kind", "due", "recurrence", "needs_review"), SEED_DEADLINE_TEXTS, ids=SEED_IDS
)
def test_seed_deadline_cells(
    text: str, kind: DeadlineKind, due: date | None, recurrence: Recurrence, needs_review: bool
) -> None:
    """Every deadline cell of the seeds parses to the expected kind, due date and recurrence."""
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.due_date, parsed.recurrence, parsed.needs_review) == (
        kind,
        due,
        recurrence,
        needs_review,
    )


@pytest.mark.parametrize("text", [case[0] for case in SEED_DEADLINE_TEXTS], ids=SEED_IDS)
def test_text_is_kept_verbatim(text: str) -> None:
    """The parsed deadline keeps the cell exactly as written, markup included."""
    assert parse_deadline(text).text == text
    assert parse_deadline(text, plan_year=2026).text == text


# --- Spelling, case, diacritics and spacing ----------------------------------------------------

SPELLING_VARIANTS: list[tuple[str, DeadlineKind, date]] = [
    ("quý I/2026", K.QUARTER, date(2026, 3, 31)),
    ("Quy 1/2026", K.QUARTER, date(2026, 3, 31)),
    ("Quý I /2026", K.QUARTER, date(2026, 3, 31)),
    ("QUÝ I NĂM 2026", K.QUARTER, date(2026, 3, 31)),
    ("quy iv nam 2026", K.QUARTER, date(2026, 12, 31)),
    ("Quý  III / 2027", K.QUARTER, date(2027, 9, 30)),
    ("Quý 4/2026", K.QUARTER, date(2026, 12, 31)),
    ("Q2/2026", K.QUARTER, date(2026, 6, 30)),
    # The same letters with combining accents (NFD), as some PDF converters write them.
    (unicodedata.normalize("NFD", "Quý II/2026"), K.QUARTER, date(2026, 6, 30)),
    ("tháng 6 năm 2026", K.MONTH, date(2026, 6, 30)),
    ("THANG 02/2028", K.MONTH, date(2028, 2, 29)),
    ("6/2026", K.MONTH, date(2026, 6, 30)),
    ("ngày 15 tháng 3 năm 2026", K.DATE, date(2026, 3, 15)),
    ("trước ngày 30.6.2026", K.DATE, date(2026, 6, 30)),
    ("Đến hết năm 2027", K.YEAR, date(2027, 12, 31)),
    ("nam 2026", K.YEAR, date(2026, 12, 31)),
    ("Giai đoạn 2026 – 2030", K.RANGE, date(2030, 12, 31)),
    ("Từ năm 2026 đến năm 2030", K.RANGE, date(2030, 12, 31)),
    ("6 tháng đầu năm 2026", K.MONTH, date(2026, 6, 30)),
    ("<p><b>Quý II/2026</b></p>", K.QUARTER, date(2026, 6, 30)),
    ("Trong Quý I/2026 đạt $\\geq 80$%", K.QUARTER, date(2026, 3, 31)),
]


@pytest.mark.parametrize(
    ("text", "kind", "due"), SPELLING_VARIANTS, ids=[_slug(c[0]) for c in SPELLING_VARIANTS]
)
def test_spelling_variants(text: str, kind: DeadlineKind, due: date) -> None:
    """Case, missing diacritics, odd spacing, markup and roman or arabic quarters do not matter."""
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.due_date, parsed.needs_review) == (kind, due, False)


# --- Numbers and dates that belong to other documents ------------------------------------------

REFERENCE_CASES: list[tuple[str, DeadlineKind, date | None]] = [
    ("Phân kỳ năm 2026 theo Quyết định số 204-QĐ/TW", K.YEAR, date(2026, 12, 31)),
    (
        "Theo Nghị quyết số 66.7/2025/NQ-CP ngày 15/11/2025, hoàn thành trong Quý II/2026",
        K.QUARTER,
        date(2026, 6, 30),
    ),
    (
        "Quý III/2026 (theo Kế hoạch số 12/KH-UBND, ngày 15/11/2025 của tỉnh)",
        K.QUARTER,
        date(2026, 9, 30),
    ),
    ("Tháng 9/2026 theo Kế hoạch số 92 ngày 15/11/2025", K.MONTH, date(2026, 9, 30)),
    ("Năm 2027 (Luật số 57/2024/QH15)", K.YEAR, date(2027, 12, 31)),
    # Only a reference and its date: nothing here is this task's deadline.
    ("Theo Nghị quyết số 66.7/2025/NQ-CP ngày 15/11/2025", K.EVENT, None),
    ("Năm 1999", K.UNKNOWN, None),
    ("Năm 2101", K.UNKNOWN, None),
    ("Quý V/2026", K.UNKNOWN, None),
    ("Tháng 13/2026", K.UNKNOWN, None),
    ("31/2/2026", K.UNKNOWN, None),
    ("", K.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("text", "kind", "due"), REFERENCE_CASES, ids=[_slug(c[0]) for c in REFERENCE_CASES]
)
def test_references_and_implausible_values(text: str, kind: DeadlineKind, due: date | None) -> None:
    """Document numbers, their issue dates and impossible dates are never taken as the deadline."""
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.due_date, parsed.parts) == (kind, due, ())


# --- Recurring deadlines and anchors ------------------------------------------------------------

# (text, recurrence, anchor month, anchor day, first year, last year)
RECURRING_CASES: list[tuple[str, Recurrence, int | None, int | None, int | None, int | None]] = [
    ("Hằng tháng", R.MONTHLY, None, None, None, None),
    ("Hàng tuần", R.WEEKLY, None, None, None, None),
    ("1 tháng/lần", R.MONTHLY, None, None, None, None),
    ("Quý/lần", R.QUARTERLY, None, None, None, None),
    ("Mỗi 6 tháng", R.HALF_YEARLY, None, None, None, None),
    ("Quý I, hàng năm", R.YEARLY, 3, None, None, None),
    ("Tháng 3 hàng năm", R.YEARLY, 3, None, None, None),
    ("Quý I/2026 hàng năm", R.YEARLY, 3, None, 2026, None),
    ("Hàng năm giai đoạn 2026-2030", R.YEARLY, None, None, 2026, 2030),
    ("Hàng quý đến hết năm 2027", R.QUARTERLY, None, None, None, 2027),
    # Reporting cycles written in the seeds' "Tổ chức thực hiện" sections (003, 004, 002).
    (
        "Định kỳ hàng năm trước ngày 30/11 hoặc đột xuất khi có yêu cầu",
        R.YEARLY,
        11,
        30,
        None,
        None,
    ),
    ("Định kỳ hàng năm trước ngày 05/12", R.YEARLY, 12, 5, None, None),
    (
        "định kỳ hàng Quý (***trước ngày 15 của tháng cuối Quý***)",
        R.QUARTERLY,
        None,
        15,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "recurrence", "anchor_month", "anchor_day", "first_year", "last_year"),
    RECURRING_CASES,
    ids=[_slug(c[0]) for c in RECURRING_CASES],
)
def test_recurring(
    text: str,
    recurrence: Recurrence,
    anchor_month: int | None,
    anchor_day: int | None,
    first_year: int | None,
    last_year: int | None,
) -> None:
    """Recurring cells name their period, where in it they fall, and the years they cover."""
    parsed = parse_deadline(text)
    assert parsed.kind == K.RECURRING
    assert (parsed.recurrence, parsed.anchor_month, parsed.anchor_day) == (
        recurrence,
        anchor_month,
        anchor_day,
    )
    assert (parsed.first_year, parsed.last_year, parsed.needs_review) == (
        first_year,
        last_year,
        False,
    )


# --- The plan's year ----------------------------------------------------------------------------

# (text, kind, due date with plan_year=2026, first year)
PLAN_YEAR_CASES: list[tuple[str, DeadlineKind, date | None, int | None]] = [
    ("Thường xuyên", K.RECURRING, date(2026, 3, 31), 2026),
    ("Hàng năm", K.RECURRING, date(2026, 12, 31), 2026),
    ("Quý I hàng năm", K.RECURRING, date(2026, 3, 31), 2026),
    ("Hàng quý", K.RECURRING, date(2026, 3, 31), 2026),
    ("Hàng tháng", K.RECURRING, date(2026, 1, 31), 2026),
    ("Hàng tuần", K.RECURRING, date(2026, 1, 4), 2026),
    ("Định kỳ hàng năm trước ngày 05/12", K.RECURRING, date(2026, 12, 5), 2026),
    ("Quý II", K.QUARTER, date(2026, 6, 30), 2026),
    ("Tháng 9", K.MONTH, date(2026, 9, 30), 2026),
    ("Trước ngày 30/6", K.DATE, date(2026, 6, 30), 2026),
    # A year written in the cell wins over the plan's.
    ("Quý I/2027", K.QUARTER, date(2027, 3, 31), 2027),
    ("Theo hướng dẫn của tỉnh", K.EVENT, None, None),
]


@pytest.mark.parametrize(
    ("text", "kind", "due", "first_year"),
    PLAN_YEAR_CASES,
    ids=[_slug(c[0]) for c in PLAN_YEAR_CASES],
)
def test_plan_year_fills_missing_year(
    text: str, kind: DeadlineKind, due: date | None, first_year: int | None
) -> None:
    """Without a year in the cell, the plan's year gives the (first) due date."""
    parsed = parse_deadline(text, plan_year=2026)
    assert (parsed.kind, parsed.due_date, parsed.first_year) == (kind, due, first_year)


def test_yearless_quarter_without_plan_year_needs_review() -> None:
    """ "Quý II" alone is a quarter with no due date until someone names the year."""
    parsed = parse_deadline("Quý II")
    assert (parsed.kind, parsed.due_date, parsed.anchor_month, parsed.needs_review) == (
        K.QUARTER,
        None,
        6,
        True,
    )


# --- Several deadlines in one cell ----------------------------------------------------------------

MULTI_CASES: list[tuple[str, list[tuple[str, DeadlineKind, date | None]]]] = [
    (
        "- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026.",
        [
            ("Sổ tay đảng viên trong quý I/2026", K.QUARTER, date(2026, 3, 31)),
            ("Hồ sơ CBCB trong năm 2026", K.YEAR, date(2026, 12, 31)),
        ],
    ),
    (
        "Quý I/2026 hoàn thành xây dựng Đề án, triển khai nhiệm vụ theo phân kỳ năm 2026 "
        "(thực hiện theo hướng dẫn của tỉnh)",
        [
            ("Quý I/2026 hoàn thành xây dựng Đề án", K.QUARTER, date(2026, 3, 31)),
            (
                "triển khai nhiệm vụ theo phân kỳ năm 2026 (thực hiện theo hướng dẫn của tỉnh)",
                K.YEAR,
                date(2026, 12, 31),
            ),
        ],
    ),
    # The later deadline written first: the cell still takes the earliest.
    (
        "Hoàn thành hệ thống trong năm 2027; vận hành thử Quý III/2026",
        [
            ("Hoàn thành hệ thống trong năm 2027", K.YEAR, date(2027, 12, 31)),
            ("vận hành thử Quý III/2026", K.QUARTER, date(2026, 9, 30)),
        ],
    ),
    (
        "<ul><li>- Quý I/2026</li><li>- Tháng 8/2026</li></ul>",
        [
            ("Quý I/2026", K.QUARTER, date(2026, 3, 31)),
            ("Tháng 8/2026", K.MONTH, date(2026, 8, 31)),
        ],
    ),
    # Ongoing work plus a fixed deadline: both kept.
    (
        "Thường xuyên, hoàn thành trước Quý IV/2026",
        [
            ("Thường xuyên, hoàn thành trước Quý IV/2026", K.RECURRING, None),
            ("Thường xuyên, hoàn thành trước Quý IV/2026", K.QUARTER, date(2026, 12, 31)),
        ],
    ),
]


@pytest.mark.parametrize(("text", "parts"), MULTI_CASES, ids=[_slug(c[0]) for c in MULTI_CASES])
def test_multi_deadline_cells_keep_all_parts(
    text: str, parts: list[tuple[str, DeadlineKind, date | None]]
) -> None:
    """A cell with several deadlines keeps each as a part; the earliest stands for the cell."""
    parsed = parse_deadline(text)
    assert [(p.text, p.kind, p.due_date) for p in parsed.parts] == parts
    earliest = min((p for p in parsed.parts if p.due_date), key=lambda p: p.due_date or date.max)
    assert (parsed.kind, parsed.due_date) == (earliest.kind, earliest.due_date)
    assert parsed.needs_review is True
    assert parsed.text == text


def test_single_deadline_has_no_parts() -> None:
    """A repeated mention of one deadline is not a second deadline."""
    parsed = parse_deadline("Quý I/2026, chậm nhất quý 1/2026")
    assert (parsed.kind, parsed.due_date, parsed.parts, parsed.needs_review) == (
        K.QUARTER,
        date(2026, 3, 31),
        (),
        False,
    )


# --- occurrences ----------------------------------------------------------------------------------

START, END = date(2026, 1, 1), date(2027, 12, 31)

# (text, number of due dates in 2026-2027, first, last)
OCCURRENCE_CASES: list[tuple[str, int, date, date]] = [
    ("Hàng quý", 8, date(2026, 3, 31), date(2027, 12, 31)),
    ("6 tháng/lần", 4, date(2026, 6, 30), date(2027, 12, 31)),
    ("Hàng năm", 2, date(2026, 12, 31), date(2027, 12, 31)),
    ("Quý I hàng năm", 2, date(2026, 3, 31), date(2027, 3, 31)),
    ("Hàng tháng", 24, date(2026, 1, 31), date(2027, 12, 31)),
    ("Hàng tuần", 104, date(2026, 1, 4), date(2027, 12, 26)),
    ("Thường xuyên", 8, date(2026, 3, 31), date(2027, 12, 31)),
    ("Định kỳ hàng năm trước ngày 05/12", 2, date(2026, 12, 5), date(2027, 12, 5)),
    ("Hàng quý (trước ngày 15 của tháng cuối quý)", 8, date(2026, 3, 15), date(2027, 12, 15)),
    ("Năm 2025 và những năm tiếp theo", 2, date(2026, 12, 31), date(2027, 12, 31)),
    ("Tháng 6/2026 và các năm tiếp theo", 2, date(2026, 6, 30), date(2027, 6, 30)),
    ("Quý I/2027 hàng năm", 1, date(2027, 3, 31), date(2027, 3, 31)),
    ("Hàng quý đến hết năm 2026", 4, date(2026, 3, 31), date(2026, 12, 31)),
    ("Quý II/2026", 1, date(2026, 6, 30), date(2026, 6, 30)),
    ("Giai đoạn 2026-2027", 1, date(2027, 12, 31), date(2027, 12, 31)),
    (
        "- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026.",
        2,
        date(2026, 3, 31),
        date(2026, 12, 31),
    ),
]


@pytest.mark.parametrize(
    ("text", "count", "first", "last"),
    OCCURRENCE_CASES,
    ids=[_slug(c[0]) for c in OCCURRENCE_CASES],
)
def test_occurrences(text: str, count: int, first: date, last: date) -> None:
    """Due dates in 2026-2027: one per period for recurring deadlines, one for fixed ones."""
    dates = occurrences(parse_deadline(text), start=START, end=END)
    assert (len(dates), dates[0], dates[-1]) == (count, first, last)
    assert dates == sorted(set(dates))


def test_occurrences_quarter_first_each_year() -> None:
    """ "Quý I hàng năm" is due at the end of each March."""
    dates = occurrences(parse_deadline("Quý I hàng năm"), start=START, end=END)
    assert dates == [date(2026, 3, 31), date(2027, 3, 31)]


@pytest.mark.parametrize(
    ("cycle", "count"),
    [(R.MONTHLY, 24), (R.QUARTERLY, 8), (R.HALF_YEARLY, 4), (R.YEARLY, 2), (R.CONTINUOUS, 8)],
    ids=["monthly", "quarterly", "half-yearly", "yearly", "continuous-falls-back-to-quarterly"],
)
def test_continuous_follows_reporting_cycle(cycle: Recurrence, count: int) -> None:
    """ "Thường xuyên" is due on every period of the plan's reporting cycle."""
    dates = occurrences(parse_deadline("Thường xuyên"), start=START, end=END, cycle=cycle)
    assert len(dates) == count


def test_cycle_does_not_change_explicit_periods() -> None:
    """The reporting cycle only applies to "Thường xuyên", not to a period the cell names."""
    parsed = parse_deadline("Hàng năm")
    assert len(occurrences(parsed, start=START, end=END, cycle=R.MONTHLY)) == 2


def test_recurring_starts_in_its_first_year() -> None:
    """A recurring deadline of a 2026 plan has no due dates in 2025."""
    parsed = parse_deadline("Hàng quý", plan_year=2026)
    assert occurrences(parsed, start=date(2025, 1, 1), end=date(2026, 6, 30)) == [
        date(2026, 3, 31),
        date(2026, 6, 30),
    ]


@pytest.mark.parametrize(
    "text",
    ["Sau khi UBND thành phố ban hành Kế hoạch", "Khi có yêu cầu", "Chưa xác định", "Quý II"],
    ids=["event-after", "event-on-request", "unknown", "quarter-without-year"],
)
def test_no_occurrences_without_a_date(text: str) -> None:
    """Events, unknown cells and yearless periods have no due date to count."""
    assert occurrences(parse_deadline(text), start=START, end=END) == []


def test_fixed_deadline_outside_window() -> None:
    """A deadline before or after the window does not occur in it."""
    assert occurrences(parse_deadline("Quý III/2025"), start=START, end=END) == []
    assert occurrences(parse_deadline("Năm 2030"), start=START, end=END) == []
    assert occurrences(parse_deadline("Quý I/2026"), start=END, end=START) == []


# --- to_dict and normalize_text -------------------------------------------------------------


def test_to_dict_is_json_friendly() -> None:
    """to_dict gives plain values (ISO dates, enum values) and the parts, ready for JSON."""
    text = "- Sổ tay đảng viên trong quý I/2026. - Hồ sơ CBCB trong năm 2026."
    data = parse_deadline(text).to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data == {
        "text": text,
        "kind": "quarter",
        "due_date": "2026-03-31",
        "recurrence": "",
        "first_year": 2026,
        "last_year": 2026,
        "anchor_month": None,
        "anchor_day": None,
        "needs_review": True,
        "parts": [
            {
                "text": "Sổ tay đảng viên trong quý I/2026",
                "kind": "quarter",
                "due_date": "2026-03-31",
                "recurrence": "",
                "first_year": 2026,
                "last_year": 2026,
                "anchor_month": None,
                "anchor_day": None,
                "needs_review": False,
                "parts": [],
            },
            {
                "text": "Hồ sơ CBCB trong năm 2026",
                "kind": "year",
                "due_date": "2026-12-31",
                "recurrence": "",
                "first_year": 2026,
                "last_year": 2026,
                "anchor_month": None,
                "anchor_day": None,
                "needs_review": False,
                "parts": [],
            },
        ],
    }


def test_to_dict_of_recurring_without_year() -> None:
    """A recurring deadline without a known year has no due date in its dict."""
    data = parse_deadline("<b>Quý I hàng năm</b>").to_dict()
    assert (data["kind"], data["due_date"], data["recurrence"], data["anchor_month"]) == (
        "recurring",
        None,
        "yearly",
        3,
    )


def test_parsed_deadline_is_frozen() -> None:
    """A parsed deadline is a value: it cannot be changed after parsing."""
    parsed = parse_deadline("Năm 2026")
    assert isinstance(parsed, ParsedDeadline)
    with pytest.raises(AttributeError):
        parsed.text = "Năm 2027"  # type: ignore[misc]


NORMALIZE_CASES: list[tuple[str, str]] = [
    ("<p>Thường xuyên</p>", "Thường xuyên"),
    (
        "<b>Tháng 12/2025</b> (Theo KH số 92/KH-UBND của tỉnh)",
        "Tháng 12/2025 (Theo KH số 92/KH-UBND của tỉnh)",
    ),
    (
        '<ul style="list-style-type: none"> <li>- Hệ thống A.</li> <li>- Hệ thống B.</li> </ul>',
        "- Hệ thống A.\n- Hệ thống B.",
    ),
    ("Tỷ lệ $\\geq$ 95%", "Tỷ lệ ≥ 95%"),
    ("$\\geq 80$", "≥ 80"),
    ("Quý  I\t/2026 ", "Quý I /2026"),
    ("2026–2030", "2026-2030"),
    ("***trước ngày 15***", "trước ngày 15"),
    ("Tốc độ > 1 Gbps&nbsp;và < 5 ms", "Tốc độ > 1 Gbps và < 5 ms"),
]


@pytest.mark.parametrize(
    ("raw", "clean"), NORMALIZE_CASES, ids=[_slug(c[0]) for c in NORMALIZE_CASES]
)
def test_normalize_text(raw: str, clean: str) -> None:
    """HTML, LaTeX and emphasis remnants go; comparators, line items and words stay."""
    assert normalize_text(raw) == clean
