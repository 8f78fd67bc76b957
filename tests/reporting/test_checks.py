"""The pure checks of an evidence file: a document number's form (Decree 30/2020), a document's
date against its period, a photo's EXIF date and place."""

import datetime
import io
import unicodedata

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from theodoi.reporting import checks
from theodoi.reporting.checks import DOCUMENT_KINDS, check_date, check_number, check_photo


@pytest.mark.parametrize(
    ("text", "kind", "issuer", "year"),
    [
        ("15/BC-UBND", "BC", "UBND", None),
        ("123/QĐ-UBND", "QĐ", "UBND", None),
        ("05/KH-BCĐ", "KH", "BCĐ", None),
        ("12/2026/NQ-HĐND", "NQ", "HĐND", 2026),
        ("Số: 07/TB-UBND", "TB", "UBND", None),
        ("số 07/TB-UBND", "TB", "UBND", None),
        ("08/QyĐ-UBND", "QyĐ", "UBND", None),
        ("09/CTr-UBND", "CTr", "UBND", None),
        ("10/TTr-VP", "TTr", "VP", None),
        ("11/GUQ-UBND", "GUQ", "UBND", None),
        ("201/BB-UBMTTQ", "BB", "UBMTTQ", None),
        ("15 / BC - UBND", "BC", "UBND", None),
        ("15/BC–UBND", "BC", "UBND", None),  # an en dash typed by a word processor
        ("03/ĐA-UBND", "ĐA", "UBND", None),
        ("44/KH-BCĐ389", "KH", "BCĐ389", None),
        ("15/BC-UBND-VP", "BC", "UBND-VP", None),
        ("123/QÐ-UBND", "QĐ", "UBND", None),  # an eth typed for the Đ
        (unicodedata.normalize("NFD", "12/2026/NQ-HĐND"), "NQ", "HĐND", 2026),
    ],
)
def test_numbers_in_the_decree_form_pass(text, kind, issuer, year):
    result = check_number(text)
    assert (result.verdict, result.kind, result.issuer, result.year) == ("ok", kind, issuer, year)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("15BC-UBND", "no_slash"),
        ("BC-UBND", "no_slash"),
        ("1/2/3/BC-UBND", "too_many_slashes"),
        ("a5/BC-UBND", "number_not_digits"),
        ("/BC-UBND", "number_not_digits"),
        ("5/BC-UBND", "leading_zero"),
        ("00/BC-UBND", "leading_zero"),
        ("12/26/NQ-HĐND", "bad_year"),
        ("15/BC-", "empty_piece"),
        ("15/-UBND", "empty_piece"),
        ("15/BC--UBND", "empty_piece"),
        ("15/bc-UBND", "kind_case"),
        ("15/QYĐ-UBND", "kind_case"),
        ("15/BC", "no_issuer"),
        ("15/BC-ubnd", "issuer_letters"),
        ("15/BC-UB.ND", "issuer_letters"),
        ("15/BC-UB ND", "issuer_letters"),
        ("15/XYZ", "unknown_kind"),
    ],
)
def test_numbers_in_another_form_are_flagged_with_the_rule_they_break(text, problem):
    result = check_number(text)
    assert (result.verdict, result.problem) == ("bad", problem)


def test_a_number_without_a_kind_reads_as_an_official_letter():
    result = check_number("125/UBND-VP")
    assert (result.verdict, result.issuer) == ("letter", "UBND")


def test_the_year_in_a_legal_document_number_must_be_the_document_year():
    assert check_number("12/2026/NQ-HĐND", document_date=datetime.date(2026, 3, 1)).verdict == "ok"
    late = check_number("12/2025/NQ-HĐND", document_date=datetime.date(2026, 3, 1))
    assert (late.verdict, late.problem) == ("bad", "year_differs")


def test_empty_numbers_have_nothing_to_say():
    assert check_number("").verdict == "empty"
    assert check_number("   ").verdict == "empty"
    assert checks.explain_number(checks.as_dict(check_number(""))) == ""


@given(
    number=st.integers(min_value=10, max_value=999_999),
    kind=st.sampled_from(sorted(DOCUMENT_KINDS)),
    issuer=st.sampled_from(["UBND", "HĐND", "BCĐ", "VP", "ĐU", "UBMTTQ", "MTTQ", "CA"]),
)
def test_every_decree_kind_with_any_number_passes(number, kind, issuer):
    result = check_number(f"{number}/{kind}-{issuer}")
    assert (result.verdict, result.kind, result.issuer) == ("ok", kind, issuer)


@given(st.text(max_size=40))
def test_any_text_gets_a_verdict_and_an_explanation_without_error(text):
    result = check_number(text)
    assert result.verdict in {"ok", "letter", "bad", "empty"}
    explanation = checks.explain_number(checks.as_dict(result))
    assert (explanation == "") == (result.verdict == "empty")


def test_explanations_are_in_vietnamese():
    with translation.override("vi"):
        bad = checks.explain_number(checks.as_dict(check_number("5/BC-UBND")))
        good = checks.explain_number(checks.as_dict(check_number("15/BC-UBND")))
    assert "không đúng thể thức Nghị định 30/2020" in bad
    assert "05" in bad
    assert "Báo cáo" in good and "đúng thể thức" in good


# --- Dates --------------------------------------------------------------------------------------

Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 4, 10))


@pytest.mark.parametrize(
    ("day", "verdict"),
    [
        (datetime.date(2026, 1, 1), "inside"),
        (datetime.date(2026, 3, 31), "inside"),
        (datetime.date(2026, 4, 10), "inside"),  # written after the quarter, before it is due
        (datetime.date(2025, 12, 31), "before"),
        (datetime.date(2026, 4, 11), "after"),
        (datetime.date(2026, 6, 1), "future"),
        (None, "none"),
    ],
)
def test_a_document_date_against_its_period(day, verdict):
    result = check_date(day, start=Q1[0], end=Q1[1], uploaded_on=datetime.date(2026, 5, 1))
    assert result.verdict == verdict


def test_without_a_window_a_date_has_nothing_to_compare_with():
    assert check_date(datetime.date(2026, 1, 5), start=None, end=None).verdict == "none"
    only_end = check_date(datetime.date(2026, 9, 5), start=None, end=datetime.date(2026, 6, 30))
    assert only_end.verdict == "after"


def test_a_date_outside_the_period_is_said_in_vietnamese():
    result = checks.as_dict(check_date(datetime.date(2025, 12, 2), start=Q1[0], end=Q1[1]))
    with translation.override("vi"):
        text = checks.explain_date(result)
    assert "02/12/2025" in text and "ngoài kỳ báo cáo" in text


@given(
    day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 1, 1)),
    start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 1, 1)),
    length=st.integers(min_value=0, max_value=400),
)
def test_a_date_is_inside_exactly_when_between_the_bounds(day, start, length):
    end = start + datetime.timedelta(days=length)
    verdict = check_date(day, start=start, end=end).verdict
    assert (verdict == "inside") == (start <= day <= end)


# --- Photos -------------------------------------------------------------------------------------


def photo(*, taken: str | None = None, gps: dict | None = None, kind: str = "JPEG") -> bytes:
    """A small image carrying the given EXIF date and GPS data."""
    image = Image.new("RGB", (8, 8), "green")
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        exif.get_ifd(0x8825).update(gps)
    out = io.BytesIO()
    image.save(out, kind, exif=exif)
    return out.getvalue()


HANOI = {
    1: "N",
    2: (21.0, 1.0, 41.4),
    3: "E",
    4: (105.0, 51.0, 15.6),
}


def test_a_photo_date_and_place_are_read():
    result = check_photo(photo(taken="2026:03:14 09:12:30", gps=HANOI))
    assert result.taken_at == "2026-03-14T09:12:30"
    assert result.latitude == pytest.approx(21.0282, abs=1e-4)
    assert result.longitude == pytest.approx(105.8543, abs=1e-4)
    with translation.override("vi"):
        text = checks.explain_photo(checks.as_dict(result))
    assert "14/03/2026 09:12" in text and "(21.02817, 105.85433)" in text


def test_south_and_west_are_negative():
    gps = {1: "S", 2: (33.0, 52.0, 0.0), 3: "W", 4: (70.0, 0.0, 0.0)}
    result = check_photo(photo(gps=gps))
    assert result.taken_at is None
    assert result.latitude == pytest.approx(-33.8667, abs=1e-4)
    assert result.longitude == pytest.approx(-70.0)


def test_a_photo_without_exif_says_so():
    result = check_photo(photo())
    assert (result.read, result.taken_at, result.latitude) == (True, None, None)
    with translation.override("vi"):
        assert "EXIF" in checks.explain_photo(checks.as_dict(result))


def test_a_webp_is_read_too():
    assert check_photo(photo(taken="2026:01:02 03:04:05", kind="WEBP")).taken_at == (
        "2026-01-02T03:04:05"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xd8\xff\xe0 not really a jpeg",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        photo(taken="not a date"),
        photo(gps={1: "N", 2: (0.0, 0.0, 0.0)}),  # a latitude without a longitude
        photo(gps={1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (10.0, 0.0, 0.0)}),  # off the globe
    ],
)
def test_broken_or_odd_photos_give_an_empty_answer(data):
    result = check_photo(data)
    assert result.taken_at is None and result.latitude is None and result.longitude is None


@given(st.binary(max_size=200))
def test_photo_check_never_raises(data):
    check_photo(b"\xff\xd8\xff" + data)
