"""Optional virus scan of evidence files by a ClamAV daemon (THEODOI_CLAMAV).

A real clamd needs its signature database downloaded from the internet before it answers, so these
tests start a small server speaking clamd's INSTREAM protocol on 127.0.0.1 or a unix socket: it
answers FOUND when the stream contains the EICAR test string, OK otherwise. Nothing needs to be
installed for them (neither Debian's clamav nor clamav-daemon): they never skip.
"""

import contextlib
import logging
import shutil
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.helpers import BASE, client_for
from theodoi.audit.models import AuditEvent
from theodoi.audit.verify import verify_chain
from theodoi.reporting import services, virus
from theodoi.reporting.models import Evidence

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The EICAR anti-virus test string, in two pieces so that a scanner on a developer's machine does
# not quarantine this test file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
INFECTED_PDF = PDF + EICAR + b"\n"
SIGNATURE = "Eicar-Test-Signature"


def _receive_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        piece = conn.recv(size - len(data))
        if not piece:
            raise ConnectionError("stream cut short")
        data += piece
    return data


class FakeClamd:
    """Answers INSTREAM like clamd; ``reply`` may force another answer (None: hang up)."""

    def __init__(self, family: int = socket.AF_INET, path: str | None = None):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        if family == socket.AF_INET:
            self.sock.bind(("127.0.0.1", 0))
            self.address = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        else:
            self.sock.bind(path)
            self.address = path
        self.sock.listen()
        self.commands: list[bytes] = []
        self.streams: list[bytes] = []
        self.chunk_sizes: list[int] = []
        self.reply: bytes | None | str = "verdict"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            # A client that hangs up early is the client's problem, not the server's.
            with conn, contextlib.suppress(ConnectionError, OSError):
                self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += _receive_exactly(conn, 1)
        self.commands.append(command)
        stream = b""
        while True:
            (size,) = struct.unpack("!I", _receive_exactly(conn, 4))
            if size == 0:
                break
            self.chunk_sizes.append(size)
            stream += _receive_exactly(conn, size)
        self.streams.append(stream)
        if self.reply is None:
            return
        if self.reply != "verdict":
            conn.sendall(self.reply)
            return
        found = EICAR in stream
        conn.sendall(f"stream: {SIGNATURE} FOUND\0".encode() if found else b"stream: OK\0")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def clamd():
    server = FakeClamd()
    yield server
    server.close()


@pytest.fixture
def scanning(settings, clamd):
    settings.THEODOI_CLAMAV = clamd.address
    return clamd


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The protocol -----------------------------------------------------------------------------


def test_a_clean_file_is_ok_and_sent_as_instream(clamd):
    assert virus.scan(PDF, address=clamd.address) == virus.ScanResult(infected=False)
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.streams == [PDF]


def test_eicar_is_found_even_across_chunks(clamd):
    # The test string straddles the boundary between the first two chunks.
    data = b"%PDF-1.4\n" + b"x" * (virus.CHUNK_SIZE - 30) + EICAR + b"y" * 1000
    result = virus.scan(data, address=clamd.address)
    assert result == virus.ScanResult(infected=True, signature=SIGNATURE)
    assert clamd.streams == [data]
    assert clamd.chunk_sizes == [virus.CHUNK_SIZE, len(data) - virus.CHUNK_SIZE]


def test_a_unix_socket_is_reached_by_its_path():
    # A short folder: unix socket paths are limited to about 100 characters.
    folder = tempfile.mkdtemp(prefix="clamd-", dir="/tmp")
    path = str(Path(folder) / "clamd.sock")
    server = FakeClamd(socket.AF_UNIX, path)
    try:
        assert virus.scan(INFECTED_PDF, address=path).infected
        assert not virus.scan(PDF, address=f"unix://{path}").infected
    finally:
        server.close()
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    "address",
    ["tcp://127.0.0.1:{port}", "tcp://127.0.0.1", "tcp://127.0.0.1:port", "clamd.local:3310"],
)
def test_an_unreachable_or_malformed_address_is_a_scan_error(address):
    with pytest.raises(virus.ScanError):
        virus.scan(PDF, address=address.format(port=_closed_port()), timeout=2)


@pytest.mark.parametrize("reply", [b"INSTREAM size limit exceeded. ERROR\0", b"", None])
def test_an_error_or_no_answer_is_a_scan_error(clamd, reply):
    clamd.reply = reply  # clamd's own error, an empty answer, a hang-up
    with pytest.raises(virus.ScanError):
        virus.scan(PDF, address=clamd.address, timeout=2)


def test_an_answer_without_its_nul_ending_is_still_read(clamd):
    clamd.reply = f"stream: {SIGNATURE} FOUND".encode()
    assert virus.scan(PDF, address=clamd.address, timeout=2).signature == SIGNATURE


# --- Evidence uploads -------------------------------------------------------------------------


def test_a_clean_file_is_scanned_then_stored(world, scanning):
    evidence = services.evidence_upload(
        actor=world.people.officer, name="bien-ban.pdf", data=PDF, task=world.task_vhxh
    )
    assert scanning.streams == [PDF]
    assert evidence.file.read() == PDF


def test_an_infected_file_is_refused_stored_nowhere_and_audited(world, scanning, settings):
    with pytest.raises(services.InfectedFile) as refused:
        services.evidence_upload(
            actor=world.people.officer, name="bao cao.pdf", data=INFECTED_PDF, task=world.task_vhxh
        )
    assert f"chứa mã độc ({SIGNATURE})" in str(refused.value)
    assert isinstance(refused.value, services.ReportingError)
    assert not Evidence.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    event = AuditEvent.objects.get(action="evidence.infected")
    assert event.actor == world.people.officer
    assert event.object_type == "plans.task" and event.object_id == str(world.task_vhxh.pk)
    assert event.organization == world.ward_a
    assert event.after["found"] == SIGNATURE and event.after["name"] == "bao cao.pdf"
    assert verify_chain().ok


def test_an_unreachable_scanner_refuses_the_upload_and_logs_it(world, settings, caplog):
    settings.THEODOI_CLAMAV = f"tcp://127.0.0.1:{_closed_port()}"
    with (
        caplog.at_level(logging.ERROR, logger="theodoi.reporting.services"),
        pytest.raises(services.ScanUnavailable) as refused,
    ):
        services.evidence_upload(
            actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
        )
    assert "Không kiểm tra được virus" in str(refused.value)
    assert not Evidence.objects.exists()
    assert any("virus scan of a.pdf" in r.getMessage() for r in caplog.records)


def test_without_a_configured_scanner_nothing_is_scanned(world, clamd, settings):
    settings.THEODOI_CLAMAV = ""
    services.evidence_upload(
        actor=world.people.officer, name="a.pdf", data=INFECTED_PDF, task=world.task_vhxh
    )
    assert clamd.commands == [] and Evidence.objects.count() == 1


def test_a_file_refused_for_its_type_is_not_sent_to_the_scanner(world, scanning):
    with pytest.raises(services.ReportingError, match="không phải loại"):
        services.evidence_upload(
            actor=world.people.officer, name="a.exe", data=b"MZ" + EICAR, task=world.task_vhxh
        )
    assert scanning.commands == []


def test_the_report_form_says_why_an_infected_file_was_refused(world, scanning, client):
    client.force_login(world.people.officer)
    response = client.post(
        f"/tasks/{world.task_vhxh.pk}/reports/",
        {
            "period": "2026-Q4",
            "percent": "50",
            "result": "Đang làm",
            "evidence": [SimpleUploadedFile("a.pdf", INFECTED_PDF)],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "chứa mã độc" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_api_answers_400_for_an_infected_file_and_503_without_the_scanner(
    world, scanning, settings
):
    client = client_for(world.people.officer)
    url = f"{BASE}/tasks/{world.task_vhxh.pk}/evidence"
    infected = client.post(url, {"file": SimpleUploadedFile("a.pdf", INFECTED_PDF)})
    assert infected.status_code == 400 and "chứa mã độc" in infected.json()["detail"]
    settings.THEODOI_CLAMAV = f"tcp://127.0.0.1:{_closed_port()}"
    down = client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert down.status_code == 503 and "Không kiểm tra được virus" in down.json()["detail"]
    assert not Evidence.objects.exists()
