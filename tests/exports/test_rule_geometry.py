"""The short rules under the issuing body, the Tiêu ngữ and the subject sit below their text, as
LibreOffice lays the Word file out: not through the descenders and the dots under Vietnamese
vowels."""

import datetime
import io

import pdfplumber
import pytest

from theodoi.exports import docx, pdf, report
from theodoi.plans.periods import Period

pytestmark = pytest.mark.skipif(
    not pdf.available(), reason="LibreOffice is not installed: no PDF to measure the rules on"
)

D = datetime.date
# Times New Roman (and Liberation Serif, its metric twin) reach 0.217 em below the baseline;
# the dots under "ạ", "ệ", "ộ" stay inside that.
DESCENT_EM = 0.25
MIN_GAP_PT = 4  # a clear gap at 14 pt: the line reads as a rule, not an underline


def content(kind: str) -> report.ReportContent:
    plan = report.PlanFacts(
        id=1,
        number="110/KH-UBND",
        title="Thực hiện Nghị quyết số 57-NQ/TW",
        issuer="UBND phường Lê Chân",
        issuer_kind=kind,
        issued_on=D(2026, 3, 25),
        ward="Phường Lê Chân",
        province="Thành phố Hải Phòng",
    )
    data = report.ReportData(
        plan, Period("quarterly", 2026, 3), D(2026, 9, 30), D(2026, 10, 10), (), (), ()
    )
    return report.assemble(data)


def rules_and_text_above(blob: bytes):
    """Each short horizontal line of the first page's heading (above the body, whose
    underlined "Nơi nhận" is no rule) with the baseline and size of the text line right above
    it."""
    with pdfplumber.open(io.BytesIO(blob)) as document:
        page = document.pages[0]
        # The same line may come as a line and as a rectangle's edge: once each.
        lines = {
            (round(line["top"], 1), round(line["x0"]), round(line["x1"])): line
            for line in page.lines
            if abs(line["top"] - line["bottom"]) < 0.5
            and line["x1"] - line["x0"] < 250
            and line["top"] < page.height / 3
        }.values()
        found = []
        for line in lines:
            above = [
                char
                for char in page.chars
                if char["text"].strip()
                and char["x1"] > line["x0"]
                and char["x0"] < line["x1"]
                and page.height - char["matrix"][5] < line["top"]
            ]
            baseline = max(page.height - char["matrix"][5] for char in above)
            size = max(c["size"] for c in above if abs(page.height - c["matrix"][5] - baseline) < 1)
            found.append((line["top"], baseline, size))
        return found


@pytest.mark.parametrize(("kind", "count"), [(report.PEOPLES_COMMITTEE, 3), (report.PARTY, 1)])
def test_each_rule_is_below_its_texts_bottom(kind, count):
    rules = rules_and_text_above(pdf.docx_to_pdf(docx.write_docx(content(kind))))
    assert len(rules) == count
    for top, baseline, size in rules:
        bottom = baseline + DESCENT_EM * size
        assert top - bottom >= MIN_GAP_PT, (top, baseline, size)
        # Still the text's rule: within a line's height of it.
        assert top - baseline <= 1.2 * size, (top, baseline, size)
