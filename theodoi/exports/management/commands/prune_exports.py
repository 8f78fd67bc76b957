"""``theodoi prune_exports``: the files people asked for on the pages, removed after some days.

Every download of a report or of the ranking's table is made by the worker and kept in the file
storage (the zip package with its evidence can be large); run this from cron, e.g. daily.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from theodoi.exports import services


class Command(BaseCommand):
    help = "Remove the report files and ranking tables made for people more than DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="keep the files asked for in the last DAYS days"
        )

    def handle(self, *args, days: int, **options):
        before = timezone.now() - datetime.timedelta(days=max(days, 0))
        exports, files = services.exports_prune(before=before)
        self.stdout.write(f"{exports} exports and {files} files removed")
