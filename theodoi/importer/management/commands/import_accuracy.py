"""Measure the importer on documents whose content a person wrote down (``importer.accuracy``)."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from theodoi.importer.accuracy import Accuracy, measure
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.readers import UnsupportedDocument

TEXT_GOAL = 0.95
SCANNED_GOAL = 0.85


def expected_path(document: Path) -> Path:
    """``plan.md`` → ``plan.expected.json`` beside it."""
    return document.with_name(f"{document.stem}.expected.json")


def load_expected(path: Path) -> dict:
    """The expected file; ``"tasks_of": "other"`` takes the tasks of ``other.expected.json``
    beside it (a scan of a document the corpus also holds as text states the same tasks)."""
    expected = json.loads(path.read_text(encoding="utf-8"))
    if "tasks_of" in expected:
        other = path.with_name(f"{expected['tasks_of']}.expected.json")
        expected["tasks"] = json.loads(other.read_text(encoding="utf-8"))["tasks"]
    return expected


class Command(BaseCommand):
    help = (
        "Import each document and compare the draft with its .expected.json file: task recall "
        "and precision, correct lead units, deadlines and codes, per document."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="documents, or folders holding them")
        parser.add_argument("--details", action="store_true", help="list each miss")
        parser.add_argument(
            "--check", action="store_true", help="fail when a document is below its goal"
        )

    def handle(self, *args, paths, details, check, **options):
        documents = []
        for path in map(Path, paths):
            if path.is_dir():
                documents.extend(
                    p
                    for p in sorted(path.iterdir())
                    if p.is_file() and not p.name.endswith(".json") and expected_path(p).is_file()
                )
            elif path.is_file():
                documents.append(path)
            else:
                raise CommandError(gettext("File %(path)s not found.") % {"path": path})
        header = f"{'document':36} {'tasks':>5} {'found':>5} {'recall':>7} {'precis.':>7} "
        header += f"{'leads':>6} {'deadl.':>6} {'codes':>6} {'sec':>6}"
        self.stdout.write(header)
        below = []
        for document in documents:
            expected_file = expected_path(document)
            if not expected_file.is_file():
                raise CommandError(gettext("No expected file %(path)s.") % {"path": expected_file})
            expected = load_expected(expected_file)
            started = time.perf_counter()
            try:
                draft = draft_from_bytes(document.read_bytes(), name=document.name)
            except UnsupportedDocument as exc:
                raise CommandError(f"{document.name}: {exc}") from exc
            seconds = time.perf_counter() - started
            result = measure(document.name, draft, expected)
            self.stdout.write(self._line(result, seconds))
            if details:
                for miss in result.misses:
                    self.stdout.write(f"    {miss}")
            goal = SCANNED_GOAL if expected.get("scanned") else TEXT_GOAL
            if min(result.recall, result.precision, result.leads, result.deadlines) < goal:
                below.append(document.name)
        if check and below:
            raise CommandError(gettext("Below the goal: %(names)s") % {"names": ", ".join(below)})

    @staticmethod
    def _line(result: Accuracy, seconds: float) -> str:
        codes = "—" if result.codes is None else f"{result.codes:.0%}"
        return (
            f"{result.name[:36]:36} {result.expected:5} {result.found:5} "
            f"{result.recall:7.0%} {result.precision:7.0%} {result.leads:6.0%} "
            f"{result.deadlines:6.0%} {codes:>6} {seconds:6.2f}"
        )
