"""Reading which wards a province's task is given to, from its lead-unit cell."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theodoi.core.text import fold
from theodoi.importer.recognise.wards import (
    ALL_WARDS,
    LISTED_WARDS,
    every_department,
    read_wards,
    without_wards,
)

WARDS = {1: "Phường Lê Chân", 2: "Phường Thành Đông", 3: "Xã An Bình", 4: "Đặc khu Cát Hải"}


@pytest.mark.parametrize(
    "text",
    [
        "UBND các xã, phường",
        "Ủy ban nhân dân các xã, phường",
        "các xã, phường, đặc khu",
        "UBND cấp xã",
        "UBND CÁC XÃ, PHƯỜNG",
        "Ủy ban nhân dân các phường, xã và đặc khu",
    ],
)
def test_the_wards_named_together_are_every_ward(text):
    reading = read_wards(text, WARDS)
    assert reading.assignment == ALL_WARDS
    assert reading.ward_ids == ()
    assert reading.rest == ""


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("UBND phường Lê Chân; UBND phường Thành Đông", (1, 2)),
        ("UBND phường Thành Đông; UBND phường Lê Chân", (2, 1)),
        ("Ủy ban nhân dân xã An Bình", (3,)),
        ("phường Lê Chân và đặc khu Cát Hải", (1, 4)),
        ("UBND các phường: Lê Chân, Thành Đông", (1, 2)),
        ("UBND PHUONG LE CHAN", (1,)),
    ],
)
def test_wards_named_one_by_one_are_listed_in_the_order_named(text, ids):
    reading = read_wards(text, WARDS)
    assert reading.assignment == LISTED_WARDS
    assert reading.ward_ids == ids
    assert reading.unknown == ()


def test_a_named_ward_that_is_not_of_the_province_is_reported_as_written():
    reading = read_wards("UBND phường Lê Chân; UBND phường Hồng Bàng", WARDS)
    assert reading.assignment == LISTED_WARDS
    assert reading.ward_ids == (1,)
    assert reading.unknown == ("Hồng Bàng",)
    only_unknown = read_wards("UBND phường Hồng Bàng", WARDS)
    assert only_unknown.assignment == ""
    assert only_unknown.unknown == ("Hồng Bàng",)


@pytest.mark.parametrize(
    "text",
    [
        "Sở Khoa học và Công nghệ",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Lao động, Thương binh và Xã hội",
        "Văn phòng UBND thành phố; Công an thành phố",
    ],
)
def test_departments_alone_give_the_task_to_no_ward_and_stay_as_written(text):
    reading = read_wards(text, WARDS)
    assert reading.assignment == ""
    assert reading.unknown == ()
    assert reading.rest == text


def test_departments_beside_the_wards_are_what_is_left():
    reading = read_wards("Sở Nội vụ; UBND các xã, phường", WARDS)
    assert reading.assignment == ALL_WARDS
    assert reading.rest == "Sở Nội vụ"
    assert without_wards("Sở Tài chính, UBND phường Lê Chân") == "Sở Tài chính"


def test_every_department():
    assert every_department("Các sở, ban, ngành") == (True, "")
    assert every_department("Sở Nội vụ; các sở, ngành") == (True, "Sở Nội vụ")
    assert every_department("Sở Nội vụ") == (False, "Sở Nội vụ")


# Pure and fast, but run beside other suites on a busy machine: no per-example time limit.
quick = settings(deadline=None)
names = st.lists(st.sampled_from(sorted(WARDS)), min_size=1, max_size=4, unique=True)


@quick
@given(ids=names, separator=st.sampled_from(["; ", ", ", " và ", "\n"]), body=st.booleans())
def test_any_list_of_the_province_wards_is_read_back(ids, separator, body):
    text = separator.join(("UBND " if body else "") + WARDS[pk].lower() for pk in ids)
    reading = read_wards(text, WARDS)
    assert reading.assignment == LISTED_WARDS
    assert reading.ward_ids == tuple(ids)
    assert reading.rest == ""


@quick
@given(ids=names, upper=st.booleans())
def test_the_reading_ignores_case_and_diacritics(ids, upper):
    text = "; ".join(f"UBND {WARDS[pk]}" for pk in ids)
    plain = fold(text).upper() if upper else fold(text)
    assert read_wards(plain, WARDS) == read_wards(text, WARDS)


@quick
@given(st.text(max_size=80))
def test_any_text_is_read_without_error_and_never_lists_a_ward_it_does_not_know(text):
    reading = read_wards(text, WARDS)
    assert set(reading.ward_ids) <= set(WARDS)
    assert reading.assignment in ("", ALL_WARDS, LISTED_WARDS)
    # Listed wards are never empty; every ward, or none, lists nothing.
    assert bool(reading.ward_ids) == (reading.assignment == LISTED_WARDS)
