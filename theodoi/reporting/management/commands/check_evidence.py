"""`theodoi check_evidence`: compute the automatic checks of evidence files already stored."""

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils.translation import gettext

from theodoi.reporting import checks
from theodoi.reporting.models import Evidence
from theodoi.reporting.services import evidence_checks_refresh


class Command(BaseCommand):
    help = (
        "Compute the automatic checks (document number, document date, PDF signatures, photo "
        "date and place) of the evidence files that have none or older ones: after an upgrade, "
        "or with --all after the trusted certification authorities changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="recompute every file, not only the outdated ones"
        )

    def handle(self, *args, all: bool = False, **options):
        files = Evidence.objects.select_related(
            "task__plan", "indicator_value__indicator__plan", "report"
        ).order_by("pk")
        if not all:
            # A JSON number compared in the database: missing or older versions need the work.
            files = files.filter(
                ~Q(checks__has_key="version") | Q(checks__version__lt=checks.VERSION)
            )
        done = failed = 0
        for evidence in files.iterator(chunk_size=100):
            try:
                evidence_checks_refresh(evidence)
            except Exception as exc:  # a missing file: said, and the others go on
                failed += 1
                self.stderr.write(
                    gettext("%(name)s (#%(pk)s): %(error)s")
                    % {"name": evidence.original_name, "pk": evidence.pk, "error": exc}
                )
            else:
                done += 1
        self.stdout.write(
            gettext("Checks computed for %(done)s file(s); %(failed)s could not be read.")
            % {"done": done, "failed": failed}
        )
