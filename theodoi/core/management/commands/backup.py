"""`theodoi backup PATH`: the database, the evidence files and a SHA-256 manifest in one file."""

from django.core.management.base import BaseCommand, CommandError

from theodoi.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write one backup archive (tar.gz) with the database, the stored files and a manifest."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. theodoi-2026-11-24.tar.gz")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, database, **options):
        try:
            summary = backup(path, database=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã sao lưu {summary.objects} bản ghi và {summary.files} tệp vào {path}."
        )
