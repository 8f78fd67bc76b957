"""Builders of the narrative corpus documents: plans whose tasks are written as text."""

import io
import re
from pathlib import Path

import docx

HERE = Path(__file__).parent

_ROMAN = re.compile(r"^[IVX]+\.\s")
_NUMBERED = re.compile(r"^\d+\.\s+(?P<text>.+)$")
_BULLET = re.compile(r"^-\s+(?P<text>.+)$")


def narrative_ubnd_docx() -> bytes:
    """``narrative-ubnd.md`` as a ward types it in Word: Roman parts and lettered headings typed
    and bold, "-" bullets and the implementation part's numbered units as Word lists (labels
    Word computes and never stores as text), "+" details typed. Same tasks as the text."""
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
