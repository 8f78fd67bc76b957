"""`theodoi restore PATH`: bring a backup back into a freshly migrated, empty installation."""

from django.core.management.base import BaseCommand, CommandError

from theodoi.audit.backup import BackupError, restore


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
            f"Đã khôi phục {summary.objects} bản ghi và {summary.files} tệp từ {path}."
        )
