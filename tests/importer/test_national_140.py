"""The 140-task national programme of the corpus, as Markdown and as a spreadsheet: every task
found with its own code, parent, lead agency and deadline."""

import json
from collections import Counter

import pytest

from tests.importer.corpus.build import HERE
from tests.importer.corpus.national import national_140_xlsx
from theodoi.importer.accuracy import measure
from theodoi.importer.pipeline import draft_from_bytes

EXPECTED = json.loads((HERE / "national-140.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["md", "xlsx"])
def draft(request):
    if request.param == "md":
        return draft_from_bytes((HERE / "national-140.md").read_bytes(), name="national-140.md")
    return draft_from_bytes(national_140_xlsx(), name="national-140.xlsx")


def test_every_task_is_found_with_its_code_and_deadline(draft):
    result = measure("national-140", draft, EXPECTED)
    assert (result.recall, result.precision) == (1.0, 1.0)
    assert result.codes == 1.0
    assert result.deadlines == 1.0
    assert result.leads >= 0.95


def test_codes_are_unique_and_subtasks_hang_under_their_task(draft):
    assert Counter((t.section, t.code) for t in draft.tasks).most_common(1)[0][1] == 1
    parents = {t.code: t.parent for t in draft.tasks if t.parent}
    assert parents == {
        "57.a": "57",
        "57.b": "57",
        "100.1": "100",
        "100.2": "100",
        "100.3": "100",
    }
    top = [t.code for t in draft.tasks if not t.parent]
    assert top == [str(n) for n in range(1, 141)]
    assert [s.code for s in draft.sections] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert {t.section for t in draft.tasks if t.code in ("100", "100.2", "140")} == {"V", "VII"}


def test_no_warning_says_a_numbered_row_has_no_number(draft):
    assert not any("không có số" in w or "without a number" in w for w in draft.warnings)
