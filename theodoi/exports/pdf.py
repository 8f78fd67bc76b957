"""The Word report as PDF, converted by LibreOffice when the server has it.

LibreOffice runs headless in a temporary folder with its own profile, so two conversions at the
same time, or a conversion under the web server's user, do not fight over one profile.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext_lazy

UNAVAILABLE = gettext_lazy(
    "LibreOffice is not installed on the server, so no PDF can be made; download the Word file."
)
FAILED = gettext_lazy("LibreOffice could not convert the report to PDF; download the Word file.")
TIMEOUT_SECONDS = 120


class PdfError(RuntimeError):
    """No PDF could be made; the message, in the active language, says what to do instead."""


class PdfUnavailable(PdfError):
    def __init__(self) -> None:
        super().__init__(UNAVAILABLE)


def converter() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return converter() is not None


def docx_to_pdf(data: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    return office_to_pdf(data, suffix="docx", timeout=timeout)


def office_to_pdf(data: bytes, *, suffix: str, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """The document ``data`` (a .docx, an .xlsx: LibreOffice goes by ``suffix``) as printed."""
    program = converter()
    if program is None:
        raise PdfUnavailable
    with tempfile.TemporaryDirectory(prefix="theodoi-pdf-") as folder:
        work = Path(folder)
        source = work / f"bao-cao.{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        # Its own process group, so that a conversion that hangs is ended with every process
        # LibreOffice started.
        try:
            process = subprocess.Popen(
                command,
                cwd=work,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "HOME": folder},
                start_new_session=True,
            )
        except OSError as exc:
            raise PdfError(FAILED) from exc
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise PdfError(FAILED) from exc
        if code != 0:
            raise PdfError(FAILED)
        target = work / "bao-cao.pdf"
        if not target.is_file():
            raise PdfError(FAILED)
        return target.read_bytes()
