"""A process killed while it writes a 16 MB evidence file: the final name holds the whole file or
nothing, the next upload of the same bytes stores it whole, and the leftover is cleaned."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from theodoi.core import storage
from theodoi.reporting.models import Evidence, evidence_path
from theodoi.reporting.services import evidence_upload

ROOT = Path(__file__).resolve().parents[2]
SIZE = 16 * 1024 * 1024

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(),
    reason="stepping a process needs Linux's /proc to see that it has stopped",
)

# The upload's storage step in a process of its own, against the same media folder. It waits
# for a line on stdin, so that the test can stop it before it starts writing.
WRITER = """
import hashlib, sys
import django
django.setup()
from theodoi.core import storage
from theodoi.reporting.models import evidence_path
data = open(sys.argv[1], "rb").read()
digest = hashlib.sha256(data).hexdigest()
print("ready", flush=True)
sys.stdin.readline()
storage.store(evidence_path(None, "", digest=digest), data, sha256=digest)
print("stored", flush=True)
"""


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()[0]


def _stop(pid: int) -> None:
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 10
    while _state(pid) not in ("T", "t", "Z", "X"):
        if time.monotonic() > deadline:
            raise AssertionError("the writer did not stop")
        time.sleep(0.0001)


def _partials(media: Path) -> list[Path]:
    return [path for path in media.rglob(f"*{storage.PARTIAL_SUFFIX}") if path.is_file()]


def _kill_mid_write(media: Path, source: Path, step: float) -> tuple[Path, int] | None:
    """Run the writer in short time slices (SIGCONT, sleep, SIGSTOP) and SIGKILL it as soon as
    its temporary file has some but not all of the bytes. None when it finished first."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "MEDIA_ROOT": str(media),
        "THEODOI_DATA_DIR": str(source.parent / "writer-data"),
    }
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(source)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        assert writer.stdout.readline() == b"ready\n"
        _stop(writer.pid)
        writer.stdin.write(b"go\n")
        writer.stdin.flush()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            os.kill(writer.pid, signal.SIGCONT)
            time.sleep(step)
            _stop(writer.pid)
            if _state(writer.pid) in ("Z", "X"):
                return None  # finished within the slice
            for partial in _partials(media):
                size = partial.stat().st_size
                if 0 < size < SIZE:
                    writer.kill()
                    writer.wait(timeout=30)
                    assert writer.returncode == -signal.SIGKILL
                    return partial, size
        raise AssertionError("the writer neither wrote nor finished")
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait(timeout=30)


@pytest.fixture
def big_pdf(tmp_path) -> tuple[Path, bytes, str]:
    data = b"%PDF-1.4\n" + os.urandom(SIZE - 9)
    source = tmp_path / "bien-ban-nghiem-thu.pdf"
    source.write_bytes(data)
    return source, data, hashlib.sha256(data).hexdigest()


def test_a_killed_write_leaves_no_truncated_file_and_the_next_upload_stores_it_whole(
    world, settings, big_pdf
):
    source, data, digest = big_pdf
    media = Path(settings.MEDIA_ROOT)
    final = media / evidence_path(None, "", digest=digest)
    killed = None
    for step in (0.002, 0.0005, 0.0001):  # a busy machine may run whole slices in one go
        killed = _kill_mid_write(media, source, step)
        if killed is not None:
            break
        final.unlink()  # the writer finished first: try again with shorter slices
    assert killed is not None, "the writer was never caught in the middle of its write"
    partial, written = killed
    # Killed mid-write: part of the bytes were on disk, none of them under the final name.
    assert 0 < written < SIZE
    assert partial.parent == final.parent
    assert not final.exists()

    evidence = evidence_upload(
        actor=world.people.officer, name="bien-ban.pdf", data=data, task=world.task_vhxh
    )
    assert evidence.file.name == f"evidence/{digest[:2]}/{digest}"
    assert final.read_bytes() == data
    assert storage.measure(evidence.file.name) == storage.Found(SIZE, digest)
    # The leftover may still be a write in progress: young, it is kept...
    assert partial.exists()
    call_command("verify_files")
    assert partial.exists()
    # ...and once it is older than any write takes, it is removed, the good file is not.
    old = time.time() - storage.STALE_AFTER - 60
    os.utime(partial, (old, old))
    call_command("verify_files")
    assert not partial.exists() and final.read_bytes() == data


def test_a_truncated_file_under_the_final_name_is_repaired_by_the_next_upload(
    world, settings, big_pdf
):
    # What the crash left before: 5.5 MB under the file's SHA-256 name.
    _source, data, digest = big_pdf
    name = evidence_path(None, "", digest=digest)
    final = Path(settings.MEDIA_ROOT) / name
    final.parent.mkdir(parents=True)
    final.write_bytes(data[:5_500_000])

    evidence = evidence_upload(
        actor=world.people.officer, name="bien-ban.pdf", data=data, task=world.task_vhxh
    )
    assert evidence.size == SIZE and evidence.sha256 == digest
    assert final.read_bytes() == data
    assert Evidence.objects.get().file.name == name
    assert _partials(Path(settings.MEDIA_ROOT)) == []
