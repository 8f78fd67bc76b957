"""`theodoi verify_files`: every stored file against the size and SHA-256 its rows recorded."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from theodoi.core import storage


class Command(BaseCommand):
    help = (
        "Check every stored file against the size and SHA-256 recorded for it (other files: that "
        "they exist), list the damaged or missing ones with the records pointing at them, and "
        "remove temporary files left by interrupted writes. Exits non-zero when a file is "
        "damaged or missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print the result as JSON"
        )

    def handle(self, *args, as_json: bool = False, **options):
        problems: list[storage.Problem] = []
        recorded = storage.recorded_files()
        for name, records in recorded.items():
            try:
                found = storage.measure(name)
            except Exception as exc:  # an unreadable file, an unreachable S3 service
                raise CommandError(
                    gettext("Could not read the file «%(name)s» in the file store: %(error)s")
                    % {"name": name, "error": exc}
                ) from exc
            problem = storage.problem(name, records, found)
            if problem is not None:
                problems.append(problem)
                if not as_json:
                    self.stdout.write(problem.describe())
        removed = storage.clean_partials()
        missing = sum(1 for p in problems if p.found is None)
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "checked": len(recorded),
                        "damaged": len(problems) - missing,
                        "missing": missing,
                        "problems": [problem.as_dict() for problem in problems],
                        "partials_removed": removed,
                    },
                    ensure_ascii=False,
                    indent=2,
                    default=str,
                )
            )
        else:
            for name in removed:
                self.stdout.write(
                    gettext("Removed a temporary file left by an interrupted write: %(name)s")
                    % {"name": name}
                )
            self.stdout.write(
                gettext(
                    "Checked %(checked)s files: %(sound)s sound, %(damaged)s damaged, "
                    "%(missing)s missing."
                )
                % {
                    "checked": len(recorded),
                    "sound": len(recorded) - len(problems),
                    "damaged": len(problems) - missing,
                    "missing": missing,
                }
            )
        if problems:
            raise CommandError(
                gettext(
                    "%(count)s files damaged or missing. Uploading the same file again (the same "
                    "content) repairs a damaged file; if the original is gone, restore the file "
                    "from an earlier backup."
                )
                % {"count": len(problems)}
            )
