"""From a read document to a draft plan: every recogniser in turn, each claiming the tables it
understands; whatever nobody claims is reported, never dropped silently. Pure functions."""

from collections import Counter

from django.utils.translation import gettext

from theodoi.core.text import fold
from theodoi.importer.document import Document
from theodoi.importer.draft import Draft, DraftSection, where
from theodoi.importer.recognise.budget import budget_from_tables
from theodoi.importer.recognise.cadence import reporting_cycle_of
from theodoi.importer.recognise.coverage import add_coverage
from theodoi.importer.recognise.header import recognise_header
from theodoi.importer.recognise.indicator_lists import indicators_from_lists
from theodoi.importer.recognise.indicator_tables import indicators_from_tables
from theodoi.importer.recognise.narrative import link_body_tasks, tasks_from_text
from theodoi.importer.recognise.punctuation import tidy_cells
from theodoi.importer.recognise.tables import LogicalTable, logical_tables
from theodoi.importer.recognise.tasks import is_task_table, tasks_from_table

APPENDIX_SECTION = "PL"


def recognise(document: Document) -> Draft:
    draft = Draft()
    draft.warnings.extend(document.warnings)
    draft.plan, warnings = recognise_header(document)
    draft.warnings.extend(warnings)
    cadence = reporting_cycle_of(paragraph.text for paragraph in document.paragraphs())
    if cadence.cycle:
        draft.plan.reporting_cycle = cadence.cycle
        draft.plan.reporting_cycle_source = cadence.sentence
    tables = logical_tables(document)
    claimed: list[LogicalTable] = []

    draft.budget, warnings, used = budget_from_tables(tables)
    draft.warnings.extend(warnings)
    claimed.extend(used)

    indicators, warnings, used = indicators_from_tables(document, _unclaimed(tables, claimed))
    draft.indicators.extend(indicators)
    draft.warnings.extend(warnings)
    claimed.extend(used)
    if not used:
        # Plans that list their targets in the body have no indicator table, and plans with
        # an indicator appendix repeat some of its targets in the body: one source, not both.
        indicators, warnings = indicators_from_lists(document)
        draft.indicators.extend(indicators)
        draft.warnings.extend(warnings)

    has_task_table = any(is_task_table(t) for t in _unclaimed(tables, claimed))
    sections, body_tasks, warnings = tasks_from_text(document, has_task_table=has_task_table)
    draft.sections.extend(sections)
    draft.tasks.extend(body_tasks)
    draft.warnings.extend(warnings)
    appendix_count = 0
    for table in _unclaimed(tables, claimed):
        if not is_task_table(table):
            continue
        claimed.append(table)
        appendix_count += 1
        sections, tasks, warnings = tasks_from_table(table)
        if not sections and tasks:
            # An appendix table without section rows is a section of its own.
            code = (
                APPENDIX_SECTION if appendix_count == 1 else f"{APPENDIX_SECTION}{appendix_count}"
            )
            sections = [DraftSection(code=code, title=_appendix_title(table), row=table.source)]
            for task in tasks:
                task.section = code
        draft.sections.extend(sections)
        draft.tasks.extend(tasks)
        draft.warnings.extend(warnings)

    link_body_tasks(draft, body_tasks)

    for table in _unclaimed(tables, claimed):
        columns = ", ".join(label for label in table.header if label) or gettext(
            "no column headings"
        )
        draft.warnings.append(
            gettext(
                "The table at %(where)s (%(rows)s rows; columns: %(columns)s) was not recognised "
                "as a table of tasks, indicators or budget, so it was not imported. Check it and "
                "enter it by hand if needed."
            )
            % {"where": where(table.source), "rows": len(table.rows), "columns": columns}
        )
    tidy_cells(draft)
    _check_duplicate_codes(draft)
    add_coverage(document, draft)
    return draft


def _unclaimed(tables: list[LogicalTable], claimed: list[LogicalTable]) -> list[LogicalTable]:
    return [table for table in tables if not any(table is other for other in claimed)]


def _appendix_title(table: LogicalTable) -> str:
    for text in table.context:
        if "phu luc" in fold(text):
            return text.strip()
    return "Phụ lục"  # a section title of the plan's own content, in the plan's language


def _check_duplicate_codes(draft: Draft) -> None:
    counts = Counter((task.section, task.code) for task in draft.tasks)
    for (section, code), count in counts.items():
        if count > 1:
            draft.warnings.append(
                gettext(
                    "Task code %(code)s appears %(count)s times in section %(section)s: change "
                    "the codes to tell them apart before saving."
                )
                % {"code": code, "count": count, "section": section or "—"}
            )
