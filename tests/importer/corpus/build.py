"""The importer's corpus: plans in every form a ward receives, each with the tasks a person
wrote down from it (``<name>.expected.json``, see ``theodoi.importer.accuracy``).

Text documents (.md, .txt) are committed as they are; Word, Excel and scanned PDF documents are
built here, so nothing binary is committed. ``python -m tests.importer.corpus.build OUTDIR``
writes every document with its expected file into OUTDIR, for ``theodoi import_accuracy OUTDIR``.
"""

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from tests.importer.corpus import narrative, national, scanned, two_row

HERE = Path(__file__).parent

# Built document name → a function giving its bytes; its expected file is HERE/<stem>.expected.json.
BUILDERS: dict[str, Callable[[], bytes]] = {
    "workbook-two-row.xlsx": two_row.workbook_two_row,
    "two-row-header.docx": two_row.two_row_header_docx,
    "national-140.xlsx": national.national_140_xlsx,
    "narrative-ubnd.docx": narrative.narrative_ubnd_docx,
    "scanned-plan.pdf": scanned.scanned_plan_pdf,
    "narrative-scan.pdf": scanned.narrative_scan_pdf,
}


def committed() -> list[Path]:
    """The text documents of the corpus that have an expected file."""
    return sorted(
        path
        for path in HERE.iterdir()
        if path.suffix in (".md", ".txt") and (HERE / f"{path.stem}.expected.json").is_file()
    )


def build_all(outdir: Path, *, only: Callable[[str], bool] = lambda name: True) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    # Every expected file, since one may take its tasks from another ("tasks_of").
    for expected in HERE.glob("*.expected.json"):
        shutil.copy(expected, outdir)
    written = []
    for path in committed():
        if only(path.name):
            shutil.copy(path, outdir / path.name)
            written.append(outdir / path.name)
    for name, builder in BUILDERS.items():
        if only(name):
            target = outdir / name
            target.write_bytes(builder())
            written.append(target)
    return written


if __name__ == "__main__":
    for path in build_all(Path(sys.argv[1])):
        print(path)
