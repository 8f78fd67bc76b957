"""The unit ranking as an Excel table for the ward's emulation meeting: the same rows, scores,
formulas and rules as the page, the unranked units apart with their reason."""

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from theodoi.core.spreadsheet import put, put_row
from theodoi.ranking.scoring import Ranked, UnitScore


def rank_shown(row: Ranked) -> str:
    """ "3", or "Đồng hạng 2" when other units share the score."""
    if row.position is None:
        return "—"
    if row.tied:
        return _("Tied %(position)s") % {"position": row.position}
    return str(row.position)


def score_shown(item: UnitScore) -> str:
    """The score, and at the floor "0 điểm (mức sàn)" with the raw figure."""
    if item.floored:
        return _("%(score)s points (the floor; raw %(raw)s)") % {
            "score": item.score_shown,
            "raw": item.raw_shown,
        }
    return item.score_shown


def ranking_xlsx(
    *,
    title: str,
    period: str,
    scale: str,
    rules: Sequence[str],
    rows: Sequence[Ranked],
    unranked: Sequence[UnitScore],
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")[:31]
    put(sheet, 1, 1, title).font = Font(bold=True, size=13)
    put(sheet, 2, 1, period)
    put(sheet, 3, 1, scale)
    line = 4
    for rule in rules:
        put(sheet, line, 1, f"• {rule}")
        line += 1
    line += 1
    header = [
        _("Rank"),
        _("Unit"),
        _("Score"),
        _("How the score is computed"),
        _("Tasks due"),
        _("Done on time"),
        _("Done late"),
        _("Open, overdue"),
        _("Reports on time"),
        _("Reports due"),
        _("Days reports late (counted)"),
        _("Days reports late (actual)"),
        _("Evidence accepted"),
        _("Evidence reviewed"),
    ]
    for cell in put_row(sheet, line, header):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        line += 1
        item, facts = row.item, row.item.facts
        put_row(
            sheet,
            line,
            [
                rank_shown(row),
                facts.unit_name,
                score_shown(item),
                item.formula,
                facts.tasks_due,
                facts.done_on_time,
                facts.done_late,
                facts.open_overdue,
                facts.reports_on_time,
                facts.reports_due,
                facts.late_days,
                item.late_days_actual,
                facts.evidence_accepted,
                facts.evidence_reviewed,
            ],
        )
        sheet.cell(row=line, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    if unranked:
        line += 2
        put(sheet, line, 1, _("Not ranked")).font = Font(bold=True)
        for cell in put_row(sheet, line + 1, [_("Unit"), _("Reason")], start=2):
            cell.font = Font(bold=True)
        line += 1
        for item in unranked:
            line += 1
            put_row(sheet, line, ["—", item.facts.unit_name, item.formula])
    for column, width in zip("ABCD", (14, 34, 22, 80), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
