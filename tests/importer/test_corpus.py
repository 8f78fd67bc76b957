"""The importer on its corpus: every document reaches the goal the project set for its form."""

import json
import shutil

import pytest

from tests.importer.corpus.build import BUILDERS, build_all, committed
from theodoi.importer.accuracy import measure
from theodoi.importer.management.commands.import_accuracy import (
    SCANNED_GOAL,
    TEXT_GOAL,
    expected_path,
)
from theodoi.importer.pipeline import draft_from_bytes

DOCUMENTS = [path.name for path in committed()] + list(BUILDERS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_importer_reads_the_corpus_document(name, tmp_path):
    [path] = build_all(tmp_path, only=lambda other: other == name)
    expected = json.loads(expected_path(path).read_text(encoding="utf-8"))
    if expected.get("scanned") and not shutil.which("ocrmypdf"):
        pytest.skip("reading a scanned plan needs the packages ocrmypdf and tesseract-ocr-vie")

    result = measure(name, draft_from_bytes(path.read_bytes(), name=name), expected)

    goal = SCANNED_GOAL if expected.get("scanned") else TEXT_GOAL
    measured = {
        "recall": result.recall,
        "precision": result.precision,
        "leads": result.leads,
        "deadlines": result.deadlines,
    }
    assert min(measured.values()) >= goal, (measured, result.misses)
    if result.codes is not None and not expected.get("scanned"):
        assert result.codes >= goal, result.misses
