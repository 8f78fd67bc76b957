"""The importer on its corpus: every document reaches the goal the project set for its form."""

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
from theodoi.importer.readers import ocr

DOCUMENTS = [path.name for path in committed()] + list(BUILDERS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_importer_reads_the_corpus_document(name, tmp_path):
    [path] = build_all(tmp_path, only=lambda other: other == name)
    expected = load_expected(expected_path(path))
    lacking = ocr.missing() if expected.get("scanned") else ""
    if lacking:
        pytest.skip(f"reading a scanned plan needs {lacking}: apt-get install {ocr.PACKAGES}")

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


def test_a_scanned_document_is_skipped_naming_what_ocr_lacks(monkeypatch, tmp_path):
    monkeypatch.setattr(ocr, "missing", lambda: "tesseract-ocr-vie")
    with pytest.raises(pytest.skip.Exception) as skipped:
        test_the_importer_reads_the_corpus_document("scanned-plan.pdf", tmp_path)
    assert "tesseract-ocr-vie" in str(skipped.value)
