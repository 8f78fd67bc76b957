"""Stored files that are whole or absent, never cut short, and checks that they still are.

Files are kept under names derived from their content (evidence: ``evidence/ab/<sha256>``), so
other bytes under a name are damage, never a newer version. ``store`` therefore:

- on a local folder, writes a temporary file beside the target (``.<name>.<random>.partial``),
  flushes and fsyncs it, reads it back to check its size and SHA-256, and only then renames it
  to the final name (``os.replace`` is atomic): a process killed mid-write leaves at most a
  temporary file, which the next store in that folder (or ``verify_files``) removes once it is
  older than ``STALE_AFTER``;
- on S3, sends the SHA-256 with the upload, so the service refuses bytes that do not match it
  (a PUT is atomic: the object appears whole or not at all), then checks the stored object's
  size and checksum;
- verifies a file already under the name (size and SHA-256) instead of trusting that it exists,
  and replaces it with the verified bytes when its content differs. A good file is never
  overwritten or deleted.
"""

import base64
import contextlib
import hashlib
import logging
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import models
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
_PARTIAL_RE = re.compile(r"^\..+\.[0-9a-f]{16}\.partial$")
# A write takes seconds; a temporary file this old was left by a process that was killed.
STALE_AFTER = 15 * 60
_CHUNK = 1024 * 1024


class StorageError(Exception):
    """The storage could not keep the bytes whole (a fault of the server, not of the person)."""


@dataclass(frozen=True)
class Found:
    """What a stored file really is."""

    size: int
    sha256: str


def _is_s3(storage: Storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # the S3 extra is not installed
        return False
    return isinstance(storage, S3Storage)


def _digest(chunks: Iterable[bytes]) -> Found:
    hasher, size = hashlib.sha256(), 0
    for chunk in chunks:
        hasher.update(chunk)
        size += len(chunk)
    return Found(size, hasher.hexdigest())


def _read_chunks(handle) -> Iterator[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk


# --- Measuring -------------------------------------------------------------------------------


def _chunks(storage: Storage, name: str) -> Iterator[bytes] | None:
    """The stored bytes of ``name`` piece by piece, or None when there is no such file."""
    if isinstance(storage, FileSystemStorage):
        try:
            handle = open(storage.path(name), "rb")  # noqa: SIM115 (closed by read() below)
        except FileNotFoundError:
            return None
    elif _is_s3(storage):
        return _s3_chunks(storage, name)
    elif not storage.exists(name):
        return None
    else:
        handle = storage.open(name, "rb")

    def read() -> Iterator[bytes]:
        with handle:
            yield from _read_chunks(handle)

    return read()


def measure(name: str, storage: Storage | None = None) -> Found | None:
    """The size and SHA-256 of the file stored under ``name``, read in full; None when absent."""
    chunks = _chunks(storage or default_storage, name)
    return None if chunks is None else _digest(chunks)


def read(name: str, storage: Storage | None = None) -> bytes | None:
    """The bytes stored under ``name``, or None when there is no such file."""
    chunks = _chunks(storage or default_storage, name)
    return None if chunks is None else b"".join(chunks)


# --- Storing ---------------------------------------------------------------------------------


def store(
    name: str, data: bytes, *, sha256: str | None = None, storage: Storage | None = None
) -> str:
    """Keep ``data`` under ``name`` (a name derived from the content) and say what was done:
    "written", "kept" (the same bytes were already there) or "repaired" (other bytes were
    there and were replaced). ``sha256`` is the digest the caller recorded for the bytes.
    Raises StorageError when the stored bytes cannot be verified, OSError or the S3 client's
    errors when the storage fails."""
    storage = storage or default_storage
    wanted = _digest([data])
    if sha256 is not None and sha256 != wanted.sha256:
        raise StorageError(f"{name}: the bytes do not match their recorded SHA-256")
    if isinstance(storage, FileSystemStorage):
        outcome = _local_store(storage, name, data, wanted)
    elif _is_s3(storage):
        outcome = _s3_store(storage, name, data, wanted)
    else:
        outcome = _generic_store(storage, name, data, wanted)
    if outcome == "repaired":
        logger.warning("stored file %s was damaged and has been replaced by verified bytes", name)
    return outcome


def _local_store(storage: FileSystemStorage, name: str, data: bytes, wanted: Found) -> str:
    path = storage.path(name)
    directory = os.path.dirname(path)
    _make_directory(storage, directory)
    _clean_folder(directory, time.time() - STALE_AFTER)
    existing = measure(name, storage)
    if existing == wanted:
        return "kept"
    partial = os.path.join(
        directory, f".{os.path.basename(path)}.{secrets.token_hex(8)}{PARTIAL_SUFFIX}"
    )
    # Created as Django's own save creates files: mode 0o666 less the umask, then
    # FILE_UPLOAD_PERMISSIONS when set.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(partial, flags, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            view = memoryview(data)
            for start in range(0, len(view), _CHUNK):
                handle.write(view[start : start + _CHUNK])
            handle.flush()
            os.fsync(handle.fileno())
        if storage.file_permissions_mode is not None:
            os.chmod(partial, storage.file_permissions_mode)
        with open(partial, "rb") as handle:
            written = _digest(_read_chunks(handle))
        if written != wanted:
            raise StorageError(
                f"{name}: {written.size} bytes on disk after writing {wanted.size}, "
                f"SHA-256 {written.sha256}"
            )
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
    _sync_directory(directory)
    return "written" if existing is None else "repaired"


def _make_directory(storage: FileSystemStorage, directory: str) -> None:
    # As FileSystemStorage._save does: FILE_UPLOAD_DIRECTORY_PERMISSIONS applies to every
    # folder it creates, whatever the umask.
    mode = storage.directory_permissions_mode
    if mode is None:
        os.makedirs(directory, exist_ok=True)
        return
    old_umask = os.umask(0o777 & ~mode)
    try:
        os.makedirs(directory, mode, exist_ok=True)
    finally:
        os.umask(old_umask)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable: it lives in the directory's entries."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a directory; the rename still happened
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _generic_store(storage: Storage, name: str, data: bytes, wanted: Found) -> str:
    """Any other backend: it cannot rename, so a damaged file is deleted before the save."""
    existing = measure(name, storage)
    if existing == wanted:
        return "kept"
    if existing is not None:
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # another process wrote the name in between: keep one copy
        storage.delete(saved)
    stored = measure(name, storage)
    if stored != wanted:
        raise StorageError(f"{name}: the stored file does not match the bytes sent")
    return "written" if existing is None else "repaired"


# --- S3 --------------------------------------------------------------------------------------


def _s3_key(storage, name: str) -> str:
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def _s3_read_params(storage, key: str) -> dict:
    # Customer-provided encryption keys are needed to read an object back.
    from s3transfer.constants import ALLOWED_DOWNLOAD_ARGS

    return {
        k: v for k, v in storage.get_object_parameters(key).items() if k in ALLOWED_DOWNLOAD_ARGS
    }


def _s3_missing(error) -> bool:
    # A missing bucket is a broken configuration, not a missing file.
    return error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404")


def _s3_chunks(storage, name: str) -> Iterator[bytes] | None:
    from botocore.exceptions import ClientError

    key = _s3_key(storage, name)
    client = storage.connection.meta.client
    try:
        answer = client.get_object(
            Bucket=storage.bucket_name, Key=key, **_s3_read_params(storage, key)
        )
    except ClientError as exc:
        if _s3_missing(exc):
            return None
        raise
    return answer["Body"].iter_chunks(_CHUNK)


def _s3_store(storage, name: str, data: bytes, wanted: Found) -> str:
    existing = measure(name, storage)
    if existing == wanted:
        return "kept"
    key = _s3_key(storage, name)
    client = storage.connection.meta.client
    checksum = base64.b64encode(bytes.fromhex(wanted.sha256)).decode("ascii")
    client.put_object(
        Bucket=storage.bucket_name,
        Key=key,
        Body=data,
        # The service computes the SHA-256 of what it received and refuses the upload when it
        # differs: bytes damaged on the way are never stored. It keeps the checksum with the
        # object, for the check below.
        ChecksumAlgorithm="SHA256",
        ChecksumSHA256=checksum,
        **storage._get_write_parameters(key),
    )
    head = client.head_object(
        Bucket=storage.bucket_name,
        Key=key,
        ChecksumMode="ENABLED",
        **_s3_read_params(storage, key),
    )
    stored_checksum = head.get("ChecksumSHA256")
    if head.get("ContentLength") != wanted.size or stored_checksum not in (None, checksum):
        raise StorageError(
            f"{name}: stored object has {head.get('ContentLength')} bytes, "
            f"checksum {stored_checksum}, after sending {wanted.size} bytes"
        )
    if stored_checksum is None and measure(name, storage) != wanted:
        # A service that keeps no checksum: read the object back.
        raise StorageError(f"{name}: the stored object does not match the bytes sent")
    return "written" if existing is None else "repaired"


# --- Leftovers -------------------------------------------------------------------------------


def _clean_folder(directory: str, before: float) -> list[str]:
    removed = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return removed
    for entry in entries:
        if not _PARTIAL_RE.match(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < before:
                os.unlink(entry.path)
                removed.append(entry.path)
        except FileNotFoundError:  # another process cleaned it first
            continue
    return removed


def clean_partials(storage: Storage | None = None, *, older_than: float = STALE_AFTER):
    """Remove the temporary files that killed writes left behind, once they are older than
    ``older_than`` seconds (younger ones may be writes in progress). Returns their storage
    names. Only a local folder has them: an S3 upload leaves nothing when it is cut."""
    storage = storage or default_storage
    if not isinstance(storage, FileSystemStorage) or not os.path.isdir(storage.location):
        return []
    before = time.time() - older_than
    removed = []
    for directory, _folders, _files in os.walk(storage.location):
        removed += _clean_folder(directory, before)
    return sorted(os.path.relpath(path, storage.location) for path in removed)


# --- What the database says is stored ----------------------------------------------------------


@dataclass
class Record:
    """One database row pointing at a stored file, with what it recorded about the file."""

    model: type[models.Model]
    pk: object
    size: int | None
    sha256: str | None

    def label(self) -> str:
        obj = self.model._base_manager.filter(pk=self.pk).first()
        text = f"{self.model._meta.label} #{self.pk}"
        return f"{text} «{obj}»" if obj is not None else text


@dataclass
class Problem:
    name: str
    found: Found | None  # None: the file is missing
    records: list[Record] = field(default_factory=list)

    def describe(self) -> str:
        """One line for operators."""
        expected = next((r for r in self.records if r.size is not None), None)
        if self.found is None:
            what = gettext("MISSING: not in the file store")
        else:
            what = gettext("DAMAGED: %(size)s bytes, SHA-256 %(sha256)s…") % {
                "size": self.found.size,
                "sha256": self.found.sha256[:16],
            }
            if expected is not None:
                what += gettext(" (recorded %(size)s bytes, SHA-256 %(sha256)s…)") % {
                    "size": expected.size,
                    "sha256": expected.sha256[:16],
                }
        records = "; ".join(record.label() for record in self.records)
        return gettext("%(name)s — %(what)s; records: %(records)s") % {
            "name": self.name,
            "what": what,
            "records": records,
        }

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "missing": self.found is None,
            "size": self.found.size if self.found else None,
            "sha256": self.found.sha256 if self.found else None,
            "records": [
                {
                    "model": r.model._meta.label,
                    "pk": r.pk,
                    "size": r.size,
                    "sha256": r.sha256,
                }
                for r in self.records
            ],
        }


def recorded_files() -> dict[str, list[Record]]:
    """Every storage name a FileField of any model refers to, with the rows that refer to it.
    A model that records the file's ``sha256`` and ``size`` (evidence) is checked against them;
    any other file only for being there."""
    found: dict[str, list[Record]] = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        names = {f.name for f in model._meta.concrete_fields}
        # The recorded digest describes the model's one file, not several.
        sums = len(fields) == 1 and {"sha256", "size"} <= names
        for file_field in fields:
            columns = ["pk", file_field.name] + (["size", "sha256"] if sums else [])
            rows = model._base_manager.exclude(**{file_field.name: ""}).values(*columns)
            for row in rows.order_by("pk").iterator():
                found.setdefault(row[file_field.name], []).append(
                    Record(model, row["pk"], row.get("size"), row.get("sha256"))
                )
    return dict(sorted(found.items()))


def problem(name: str, records: list[Record], found: Found | None) -> Problem | None:
    """The problem with ``found`` as the file under ``name``, or None when every record
    pointing at it agrees with it."""
    if found is None:
        return Problem(name, None, records)
    for record in records:
        if (record.size is not None and record.size != found.size) or (
            record.sha256 is not None and record.sha256 != found.sha256
        ):
            return Problem(name, found, records)
    return None
