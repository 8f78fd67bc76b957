"""The importer on its corpus: every document reaches the goal the project set for its form."""

import shutil

import pytest

from tests.importer.corpus.build import BUILDERS, build_all, committed
from theodoi.importer.accuracy import measure
from theodoi.importer.management.commands.import_accuracy import (
    SCANNED_GOAL,
    TEXT_GOAL,
    expected_path,
    load_expected,
)
from theodoi.importer.pipeline import draft_from_bytes

DOCUMENTS = [path.name for path in committed()] + list(BUILDERS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_importer_reads_the_corpus_document(name, tmp_path):
    [path] = build_all(tmp_path, only=lambda other: other == name)
    expected = load_expected(expected_path(path))
    if expected.get("scanned") and not shutil.which("ocrmypdf"):
        pytest.skip("reading a scanned plan needs the packages ocrmypdf and tesseract-ocr-vie")

    draft = draft_from_bytes(path.read_bytes(), name=name)
    result = measure(name, draft, expected)

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
    # No unexplained gap: what was not read is listed block by block, and it is little.
    assert draft.coverage is not None and not draft.coverage.few_tasks
    assert draft.coverage.share("left_out") < 10, draft.coverage.left_out
