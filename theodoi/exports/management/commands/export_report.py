"""``theodoi export_report``: a report file for a plan and a period, for scheduled jobs."""

import shutil
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext

from theodoi.core.access import SYSTEM, Actor
from theodoi.core.clock import today
from theodoi.exports import pdf, report, services
from theodoi.org.models import User
from theodoi.plans.models import Plan
from theodoi.plans.selectors import plan_get_for_user


class Command(BaseCommand):
    help = (
        "Write a plan's periodic report: Word (docx), PDF, the Excel tables (xlsx) or the "
        "package for the upper level with the evidence files (zip)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True, help="the plan's id")
        parser.add_argument("--period", required=True, help="2026-03, 2026-Q1, 2026-H1 or 2026")
        parser.add_argument("--format", choices=sorted(services.FORMATS), required=True)
        parser.add_argument(
            "--output", required=True, help="the file to write, or a folder to write it in"
        )
        parser.add_argument(
            "--user",
            help="act as this user (their ward and rights); by default the system, which "
            "sees every ward and is named nowhere in the audit trail",
        )

    def handle(self, *args, plan, period, format, output, user, **options):
        try:
            parsed = report.parse_report_period(period)
        except report.ReportError as exc:
            raise CommandError(str(exc)) from exc
        actor: Actor = SYSTEM
        if user:
            person = User.objects.filter(username=user, is_active=True).first()
            if person is None:
                raise CommandError(gettext("No user «%(user)s».") % {"user": user})
            actor = person
        try:
            plan_obj = (
                plan_get_for_user(actor, plan)
                if user
                else Plan.objects.select_related("organization").get(pk=plan)
            )
        except (Plan.DoesNotExist, Http404) as exc:
            raise CommandError(gettext("No plan number %(plan)s.") % {"plan": plan}) from exc
        try:
            export = services.report_export(
                actor=actor, plan=plan_obj, period=parsed, fmt=format, today=today()
            )
        except PermissionDenied as exc:
            raise CommandError(
                gettext("User «%(user)s» may not download this report.") % {"user": user}
            ) from exc
        except (report.ReportError, pdf.PdfError) as exc:
            raise CommandError(str(exc)) from exc
        target = Path(output)
        if target.is_dir():
            target = target / export.name
        with export.file, target.open("wb") as handle:
            shutil.copyfileobj(export.file, handle)
        self.stdout.write(
            gettext("Wrote %(file)s (%(size)s bytes): %(period)s, plan %(plan)s.")
            % {"file": target, "size": export.size, "period": parsed.label_vi(), "plan": plan_obj}
        )
