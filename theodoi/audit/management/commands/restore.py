"""`theodoi restore PATH`: bring a backup back into a freshly migrated, empty installation."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from theodoi.audit.backup import BackupError, files_text, records_text, restore


class Command(BaseCommand):
    help = "Restore a backup archive into a freshly migrated, empty installation."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `theodoi backup`")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, database, **options):
        try:
            summary = restore(path, database=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            gettext("Restored %(records)s and %(files)s from %(path)s.")
            % {
                "records": records_text(summary.objects),
                "files": files_text(summary.files),
                "path": path,
            }
        )
