"""`theodoi verify_audit`: recompute the audit trail's hash chain; exit 1 on the first break."""

import sys

from django.core.management.base import BaseCommand, CommandError

from theodoi.audit import anchor as anchors
from theodoi.audit import backup as backups
from theodoi.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Check that no audit record was changed, deleted or reordered; with an anchor written "
        "down earlier (on a report, in a backup), also that the chain still holds that head."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--anchor", help="an anchor COUNT:HASH from a report or a backup")
        source.add_argument(
            "--anchor-from-backup", metavar="FILE", help="use the anchor in this backup's manifest"
        )
        parser.add_argument(
            "--show-anchor", action="store_true", help="print the current anchor when all is well"
        )

    def handle(self, *args, anchor, anchor_from_backup, show_anchor, **options):
        try:
            if anchor_from_backup:
                anchor = backups.anchor_from_backup(anchor_from_backup)
            parsed = anchors.parse_anchor(anchor) if anchor is not None else None
        except anchors.AnchorError as exc:
            raise CommandError(str(exc)) from exc
        report = verify_chain(parsed)
        if not report.ok:
            self.stderr.write(report.message)
            sys.exit(1)
        self.stdout.write(report.message)
        if show_anchor:
            self.stdout.write(f"anchor: {anchors.current_anchor()}")
