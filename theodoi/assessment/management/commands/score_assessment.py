import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from theodoi.assessment import excel, scoring
from theodoi.assessment import framework as frameworks


class Command(BaseCommand):
    help = (
        "Score a set of answers against an assessment framework without touching the database: "
        "the framework as YAML or Excel (.xlsx) and the answers as YAML, in the formats of "
        "docs/assessment.md."
    )
    requires_system_checks = []  # a file check; it needs no database and no configured site

    def add_arguments(self, parser):
        parser.add_argument("framework", help="the framework (.yaml or .xlsx)")
        parser.add_argument("answers", help="the answers (.yaml): {answers: {code: answer}}")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, framework, answers, format, **options):
        definition = _framework(framework)
        try:
            given = scoring.answers_from(frameworks.read_yaml(_read(answers)))
        except frameworks.FrameworkError as exc:
            raise CommandError(_in_file(answers, exc.problems)) from exc
        except ValueError as exc:
            raise CommandError(_in_file(answers, [str(exc)])) from exc
        result = scoring.score(definition, given)
        data = scoring.result_as_json(definition, result)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("%(name)s (%(year)s, version %(version)s)")
            % {"name": definition.name, "year": definition.year, "version": definition.version}
        )
        for row in data["criteria"]:
            indent = "    " if row["parent"] else "  "
            shown = _shown(row["answer"])
            self.stdout.write(
                f"{indent}{row['code']:<8} {row['points']:>6} / {row['max_points']:<6} {shown}"
            )
        for group in data["groups"]:
            self.stdout.write(
                _("Group %(code)s %(name)s: %(points)s / %(max)s")
                % {
                    "code": group["code"],
                    "name": group["name"],
                    "points": group["points"],
                    "max": group["max_points"],
                }
            )
        percent = "—" if data["percent"] is None else f"{data['percent']}%"
        self.stdout.write(
            _("Total: %(total)s / %(max)s points (%(percent)s)")
            % {"total": data["total"], "max": data["max_points"], "percent": percent}
        )
        for problem in data["problems"]:
            self.stderr.write(problem)


def _framework(path: str) -> frameworks.Framework:
    try:
        if Path(path).suffix.lower() == ".xlsx":
            return excel.framework_from_xlsx(_path(path).read_bytes())
        return frameworks.load_yaml(_read(path))
    except frameworks.FrameworkError as exc:
        raise CommandError(_in_file(path, exc.problems)) from exc


def _in_file(path: str, problems: list[str]) -> str:
    # Two files are read: say which one is wrong.
    return "\n".join([_("File %(path)s:") % {"path": path}, *problems])


def _shown(answer: object) -> object:
    if answer is None:
        return "—"
    if isinstance(answer, bool):
        return _("yes") if answer else _("no")
    return answer


def _path(path: str) -> Path:
    source = Path(path)
    if not source.is_file():
        raise CommandError(_("File %(path)s not found.") % {"path": path})
    return source


def _read(path: str) -> str:
    source = _path(path)
    try:
        return source.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            _("File %(path)s is not UTF-8 text (a YAML file is needed).") % {"path": path}
        ) from exc
