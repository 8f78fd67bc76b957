"""The results of a self-assessment as a Word summary and an Excel table (issue 8)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from theodoi.assessment.selectors import Results, UnitResult
from theodoi.core.spreadsheet import put_row

_STATUS = {
    "draft": gettext_lazy("Being filled in"),
    "submitted": gettext_lazy("Submitted, awaiting review"),
    "returned": gettext_lazy("Returned for completion"),
    "accepted": gettext_lazy("Accepted by the office"),
}


def _number(value: Decimal | None, places: str = "0.01") -> str:
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal(places)).normalize():f}"
    return text.replace(".", ",")


def _rank(unit: UnitResult) -> str:
    return str(unit.rank) if unit.rank else "—"


def _change(unit: UnitResult) -> str:
    change = unit.change
    if change is None:
        return "—"
    return ("+" if change > 0 else "") + _number(change, "0.1")


def results_docx(results: Results) -> bytes:
    campaign = results.campaign
    definition = campaign.framework.parsed
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("REPORT ON THE RESULTS OF %(name)s") % {"name": campaign.name.upper()})
    run.bold = True
    intro = document.add_paragraph()
    intro.add_run(
        _(
            "%(ward)s. Framework: %(framework)s (year %(year)s, version %(version)s; at most "
            "%(max)s points). Points are computed by the framework's rules from the unit's "
            "answers (and the office's adjustments, if any); criteria that do not apply to a "
            "unit are taken out of that unit's maximum. Only forms accepted by the office are "
            "ranked."
        )
        % {
            "ward": campaign.organization.name,
            "framework": definition.name,
            "year": definition.year,
            "version": definition.version,
            "max": _number(definition.max_points),
        }
    )
    accepted = [u for u in results.units if u.rank]
    document.add_paragraph(
        _("Units taking part: %(count)s; accepted: %(accepted)s.")
        % {"count": len(results.units), "accepted": len(accepted)}
    )

    document.add_heading(_("1. Points and ranking"), level=2)
    groups = definition.groups
    header = [
        _("Rank"),
        _("Unit"),
        _("Points"),
        _("Max"),
        _("% of maximum"),
        _("Change on last year"),
        _("Status"),
    ]
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for unit in results.units:
        cells = table.add_row().cells
        values = [
            _rank(unit),
            unit.submission.unit.name,
            _number(unit.result.points),
            _number(unit.result.max_points),
            _number(unit.result.percent, "0.1"),
            _change(unit),
            str(_STATUS.get(unit.submission.status, unit.submission.status)),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text

    document.add_heading(_("2. Points by group of criteria (percent of the maximum)"), level=2)
    table = document.add_table(rows=1, cols=len(groups) + 1)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = _("Unit")
    for cell, group in zip(table.rows[0].cells[1:], groups, strict=True):
        cell.text = f"{group.code}. {group.name}"
    for unit in results.units:
        cells = table.add_row().cells
        cells[0].text = unit.submission.unit.name
        for cell, score in zip(cells[1:], unit.result.groups, strict=True):
            cell.text = _number(score.percent, "0.1")

    document.add_heading(_("3. The weakest criteria"), level=2)
    if not results.weakest:
        document.add_paragraph(_("No unit has sent its answers yet."))
    for row in results.weakest:
        weak = ", ".join(u.submission.unit.name for u in row.units_weak) or _("none")
        document.add_paragraph(
            _(
                "Criterion %(code)s “%(name)s”: %(average)s%% of the maximum on average; units "
                "below the %(threshold)s%% threshold: %(units)s."
            )
            % {
                "code": row.code,
                "name": row.name,
                "average": _number(row.average_percent, "0.1"),
                "threshold": campaign.weak_percent,
                "units": weak,
            },
            style="List Bullet",
        )
    if results.previous is not None:
        document.add_paragraph(
            _("Compared with the previous year by %(previous)s (same framework %(code)s).")
            % {"previous": results.previous.name, "code": definition.code}
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")


def results_xlsx(results: Results) -> bytes:
    """Sheet «Tổng hợp»: a row per unit with its group and total scores; sheet «Chi tiết»: a
    row per unit and criterion with the answer and the points."""
    campaign = results.campaign
    definition = campaign.framework.parsed
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    header = [_("Rank"), _("Unit"), _("Status")]
    for group in definition.groups:
        header += [f"{group.code}. {group.name}", _("Max %(group)s") % {"group": group.code}]
    header += [
        _("Total points"),
        _("Max"),
        _("% of maximum"),
        _("Previous year %"),
    ]
    put_row(summary, 1, header)
    for number, unit in enumerate(results.units, start=2):
        row: list[object] = [
            unit.rank,
            unit.submission.unit.name,
            str(_STATUS.get(unit.submission.status, unit.submission.status)),
        ]
        for score in unit.result.groups:
            row += [float(score.points), float(score.max_points)]
        percent = unit.result.percent
        row += [
            float(unit.result.points),
            float(unit.result.max_points),
            round(float(percent), 2) if percent is not None else None,
            round(float(unit.previous_percent), 2) if unit.previous_percent is not None else None,
        ]
        put_row(summary, number, row)

    detail = book.create_sheet(_("Details"))
    put_row(
        detail,
        1,
        [
            _("Unit"),
            _("Group"),
            _("Code"),
            _("Criterion"),
            _("Answer given"),
            _("Status"),
            _("Points"),
            _("Max"),
        ],
    )
    names = {c.code: c.name for _g, c, _p in definition.criteria()}
    status = {
        "scored": _("Scored"),
        "not_applicable": _("Not applicable"),
        "unanswered": _("Unanswered"),
        "invalid": _("Invalid answer"),
    }
    number = 1
    for unit in results.units:
        for score in unit.result.criteria:
            number += 1
            put_row(
                detail,
                number,
                [
                    unit.submission.unit.name,
                    score.group,
                    score.code,
                    names.get(score.code, score.name),
                    "" if score.answer is None else str(score.answer),
                    status.get(score.status, score.status),
                    float(score.points),
                    float(score.max_points),
                ],
            )
    for sheet, widths in ((summary, {2: 36}), (detail, {1: 30, 4: 60})):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(index)].width = widths.get(index, 14)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
