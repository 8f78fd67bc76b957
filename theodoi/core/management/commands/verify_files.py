"""`theodoi verify_files`: every stored file against the size and SHA-256 its rows recorded."""

import json

from django.core.management.base import BaseCommand, CommandError

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
                raise CommandError(f"Không đọc được tệp «{name}» trong kho lưu trữ: {exc}") from exc
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
                self.stdout.write(f"Đã xoá tệp tạm do lần ghi bị gián đoạn để lại: {name}")
            self.stdout.write(
                f"Đã kiểm tra {len(recorded)} tệp: {len(recorded) - len(problems)} đúng, "
                f"{len(problems) - missing} hỏng, {missing} thiếu."
            )
        if problems:
            raise CommandError(
                f"{len(problems)} tệp hỏng hoặc thiếu. Tải lên lại đúng tệp đó (cùng nội dung) sẽ "
                "sửa tệp hỏng; nếu không còn bản gốc, hãy khôi phục tệp từ bản sao lưu trước đó."
            )
