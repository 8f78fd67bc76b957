"""The text of a scanned PDF, through OCRmyPDF and Tesseract's Vietnamese model.

Wards receive their upper plan as a signed paper scanned to PDF: images with no text. The
``ocrmypdf`` program (Debian's package, what a ward installs) turns each page upright,
straightens it and recognises its words with ``tesseract -l vie``. Its "sidecar" text, one page
after another in Tesseract's own lines, is what the PDF reader takes: reading a PDF text layer
back would only cost time (pdfminer parses a 28-page OCR layer in seconds) for the same lines.
The program runs in its own process, in a temporary folder, with a time limit; its progress
(pages done) is passed to the caller.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

from theodoi.importer.readers import UnsupportedDocument, quoted

logger = logging.getLogger(__name__)

LANGUAGE = "vie"
PACKAGES = "ocrmypdf tesseract-ocr-vie"
# Time allowed for the whole run: a start-up allowance plus a generous time per page (a page
# takes a few seconds on one core, much longer on a busy server). The numbers live in settings,
# where the task queue's own time limit is derived from them: OCR must always stop first, so
# that the reading is marked failed with a reason rather than cut off by the queue.
TIMEOUT_START = settings.THEODOI_OCR_SECONDS_START
TIMEOUT_PER_PAGE = settings.THEODOI_OCR_SECONDS_PER_PAGE
# Longer scans are refused: their OCR would outlast the queue's time limit.
MAX_PAGES = settings.THEODOI_OCR_MAX_PAGES
# A progress bar for OCRmyPDF's plugin interface that prints each step on standard error, where
# this module reads it: ocrmypdf shows no progress when its output is not a terminal.
_PROGRESS_MARK = "@theodoi-progress"
_PROGRESS_PLUGIN = f'''
import sys
from ocrmypdf import hookimpl


class Progress:
    def __init__(self, *args, total=None, desc="", unit_scale=1, **kwargs):
        self.desc, self.total, self.scale, self.done = desc, total or 0, unit_scale or 1, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1, *, completed=None):
        self.done = completed if completed is not None else self.done + (n or 0)
        print("{_PROGRESS_MARK}", self.desc, self.done * self.scale, self.total * self.scale,
              sep="\\t", file=sys.stderr, flush=True)


@hookimpl
def get_progressbar_class():
    return Progress
'''

Progress = Callable[[int, int], None]


def missing() -> str:
    """What is not installed for OCR, named by its Debian package ("" when all is there)."""
    if shutil.which("ocrmypdf") is None:
        return "ocrmypdf"
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return "tesseract-ocr"
    try:
        listed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "tesseract-ocr"
    # The first line is a heading ("List of available languages in …"), the rest one per line.
    languages = {line.strip() for line in listed.stdout.splitlines()[1:]}
    return "" if LANGUAGE in languages else "tesseract-ocr-vie"


def require(name: str = "") -> None:
    """Raise UnsupportedDocument, naming the packages to install, when OCR cannot run."""
    lacking = missing()
    if lacking:
        raise UnsupportedDocument(
            gettext(
                "The PDF file%(name)s is a scan without a text layer: reading it needs text "
                "recognition (OCR), and %(missing)s is not installed on the server. The "
                "administrator installs it with: apt-get install %(packages)s"
            )
            % {"name": quoted(name), "missing": lacking, "packages": PACKAGES}
        )


def time_limit(pages: int) -> int:
    """Seconds OCR of a scan of ``pages`` pages may take before it is stopped."""
    return TIMEOUT_START + TIMEOUT_PER_PAGE * max(pages, 1)


def require_pages(pages: int, name: str = "") -> None:
    """Raise UnsupportedDocument, saying how to split it, for a scan too long to read at once."""
    if pages > MAX_PAGES:
        raise UnsupportedDocument(
            gettext(
                "The scanned PDF file%(name)s has %(pages)s pages: text recognition (OCR) reads "
                "at most %(max)s pages at a time. Split the scan into files of at most %(max)s "
                "pages each (for example print pages 1–%(max)s, then the next ones, to PDF) and "
                "upload them one by one, or upload the plan's Word file."
            )
            % {"name": quoted(name), "pages": pages, "max": MAX_PAGES}
        )


def read_pages(
    data: bytes, *, pages: int, name: str = "", progress: Progress | None = None
) -> list[str]:
    """The recognised text of each page of ``data`` (a scanned PDF of ``pages`` pages).

    Each page is turned upright (--rotate-pages) and straightened (--deskew) before Tesseract
    reads it; ``progress(done, total)`` is called as pages are done. Raises UnsupportedDocument
    when OCR is not installed, fails or takes too long."""
    require(name)
    require_pages(pages, name)
    timeout = time_limit(pages)
    with tempfile.TemporaryDirectory(prefix="theodoi-ocr-") as folder:
        work = Path(folder)
        (work / "scan.pdf").write_bytes(data)
        (work / "theodoi_ocr_progress.py").write_text(_PROGRESS_PLUGIN, encoding="utf-8")
        command = [
            "ocrmypdf",
            "-l",
            LANGUAGE,
            "--rotate-pages",
            "--deskew",
            # Every page is read again: a scanner's stamped header must not make a page skipped.
            "--force-ocr",
            # Only the text is wanted: no PDF is written.
            "--output-type",
            "none",
            "--sidecar",
            "read.txt",
            "--plugin",
            str(work / "theodoi_ocr_progress.py"),
            "scan.pdf",
            "-",
        ]
        if progress is not None:
            progress(0, pages)
        log = _run(command, work, timeout, progress)
        result = work / "read.txt"
        if log is not None or not result.is_file():
            raise UnsupportedDocument(
                gettext(
                    "Text recognition (OCR) could not read the scanned PDF file%(name)s: "
                    "%(reason)s. Scan the plan again (200–300 dpi, black and white or grey) "
                    "or upload its Word file."
                )
                % {"name": quoted(name), "reason": log or gettext("no result")}
            )
        # Tesseract ends each page with a form feed.
        return result.read_text(encoding="utf-8", errors="replace").split("\f")[:pages]


def _run(command: list[str], cwd: Path, timeout: int, progress: Progress | None) -> str | None:
    """Run ocrmypdf; None when it succeeded, else the reason (its last message)."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        # Its own process group, so a time-out ends the Tesseract processes it started too.
        start_new_session=True,
    )
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, stop)
    timer.start()
    messages: list[str] = []
    reported = 0  # the caller said "0 of n" before the start
    try:
        assert process.stderr is not None
        # Read here, in the caller's thread: the progress callback may write to the database.
        for line in process.stderr:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == _PROGRESS_MARK and len(parts) == 4:
                done = int(float(parts[2]))
                if parts[1] == "OCR" and progress is not None and done != reported:
                    reported = done
                    progress(done, int(float(parts[3])))
            elif line.strip():
                messages = [*messages[-19:], line.strip()]
        process.wait()
    finally:
        timer.cancel()
        # Left early (the queue's time-out, a database error in the progress callback): the
        # program and its Tesseract processes must not go on reading in a folder being removed.
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
    if timed_out.is_set():
        return gettext("it took longer than %(seconds)s seconds") % {"seconds": timeout}
    if process.returncode != 0:
        # ocrmypdf's own words are English and technical: they go to the server's log, the
        # person reads what its exit status means.
        logger.warning(
            "ocrmypdf exited with status %s:\n%s", process.returncode, "\n".join(messages)
        )
        return failure_reason(process.returncode)
    return None


def failure_reason(status: int) -> str:
    """What an ocrmypdf exit status means, in the person's language."""
    # ocrmypdf's documented exit codes (ocrmypdf.ExitCode).
    if status == 2:
        return gettext("the file is not a PDF that it can open")
    if status == 8:
        return gettext("the PDF file is protected by a password")
    if status == 3:
        return gettext("a program it needs is missing on the server (tell the administrator)")
    return gettext(
        "the recognition program stopped with an error (the details are in the server's log)"
    )
