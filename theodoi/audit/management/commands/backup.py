"""`theodoi backup PATH`: the database, the evidence files and a SHA-256 manifest in one file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from theodoi.audit.backup import BackupError, backup, files_text, records_text


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
            self.stderr.write(
                gettext("Damaged file left out: %(problem)s") % {"problem": problem.describe()}
            )
        self.stdout.write(
            gettext("Backed up %(records)s and %(files)s to %(path)s.")
            % {
                "records": records_text(summary.objects),
                "files": files_text(summary.files),
                "path": path,
            }
        )
        if summary.damaged:
            count = len(summary.damaged)
            self.stdout.write(
                ngettext(
                    "%(count)s damaged or missing file is not in the backup (it is listed under "
                    "«damaged» in the list of contents). Run «theodoi verify_files».",
                    "%(count)s damaged or missing files are not in the backup (they are listed "
                    "under «damaged» in the list of contents). Run «theodoi verify_files».",
                    count,
                )
                % {"count": count}
            )
