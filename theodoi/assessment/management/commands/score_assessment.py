import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from theodoi.assessment import framework as frameworks
from theodoi.assessment import scoring


class Command(BaseCommand):
    help = (
        "Score a set of answers against an assessment framework without touching the database: "
        "both files in the framework YAML format of docs/assessment.md."
    )
    requires_system_checks = []  # a file check; it needs no database and no configured site

    def add_arguments(self, parser):
        parser.add_argument("framework", help="the framework (.yaml)")
        parser.add_argument("answers", help="the answers (.yaml): {answers: {code: answer}}")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, framework, answers, format, **options):
        try:
            definition = frameworks.load_yaml(_read(framework))
            given = scoring.answers_from(frameworks.read_yaml(_read(answers)))
        except frameworks.FrameworkError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = scoring.score(definition, given)
        data = scoring.result_as_json(definition, result)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{definition.name} ({definition.year}, phiên bản {definition.version})")
        for row in data["criteria"]:
            indent = "    " if row["parent"] else "  "
            shown = "—" if row["answer"] is None else row["answer"]
            self.stdout.write(
                f"{indent}{row['code']:<8} {row['points']:>6} / {row['max_points']:<6} {shown}"
            )
        for group in data["groups"]:
            self.stdout.write(
                f"Nhóm {group['code']} {group['name']}: {group['points']} / {group['max_points']}"
            )
        self.stdout.write(f"Tổng: {data['total']} / {data['max_points']} điểm ({data['percent']}%)")
        for problem in data["problems"]:
            self.stderr.write(problem)


def _read(path: str) -> str:
    source = Path(path)
    if not source.is_file():
        raise CommandError(f"Không tìm thấy tệp {path}.")
    try:
        return source.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(f"Tệp {path} không phải văn bản UTF-8 (cần tệp YAML).") from exc
