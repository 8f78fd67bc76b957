"""Who leads, who helps and by when, read from a task's own sentence: the phrasings plans use,
and the look-alikes that are no assignment at all."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theodoi.importer.recognise.assignment import (
    MAX_UNIT_WORDS,
    _unit_starts,
    deadline_phrase,
    is_unit_name,
    read_assignment,
    split_assignment,
    unit_heading,
)
from theodoi.plans.deadline import Recurrence, parse_deadline


@pytest.mark.parametrize(
    ("sentence", "lead", "coordinating"),
    [
        (
            "Rà soát quy chế làm việc; Văn phòng HĐND và UBND chủ trì, phối hợp với Phòng Văn "
            "hóa - Xã hội và các đơn vị liên quan thực hiện; hoàn thành trong quý II/2026.",
            "Văn phòng HĐND và UBND",
            "Phòng Văn hóa - Xã hội và các đơn vị liên quan",
        ),
        (
            "Giao Phòng Kinh tế, Hạ tầng và Đô thị chủ trì, phối hợp với Công an phường tham mưu "
            "xây dựng kế hoạch.",
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            "Công an phường",
        ),
        (
            "Tuyên truyền Nghị quyết đến cán bộ (Văn phòng Đảng ủy chủ trì; quý III/2026).",
            "Văn phòng Đảng ủy",
            "",
        ),
        ("Bảo đảm an ninh mạng; Công an phường thực hiện thường xuyên.", "Công an phường", ""),
        (
            "Triển khai thanh toán trực tuyến; giao Trung tâm Phục vụ hành chính công thực hiện.",
            "Trung tâm Phục vụ hành chính công",
            "",
        ),
        (
            "Giao Trạm Y tế triển khai hồ sơ sức khỏe điện tử trong năm 2026.",
            "Trạm Y tế",
            "",
        ),
        (
            "Đưa nội dung vào sinh hoạt chuyên đề; các chi bộ trực thuộc thực hiện hằng năm.",
            "các chi bộ trực thuộc",
            "",
        ),
        (
            "Xây dựng kho dữ liệu. Đơn vị chủ trì: Văn phòng HĐND và UBND; Đơn vị phối hợp: "
            "Công an phường. Thời gian: tháng 9/2026.",
            "Văn phòng HĐND và UBND",
            "Công an phường",
        ),
        (
            "Xây dựng kho dữ liệu. Đơn vị thực hiện: Trung tâm Phục vụ hành chính công.",
            "Trung tâm Phục vụ hành chính công",
            "",
        ),
        (
            "Hỗ trợ hợp tác xã bán hàng trực tuyến; Hội Liên hiệp Phụ nữ phường chủ trì, phối "
            "hợp với Phòng Kinh tế, Hạ tầng và Đô thị thực hiện; hoàn thành trong quý III/2026.",
            "Hội Liên hiệp Phụ nữ phường",
            "Phòng Kinh tế, Hạ tầng và Đô thị",
        ),
        (
            "Tổ chức tập huấn; do Phòng Văn hóa - Xã hội chủ trì thực hiện.",
            "Phòng Văn hóa - Xã hội",
            "",
        ),
        (
            "Số hóa hồ sơ (Cơ quan chủ trì: Văn phòng Đảng ủy; cơ quan phối hợp: Ban Xây dựng "
            "Đảng; thời gian: quý II/2026).",
            "Văn phòng Đảng ủy",
            "Ban Xây dựng Đảng",
        ),
        ("Bảo đảm an ninh. Trách nhiệm thực hiện: Công an phường.", "Công an phường", ""),
        (
            "Số hóa hồ sơ. Đơn vị chủ trì thực hiện: Trung tâm Phục vụ hành chính công.",
            "Trung tâm Phục vụ hành chính công",
            "",
        ),
        (
            "Văn phòng HĐND và UBND chịu trách nhiệm chủ trì tổ chức thực hiện.",
            "Văn phòng HĐND và UBND",
            "",
        ),
        (
            "Phòng Kinh tế là cơ quan chủ trì, phối hợp với Công an phường thực hiện.",
            "Phòng Kinh tế",
            "Công an phường",
        ),
        (
            "Ủy ban nhân dân phường chỉ đạo Phòng Văn hóa - Xã hội chủ trì, phối hợp với các "
            "đơn vị liên quan thực hiện.",
            "Phòng Văn hóa - Xã hội",
            "các đơn vị liên quan",
        ),
        (
            "Tổ chức diễn tập; Ban Chỉ huy Quân sự phường chủ trì, phối hợp với Ban Tổ chức "
            "Đảng ủy thực hiện.",
            "Ban Chỉ huy Quân sự phường",
            "Ban Tổ chức Đảng ủy",
        ),
    ],
)
def test_lead_and_coordinating_units(sentence, lead, coordinating):
    found = read_assignment(sentence)
    assert (found.lead, found.coordinating) == (lead, coordinating)


@pytest.mark.parametrize(
    "sentence",
    [
        # "phối hợp" without "chủ trì": the task's own verb.
        "Phối hợp triển khai, khai thác và sử dụng các giải pháp công nghệ số.",
        "Tăng cường phối hợp với các sở, ban, ngành của thành phố trong việc triển khai.",
        # Unit-like first words of a verb phrase.
        "Tổ chức thực hiện các nhiệm vụ được giao chủ trì đúng tiến độ.",
        "Ban hành quy chế quản lý, vận hành các hệ thống thông tin và thực hiện nghiêm.",
        "Phòng, chống lừa đảo trên không gian mạng; thực hiện thường xuyên.",
        # A unit named inside the task, not assigned.
        "Hướng dẫn người dân sử dụng dịch vụ công tại Trung tâm Phục vụ hành chính công.",
    ],
)
def test_no_lead_where_the_sentence_assigns_none(sentence):
    assert read_assignment(sentence).lead == ""


def test_phoi_hop_alone_names_helpers_not_a_lead():
    found = read_assignment("Phối hợp với Phòng Văn hóa - Xã hội hướng dẫn người dân.")
    assert (found.lead, found.coordinating) == ("", "Phòng Văn hóa - Xã hội")


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        (
            "…; Văn phòng chủ trì thực hiện; hoàn thành trong quý II/2026.",
            "hoàn thành trong quý II/2026",
        ),
        (
            "…; hoàn thành trước 30/6/2026, báo cáo kết quả.",
            "hoàn thành trước 30/6/2026, báo cáo kết quả",
        ),
        ("Tổ chức sơ kết trước ngày 15/12/2026.", "trước ngày 15/12/2026"),
        ("Số hóa hồ sơ trong tháng 9/2026.", "trong tháng 9/2026"),
        ("Tuyên truyền (Văn phòng Đảng ủy chủ trì; quý III/2026).", "quý III/2026"),
        (
            "Lắp đặt camera; hoàn thành trong giai đoạn 2026 - 2030.",
            "hoàn thành trong giai đoạn 2026 - 2030",
        ),
        ("Công an phường thực hiện thường xuyên.", "thường xuyên"),
        ("Hằng năm, xây dựng kế hoạch ứng dụng công nghệ thông tin.", "Hằng năm"),
        ("Báo cáo kết quả; thực hiện 6 tháng/lần.", "6 tháng/lần"),
        ("Xây dựng kho dữ liệu. Thời gian hoàn thành: Quý IV/2026.", "Quý IV/2026"),
    ],
)
def test_deadline_phrases(sentence, phrase):
    assert read_assignment(sentence).deadline == phrase


@pytest.mark.parametrize(
    "sentence",
    [
        # The date of another document is no deadline.
        "Tuyên truyền Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị đến cán bộ.",
        "Rà soát thủ tục theo Quyết định số 1015/QĐ-UBND ngày 20/5/2025 của UBND thành phố.",
        # A year inside the task's object, a recurrence inside the sentence.
        "Xây dựng Kế hoạch chuyển đổi số năm 2026 của phường.",
        "Ưu tiên bố trí kinh phí hàng năm cho các dự án chuyển đổi số trọng điểm.",
        "Tham mưu bố trí kinh phí trong dự toán ngân sách phường.",
        "Số hóa hồ sơ còn hiệu lực từ năm 2020 đến nay.",
    ],
)
def test_no_deadline_where_the_sentence_states_none(sentence):
    assert deadline_phrase(sentence) == ""


def test_deadline_phrases_are_what_the_deadline_parser_reads():
    parsed = parse_deadline(read_assignment("…; hoàn thành trong quý II/2026.").deadline)
    assert parsed.due_date is not None and parsed.due_date.isoformat() == "2026-06-30"
    continuous = parse_deadline(read_assignment("Công an phường thực hiện thường xuyên.").deadline)
    assert continuous.recurrence == Recurrence.CONTINUOUS


@pytest.mark.parametrize(
    ("heading", "unit"),
    [
        ("Văn phòng HĐND và UBND:", "Văn phòng HĐND và UBND"),
        ("Phòng Kinh tế, Hạ tầng và Đô thị:", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        (
            "Bảo đảm an toàn, an ninh mạng (giao Công an phường chủ trì thực hiện các nhiệm vụ "
            "sau):",
            "Công an phường",
        ),
        ("Nâng cao nhận thức, đổi mới tư duy", ""),
        ("Mục đích", ""),
    ],
)
def test_unit_headings(heading, unit):
    assert unit_heading(heading) == unit


def test_unit_names():
    assert is_unit_name("Ủy ban MTTQ Việt Nam phường")
    assert is_unit_name("các đơn vị liên quan")
    assert not is_unit_name("Tổ chức hội nghị sơ kết")
    assert not is_unit_name("Văn phòng " + "rất " * 20)


# --- A long paragraph is read in time linear in its length ----------------------------------

_FILLER = "nâng cao chất lượng dịch vụ công trực tuyến toàn trình cho người dân"


def _all_unit_starts(segment: str) -> list[int]:
    """Every place a unit's name could start: the first word and after each space or comma."""
    return [0] + [m.end() for m in re.finditer(r"[\s,]+", segment)]


def test_a_unit_is_looked_for_only_among_the_last_words_of_a_clause():
    # A clause thousands of words long: only tails of at most MAX_UNIT_WORDS words can be a
    # unit's name, so no more starts than that are tried, however long the clause.
    clause = " ".join([_FILLER] * 250) + " Văn phòng HĐND và UBND"
    assert len(clause.split()) > 3000
    starts = _unit_starts(clause)
    assert len(starts) <= MAX_UNIT_WORDS + 1
    # The same starts the whole clause offers that leave a short enough tail.
    assert starts == [
        s for s in _all_unit_starts(clause) if len(clause[s:].split()) <= MAX_UNIT_WORDS
    ]
    assert read_assignment(f"{clause} chủ trì thực hiện; quý II/2026.").lead == (
        "Văn phòng HĐND và UBND"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Văn", "phòng", "Công", "an", "phường,", ",Ban", "và", "chỉ", "đạo"]),
        max_size=40,
    )
)
def test_unit_starts_are_those_of_the_whole_clause_with_a_short_tail(words):
    segment = " ".join(words)
    assert _unit_starts(segment) == [
        s for s in _all_unit_starts(segment) if len(segment[s:].split()) <= MAX_UNIT_WORDS
    ]


def test_many_leads_in_one_long_paragraph():
    sentence = (
        "Rà soát quy trình nội bộ; Phòng Kinh tế chủ trì, phối hợp với Công an phường thực hiện."
    )
    found = read_assignment(" ".join([_FILLER] * 200 + [sentence] * 50))
    assert (found.lead, found.coordinating) == ("Phòng Kinh tế", "Công an phường")


@pytest.mark.parametrize(
    ("text", "title", "assigning"),
    [
        (
            "Tổ chức 04 lớp tập huấn kỹ năng số cho người cao tuổi. Ủy ban MTTQ Việt Nam phường "
            "chủ trì, phối hợp với Phòng Văn hóa - Xã hội; hoàn thành trong quý III/2026.",
            "Tổ chức 04 lớp tập huấn kỹ năng số cho người cao tuổi.",
            "Ủy ban MTTQ Việt Nam phường chủ trì, phối hợp với Phòng Văn hóa - Xã hội; hoàn "
            "thành trong quý III/2026.",
        ),
        (
            "Biên soạn 5.000 tờ gấp hướng dẫn sử dụng VNeID. Giao Trung tâm Phục vụ hành chính "
            "công chủ trì thực hiện trong quý II/2026.",
            "Biên soạn 5.000 tờ gấp hướng dẫn sử dụng VNeID.",
            "Giao Trung tâm Phục vụ hành chính công chủ trì thực hiện trong quý II/2026.",
        ),
        # The assignment opens the sentence: it is the task itself, kept whole.
        (
            "Giao Phòng Kinh tế chủ trì rà soát hạ tầng viễn thông trên địa bàn. Báo cáo kết quả.",
            "Giao Phòng Kinh tế chủ trì rà soát hạ tầng viễn thông trên địa bàn. Báo cáo kết quả.",
            "",
        ),
        # A second sentence of work that opens on a recurrence word is no deadline.
        (
            "Triển khai các chương trình về Chính quyền số. Thường xuyên theo dõi, đánh giá kết "
            "quả thực hiện gắn với trách nhiệm của người đứng đầu.",
            "Triển khai các chương trình về Chính quyền số. Thường xuyên theo dõi, đánh giá kết "
            "quả thực hiện gắn với trách nhiệm của người đứng đầu.",
            "",
        ),
        (
            "Ban hành quy chế quản lý tài khoản dùng chung. Hoàn thành trong quý II/2026.",
            "Ban hành quy chế quản lý tài khoản dùng chung.",
            "Hoàn thành trong quý II/2026.",
        ),
        # Two sentences of work and none of assignment.
        (
            "Rà soát quy chế làm việc. Cập nhật danh mục thủ tục hành chính.",
            "Rà soát quy chế làm việc. Cập nhật danh mục thủ tục hành chính.",
            "",
        ),
    ],
)
def test_the_sentences_that_assign_a_task_are_told_from_what_is_to_be_done(text, title, assigning):
    assert split_assignment(text) == (title, assigning)
