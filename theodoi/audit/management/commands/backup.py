"""`theodoi backup PATH`: the database, the evidence files and a SHA-256 manifest in one file."""

from django.core.management.base import BaseCommand, CommandError

from theodoi.audit.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write one backup archive (tar.gz) with the database, the stored files and a manifest."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. theodoi-2026-11-24.tar.gz")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--allow-damaged",
            action="store_true",
            help="write the backup even when stored files are damaged or missing: they are "
            "left out and listed under 'damaged' in the manifest (without it, backup refuses)",
        )

    def handle(self, *args, path, database, allow_damaged, **options):
        try:
            summary = backup(path, database=database, allow_damaged=allow_damaged)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in summary.damaged:
            self.stderr.write(f"Bỏ qua tệp hỏng: {problem.describe()}")
        self.stdout.write(
            f"Đã sao lưu {summary.objects} bản ghi và {summary.files} tệp vào {path}."
        )
        if summary.damaged:
            self.stdout.write(
                f"{len(summary.damaged)} tệp hỏng hoặc thiếu không có trong bản sao lưu (được "
                "ghi ở mục «damaged» của bảng kê). Hãy chạy «theodoi verify_files»."
            )
