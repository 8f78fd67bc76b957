"""Asking a ClamAV daemon (clamd) whether a file carries malware, over its INSTREAM command.

The protocol is small enough to speak directly (the ``clamd`` package on PyPI has had no release
since 2014): send ``zINSTREAM\\0``, then the bytes in chunks each prefixed by its length as a
4-byte big-endian number, then a zero-length chunk; clamd answers ``stream: OK\\0`` or
``stream: <signature> FOUND\\0`` (or a line ending in ``ERROR``).

The address is ``tcp://host:port`` or the path of clamd's unix socket (``unix:///path`` or
``/path``). Anything that prevents a clear answer raises ``ScanError``: the caller refuses the
file rather than store it unscanned.
"""

import re
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

CHUNK_SIZE = 64 * 1024
# A 20 MB file scans in well under a second; a daemon that does not answer in this time is
# treated as down rather than keeping the person waiting.
TIMEOUT_SECONDS = 60.0
_MAX_REPLY = 4096
_FOUND_RE = re.compile(r"^stream: (?P<name>.+) FOUND$")


class ScanError(Exception):
    """The daemon could not be reached or gave no clear answer."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""


def _connect(address: str, timeout: float) -> socket.socket:
    address = address.strip()
    parts = urlsplit(address)
    try:
        if parts.scheme == "tcp":
            if not parts.hostname or parts.port is None:
                raise ScanError(f"bad clamd address {address!r}: expected tcp://host:port")
            return socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        path = parts.path if parts.scheme == "unix" else address
        if parts.scheme not in ("", "unix") or not path.startswith("/"):
            raise ScanError(f"bad clamd address {address!r}: expected tcp://host:port or a path")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except OSError:
            sock.close()
            raise
        return sock
    except ValueError as exc:  # a port that is not a number
        raise ScanError(f"bad clamd address {address!r}") from exc
    except OSError as exc:
        raise ScanError(f"clamd at {address} unreachable: {exc}") from exc


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0") and len(reply) < _MAX_REPLY:
        piece = sock.recv(_MAX_REPLY)
        if not piece:
            break
        reply += piece
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def parse_reply(reply: str) -> ScanResult:
    if reply == "stream: OK":
        return ScanResult(infected=False)
    found = _FOUND_RE.match(reply)
    if found:
        return ScanResult(infected=True, signature=found.group("name"))
    # "INSTREAM size limit exceeded. ERROR" (clamd's StreamMaxLength is below the file's size),
    # "… ERROR" of any other kind, or nothing at all.
    raise ScanError(f"clamd answered {reply!r}")


def scan(data: bytes, *, address: str, timeout: float = TIMEOUT_SECONDS) -> ScanResult:
    """Stream ``data`` to the clamd at ``address`` and return its verdict."""
    with _connect(address, timeout) as sock:
        try:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK_SIZE):
                chunk = data[start : start + CHUNK_SIZE]
                sock.sendall(struct.pack("!I", len(chunk)) + chunk)
            sock.sendall(struct.pack("!I", 0))
        except OSError as exc:
            # clamd closes the stream early when it exceeds its size limit, and says why first.
            try:
                reply = _read_reply(sock)
            except OSError:
                reply = ""
            raise ScanError(f"clamd stopped reading the stream: {reply or exc}") from exc
        try:
            reply = _read_reply(sock)
        except OSError as exc:  # a timeout or a reset while waiting for the verdict
            raise ScanError(f"no answer from clamd: {exc}") from exc
    return parse_reply(reply)
