"""Builders of the corpus documents that are not committed as binaries (Word, Excel, PDF).

Each builder returns the document's bytes; ``BUILDERS`` names them by file name. Run
``python -m tests.importer.corpus.build OUTDIR`` to write them all into OUTDIR together with the
corpus's text documents and every ``.expected.json`` file, ready for ``theodoi import_accuracy``.
A built document shares the expected file of the text it is made from (same stem).
"""

import io
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent

_ROMAN = re.compile(r"^[IVX]+\.\s")
_NUMBERED = re.compile(r"^\d+\.\s+(?P<text>.+)$")
_BULLET = re.compile(r"^-\s+(?P<text>.+)$")


def narrative_ubnd_docx() -> bytes:
    """``narrative-ubnd.md`` as a ward types it in Word: Roman parts and lettered headings typed
    and bold, "-" bullets and the implementation part's numbered units as Word lists (the
    labels Word computes, never stored as text), "+" details typed."""
    document = docx.Document()
    part = ""
    for line in (HERE / "narrative-ubnd.md").read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if not text:
            continue
        if _ROMAN.match(text):
            part = text
            document.add_paragraph().add_run(text).bold = True
            continue
        numbered = _NUMBERED.match(text)
        if numbered and "TỔ CHỨC THỰC HIỆN" in part:
            document.add_paragraph(numbered.group("text"), style="List Number")
            continue
        bullet = _BULLET.match(text)
        if bullet:
            document.add_paragraph(bullet.group("text"), style="List Bullet")
            continue
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = bool(re.match(r"^[a-zđ]\)\s", text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BUILDERS: dict[str, Callable[[], bytes]] = {
    "narrative-ubnd.docx": narrative_ubnd_docx,
}


def build(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in BUILDERS.items():
        path = outdir / name
        path.write_bytes(builder())
        written.append(path)
    for source in sorted(HERE.iterdir()):
        if source.suffix in (".md", ".txt") or source.name.endswith(".expected.json"):
            shutil.copy(source, outdir / source.name)
            written.append(outdir / source.name)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.importer.corpus.build OUTDIR")
    for path in build(Path(sys.argv[1])):
        print(path)
