"""The proposals of which upper-level task a ward task carries out: pure functions."""

from hypothesis import given
from hypothesis import strategies as st

from theodoi.plans.cascade import THRESHOLD, TaskText, names_plan, propose, score, wording

WORDS = st.sampled_from(
    [
        "đào",
        "tạo",
        "kỹ",
        "năng",
        "số",
        "người",
        "dân",
        "tổ",
        "công",
        "nghệ",
        "cộng",
        "đồng",
        "bảo",
        "đảm",
        "an",
        "toàn",
        "ninh",
        "mạng",
        "cơ",
        "quan",
        "đơn",
        "vị",
        "dữ",
        "liệu",
        "quốc",
        "gia",
        "kết",
        "nối",
        "chia",
        "sẻ",
        "thủ",
        "tục",
        "hành",
        "chính",
        "trực",
        "tuyến",
    ]
)
TITLES = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
CODES = st.sampled_from(["1", "1.1", "1.2", "2", "2.1", "3.3", ""])
TASKS = st.builds(
    TaskText,
    code=CODES,
    title=TITLES,
    section_code=st.sampled_from(["", "I", "PL", "1"]),
    section_titles=st.lists(TITLES, max_size=2).map(tuple),
)


def test_the_same_wording_scores_highest_whatever_the_punctuation_and_accents():
    assert (
        wording(
            "Bảo đảm an toàn, an ninh mạng tại cơ quan, đơn vị",
            "bao dam an toan an ninh mang tai co quan don vi",
        )
        == 1.0
    )
    assert wording("Đào tạo kỹ năng số", "Thí điểm lắp đặt Wi-Fi công cộng") == 0.0


def test_a_shared_code_counts_only_with_shared_words():
    upper = TaskText(code="3.1", title="Đưa vào khai thác hiệu quả các cơ sở dữ liệu quốc gia")
    same_code = TaskText(code="3.1", title="Phát động phong trào văn nghệ")
    assert score(same_code, upper) == 0
    assert propose(same_code, [upper]) is None
    wording_only = TaskText(code="9", title="Khai thác hiệu quả các cơ sở dữ liệu quốc gia")
    both = TaskText(code="3.1", title="Khai thác hiệu quả các cơ sở dữ liệu quốc gia")
    assert score(both, upper) > score(wording_only, upper) > THRESHOLD


def test_the_ward_words_of_a_province_task_propose_it_among_others():
    uppers = [
        TaskText("1.1", "Tổ chức quán triệt, tuyên truyền Nghị quyết số 57-NQ/TW đến cán bộ"),
        TaskText("1.2", "Đào tạo kỹ năng số cho người dân thông qua Tổ công nghệ số cộng đồng"),
        TaskText("4.2", "Bảo đảm an toàn, an ninh mạng tại cơ quan, đơn vị"),
    ]
    ward_task = TaskText("8", "Bảo đảm an toàn an ninh mạng tại cơ quan, đơn vị", "PL")
    assert propose(ward_task, uppers) == 2
    assert propose(TaskText("2", "Hỗ trợ các trường nâng cấp thiết bị dạy học"), uppers) is None


def test_a_plan_is_named_by_its_number_whatever_the_case_and_spaces():
    line = "Thực hiện Kế hoạch số 49/KH-UBND ngày 12/02/2026 của Ủy ban nhân dân thành phố"
    assert names_plan(line, "49/KH-UBND")
    assert names_plan(line.replace("49/KH-UBND", "49 / kh - ubnd"), "49/KH-UBND")
    assert not names_plan(line, "9/KH-UBND")
    assert not names_plan(line, "49/KH")
    assert not names_plan(line, "/KH-UBND")


@given(TASKS, st.lists(TASKS, max_size=6), st.integers(min_value=0, max_value=6))
def test_a_task_always_proposes_its_exact_copy(task, others, position):
    uppers = list(others)
    uppers.insert(min(position, len(uppers)), task)
    chosen = propose(task, uppers)
    assert chosen is not None
    # Another upper task may be the same text; then it is as good a proposal.
    assert score(task, uppers[chosen]) == score(task, task)


@given(TASKS, st.lists(TASKS, max_size=8))
def test_no_proposal_below_the_threshold_and_none_better_left_out(task, uppers):
    chosen = propose(task, uppers)
    scores = [score(task, upper) for upper in uppers]
    if chosen is None:
        assert all(value < THRESHOLD for value in scores)
    else:
        assert scores[chosen] >= THRESHOLD
        assert scores[chosen] == max(scores)
        assert propose(task, uppers) == chosen  # the same answer every time


@given(TITLES, TITLES)
def test_wording_is_symmetric_and_between_zero_and_one(a, b):
    assert 0 <= wording(a, b) <= 1
    assert wording(a, b) == wording(b, a)
