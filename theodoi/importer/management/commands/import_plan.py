import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from theodoi.core.access import SYSTEM
from theodoi.core.text import format_number
from theodoi.importer.draft import COVERAGE_KINDS, COVERAGE_LABELS, where
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import UnsupportedDocument
from theodoi.importer.recognise.coverage import few_tasks_message
from theodoi.importer.services import (
    DraftNotReady,
    dry_run_units,
    import_draft,
    other_issuer_message,
    resolve_draft_units,
)
from theodoi.importer.unit_names import STANDARD, WARD
from theodoi.org.models import Organization


class Command(BaseCommand):
    help = (
        "Read a plan document (.docx, .xlsx, PDF with a text layer, or text) into a draft; "
        "print it with --dry-run, or save it into a ward with --ward CODE. A dry run names "
        "each task's units by their canonical names: the ward's own units with --ward, then the "
        "standard units of a ward (of a commune when the issuer is a commune, or with "
        "--commune), and lists the names it could not place."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the plan document")
        parser.add_argument("--ward", help="code of the ward or commune the plan belongs to")
        parser.add_argument("--dry-run", action="store_true", help="print the draft, save nothing")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument(
            "--commune",
            action="store_true",
            help="in a dry run, name the standard units as a commune does (read from the issuer "
            "or the ward otherwise)",
        )
        parser.add_argument(
            "--no-new-units",
            action="store_true",
            help="do not create units for names that match no unit (they stay as written)",
        )

        parser.add_argument(
            "--other-ward",
            action="store_true",
            help="save the plan although its issuer names another ward or commune",
        )

    def handle(
        self, *args, path, ward, dry_run, format, commune, no_new_units, other_ward, **options
    ):
        source = Path(path)
        if not source.is_file():
            raise CommandError(gettext("File %(path)s not found.") % {"path": path})
        try:
            draft = draft_from_bytes(source.read_bytes(), name=source.name)
        except UnsupportedDocument as exc:
            raise CommandError(str(exc)) from exc
        organization = None
        if ward:
            organization = Organization.objects.filter(code=ward).first()
            # A ward's or commune's plan, or a province's own (its tasks go to its wards).
            if organization is None or organization.kind == Organization.Kind.NATION:
                raise CommandError(gettext("No ward has the code %(code)s.") % {"code": ward})
        if dry_run:
            self._print(draft, format, dry_run_units(draft, organization, commune=commune or None))
            return
        if organization is None:
            raise CommandError(gettext("Choose a ward with --ward CODE (or use --dry-run)."))
        resolve_draft_units(draft, organization)
        if organization is None:
            raise CommandError(gettext("Choose a ward with --ward CODE (or use --dry-run)."))
        if not other_ward and other_issuer_message(draft, organization):
            raise CommandError(
                gettext(
                    "This plan was issued by «%(issuer)s», not by %(ward)s. Check the document; "
                    "to save it into %(ward)s anyway, add --other-ward."
                )
                % {"issuer": draft.plan.issuer, "ward": organization.name}
            )
        try:
            result = import_draft(
                actor=SYSTEM,
                draft=draft,
                ward=organization,
                create_unknown_units=not no_new_units,
                source_name=source.name,
                confirm_other_issuer=other_ward,
            )
        except DraftNotReady as exc:
            raise CommandError(str(exc)) from exc
        summary = {
            "plan": result.plan.pk,
            "created": result.created,
            "tasks_added": result.tasks_added,
            "tasks_changed": result.tasks_changed,
            "tasks_unchanged": result.tasks_unchanged,
            "tasks_missing": result.tasks_missing,
            "units_created": result.units_created,
            "indicators_added": result.indicators_added,
            "budget_lines_added": result.budget_lines_added,
            "warnings": draft.warnings,
        }
        if format == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            done = (
                gettext("Created plan «%(plan)s» (id %(id)s).")
                if result.created
                else gettext("Updated plan «%(plan)s» (id %(id)s).")
            )
            self.stdout.write(done % {"plan": result.plan, "id": result.plan.pk})
            for key, value in summary.items():
                if key not in ("plan", "created", "warnings"):
                    self.stdout.write(f"  {key}: {value}")
            self._warnings(draft.warnings)

    def _print(self, draft, format, units):
        if format == "json":
            data = draft.to_json()
            for index, task in enumerate(data["tasks"]):
                task["units"] = units.units.task_json(index)
            data["units"] = units.units.to_json()
            data["units"]["new_units"] = units.new_units
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        plan = draft.plan
        self.stdout.write(
            gettext("Plan: %(number)s of %(date)s")
            % {"number": plan.number or "—", "date": plan.issued_on or "—"}
        )
        self.stdout.write(f"  {plan.title}")
        self.stdout.write(gettext("  Issued by: %(issuer)s") % {"issuer": plan.issuer or "—"})
        self.stdout.write(
            gettext(
                "%(sections)s sections, %(tasks)s tasks, %(indicators)s indicators, "
                "%(budget)s budget lines"
            )
            % {
                "sections": len(draft.sections),
                "tasks": len(draft.tasks),
                "indicators": len(draft.indicators),
                "budget": len(draft.budget),
            }
        )
        marked = len(units.units.sources) > 1
        for index, task in enumerate(draft.tasks):
            indent = "    " if task.parent else "  "
            self.stdout.write(f"{indent}[{task.section}] {task.code} {task.title[:90]}")
            lead = units.units.leads[index]
            coordinating = units.units.coordinating[index]
            shown = []
            if lead.units or lead.all_units:
                shown.append(gettext("lead: %(units)s") % {"units": _names(lead, marked)})
            if coordinating.units or coordinating.all_units:
                shown.append(
                    gettext("coordinating: %(units)s") % {"units": _names(coordinating, marked)}
                )
            if task.unknown_units:
                shown.append(
                    gettext("not placed: %(names)s") % {"names": "; ".join(task.unknown_units)}
                )
            if shown:
                self.stdout.write(f"{indent}    → " + " · ".join(shown))
        self._units(units)
        if draft.coverage is not None:
            self._coverage(draft.coverage)
        self._warnings(draft.warnings)

    def _units(self, units):
        summary = units.units
        if summary.sources == [WARD, STANDARD]:
            heading = (
                gettext("Units (the ward's units, then the standard units of a commune):")
                if summary.level == "commune"
                else gettext("Units (the ward's units, then the standard units of a ward):")
            )
        else:
            heading = (
                gettext("Units (the standard units of a commune):")
                if summary.level == "commune"
                else gettext("Units (the standard units of a ward):")
            )
        self.stdout.write(heading)
        marked = len(summary.sources) > 1
        for group in summary.groups:
            name = _unit_name(group.unit, marked)
            self.stdout.write(f"  {name} ← {', '.join(group.spellings)}")
        if summary.unplaced:
            self.stdout.write(gettext("Names no list places (kept as written):"))
            for name in summary.unplaced:
                rows = "; ".join(where(row) for row in name.rows)
                self.stdout.write(f"  {name.name} — {rows}")
        if units.new_units:
            self.stdout.write(
                gettext("Saving into the ward would propose these new units: %(names)s")
                % {"names": "; ".join(units.new_units)}
            )

    def _coverage(self, coverage):
        """What became of the document's text, and each block left out with its place."""
        self.stdout.write(
            gettext("Coverage of the document's text (%(chars)s characters, spaces not counted):")
            % {"chars": format_number(coverage.total)}
        )
        shares = [
            f"{COVERAGE_LABELS[kind]} {format_number(coverage.share(kind))}%"
            for kind in COVERAGE_KINDS
            if coverage.chars.get(kind)
        ]
        self.stdout.write("  " + " · ".join(shares))
        if coverage.few_tasks:
            self.stdout.write(self.style.ERROR("  " + few_tasks_message(coverage)))
        if not coverage.left_out:
            return
        in_tasks = sum(1 for block in coverage.left_out if block.task_part)
        self.stdout.write(
            ngettext(
                "Left out: %(count)s block (%(in_tasks)s in the parts that hold tasks, marked *):",
                "Left out: %(count)s blocks (%(in_tasks)s in the parts that hold tasks, marked *):",
                len(coverage.left_out),
            )
            % {"count": len(coverage.left_out), "in_tasks": in_tasks}
        )
        for block in coverage.left_out:
            text = " ".join(block.text.split())
            shown = text if len(text) <= 100 else text[:99] + "…"
            mark = "*" if block.task_part else " "
            self.stdout.write(f"  {mark} {where(block.source, capital=True)}: {shown}")

    def _warnings(self, warnings):
        if warnings:
            self.stdout.write(
                self.style.WARNING(
                    ngettext("%(count)s warning:", "%(count)s warnings:", len(warnings))
                    % {"count": len(warnings)}
                )
            )

            for warning in warnings:
                self.stdout.write(f"  - {warning}")


def _unit_name(unit, marked):
    if marked and unit.source == STANDARD:
        return gettext("%(unit)s (standard list)") % {"unit": unit.name}
    return unit.name


def _names(names, marked):
    if names.all_units:
        return gettext("every unit")
    return "; ".join(_unit_name(unit, marked) for unit in names.units)
