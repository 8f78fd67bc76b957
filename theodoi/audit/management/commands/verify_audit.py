"""`theodoi verify_audit`: recompute the audit trail's hash chain; exit 1 on the first break."""

import sys

from django.core.management.base import BaseCommand

from theodoi.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Check that no audit record was changed, deleted or reordered."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            self.stderr.write(report.message)
            sys.exit(1)
        self.stdout.write(report.message)
