import pytest

from theodoi.core.text import fold, fold_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chữ ký số", "chu ky so"),
        ("ĐẢNG ỦY phường", "dang uy phuong"),
        ("  Quý   IV  ", "quy iv"),
        ("Ủy ban MTTQ Việt Nam", "uy ban mttq viet nam"),
    ],
)
def test_fold_strips_diacritics_case_and_extra_spaces(text, expected):
    assert fold(text) == expected


def test_fold_key_drops_punctuation():
    assert (
        fold_key("Phòng Văn hóa - Xã hội")
        == fold_key("Phòng Văn hóa, Xã hội")
        == ("phong van hoa xa hoi")
    )
