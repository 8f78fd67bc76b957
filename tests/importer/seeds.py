"""The five seed plans, read once per test session."""

from functools import cache
from pathlib import Path

import theodoi.demo
from theodoi.importer.document import Document
from theodoi.importer.readers.text import read_text

# The seeds ship with the package (the demo imports them), so the tests never depend on a
# folder outside the repository.
SEEDS_DIR = Path(theodoi.demo.__file__).resolve().parent / "seeds"
SEED_NAMES = {
    "000": "000_b000fe1748233775.txt",
    "001": "001_09fb5f9fb85f4ed6.txt",
    "002": "002_684bf11bda1f2b93.txt",
    "003": "003_fd7da9144eb7c425.txt",
    "004": "004_2012e056c438d090.txt",
}


def seed_path(key: str) -> Path:
    return SEEDS_DIR / SEED_NAMES[key]


@cache
def seed_text(key: str) -> str:
    return seed_path(key).read_text(encoding="utf-8")


def seed_document(key: str) -> Document:
    return read_text(seed_text(key), name=SEED_NAMES[key])
