"""The narrative corpus documents read as a person wrote them down: tasks, leads and deadlines."""

import json
from pathlib import Path

import pytest

from tests.importer.corpus.build import BUILDERS
from theodoi.importer.accuracy import measure
from theodoi.importer.pipeline import draft_from_bytes

CORPUS = Path(__file__).resolve().parent / "corpus"
GOAL = 0.95


def _expected(stem: str) -> dict:
    return json.loads((CORPUS / f"{stem}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name", ["narrative-ubnd.md", "programme-lettered.md", "narrative-ubnd.docx"]
)
def test_narrative_documents_reach_the_goal(name):
    data = BUILDERS[name]() if name in BUILDERS else (CORPUS / name).read_bytes()
    draft = draft_from_bytes(data, name=name)
    result = measure(name, draft, _expected(Path(name).stem))
    assert result.expected >= 45
    assert min(result.recall, result.precision, result.leads, result.deadlines) >= GOAL, (
        result.misses
    )
