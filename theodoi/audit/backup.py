"""One-file backups: the database as Django's JSON dump, the stored files, and a manifest.

The archive (tar.gz) holds ``manifest.json``, ``data.json`` (``dumpdata`` of every app, with
natural keys for content types and permissions, which ``migrate`` recreates with other ids) and
``files/<storage name>`` for every file a model refers to. The manifest lists each member's
SHA-256; ``restore`` checks them all before it changes anything.

Each file is checked against the size and SHA-256 its rows recorded while it is read into the
archive: a damaged or missing file stops the backup (a backup that silently keeps a truncated
file is worse than none), unless ``allow_damaged`` is given, in which case such files are left
out and listed under ``damaged`` in the manifest.
"""

import contextlib
import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from theodoi.audit.anchor import AnchorError, anchor_of_dump
from theodoi.audit.services import seal_legacy_chain
from theodoi.core import storage
from theodoi.core.db import read_transaction

FORMAT = "theodoi-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
FILES = "files/"
# Rows that `migrate` itself creates: they do not make an installation "not empty".
CREATED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "audit.audithead"}
EXCLUDED = {"contenttypes.contenttype", "auth.permission"}


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; the audit chain's hashes need every digit."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump(stream, database: str) -> None:
    """What ``dumpdata --natural-foreign`` writes for every app, with exact times."""
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)

    def objects():
        for model in ordered:
            meta = model._meta
            if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED:
                continue
            yield from model._base_manager.using(database).order_by(meta.pk.name).iterator()

    serializers.serialize(
        "json",
        objects(),
        stream=stream,
        use_natural_foreign_keys=True,
        cls=_ExactEncoder,
    )


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why, in the interface
    language."""


@dataclass
class Summary:
    objects: int
    files: int
    damaged: list = field(default_factory=list)  # files left out by allow_damaged


def records_text(count: int) -> str:
    """«3 records», one part of the summary line of `backup` and `restore`."""
    return ngettext("%(count)s record", "%(count)s records", count) % {"count": count}


def files_text(count: int) -> str:
    """«2 files», one part of the summary line of `backup` and `restore`."""
    return ngettext("%(count)s file", "%(count)s files", count) % {"count": count}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_file_names() -> list[str]:
    """Every storage name a FileField of any model refers to."""
    return list(storage.recorded_files())


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


@contextlib.contextmanager
def _removed_on_error(path: Path):
    """A refused or failed backup leaves no half-written archive behind."""
    try:
        yield
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _damaged_error(problems: list[storage.Problem]) -> BackupError:
    lines = "\n".join(f"  - {problem.describe()}" for problem in problems[:20])
    if len(problems) > 20:
        more = len(problems) - 20
        lines += "\n  " + (
            ngettext("… and %(count)s more file.", "… and %(count)s more files.", more)
            % {"count": more}
        )
    return BackupError(
        ngettext(
            "No backup: %(count)s stored file is damaged or missing (its size or SHA-256 does not "
            "match the recorded one):\n%(files)s\nRun «theodoi verify_files» for the details, ask "
            "the person who uploaded it to send it again (uploading again repairs a damaged "
            "file), or run «theodoi backup --allow-damaged» to back up the rest and list this "
            "file in the list of contents.",
            "No backup: %(count)s stored files are damaged or missing (their size or SHA-256 does "
            "not match the recorded one):\n%(files)s\nRun «theodoi verify_files» for the details, "
            "ask the people who uploaded them to send them again (uploading again repairs a "
            "damaged file), or run «theodoi backup --allow-damaged» to back up the rest and list "
            "these files in the list of contents.",
            len(problems),
        )
        % {"count": len(problems), "files": lines}
    )


def backup(
    path: str | Path, database: str = DEFAULT_DB_ALIAS, *, allow_damaged: bool = False
) -> Summary:
    """Write the archive to ``path``. The dump is taken in one transaction, so it is consistent
    on PostgreSQL even while people keep working."""
    path = Path(path)
    sums: dict[str, str] = {}
    damaged: list[storage.Problem] = []
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DATA
        with read_transaction(using=database):
            with dump.open("w", encoding="utf-8") as stream:
                _dump(stream, database)
            recorded = storage.recorded_files()
        data = dump.read_bytes()
        rows = json.loads(data)
        objects = len(rows)
        partial = path.with_name(path.name + ".partial")
        with _removed_on_error(partial), tarfile.open(partial, "w:gz") as archive:
            _add(archive, DATA, data)
            sums[DATA] = _sha256(data)
            for name, records in recorded.items():
                try:
                    content = storage.read(name)
                except Exception as exc:  # a local read error, an unreachable S3 service
                    raise BackupError(
                        gettext("The stored file «%(name)s» cannot be read: %(error)s")
                        % {"name": name, "error": exc}
                    ) from exc
                found = None if content is None else storage.Found(len(content), _sha256(content))
                problem = storage.problem(name, records, found)
                if problem is not None:
                    damaged.append(problem)
                    continue
                member = FILES + name
                _add(archive, member, content)
                sums[member] = found.sha256
            if damaged and not allow_damaged:
                raise _damaged_error(damaged)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created": timezone.now().isoformat(),
                "objects": objects,
                "files": len(recorded) - len(damaged),
                # The audit chain's head as dumped, for `verify_audit --anchor-from-backup`.
                "audit_anchor": anchor_of_dump(rows),
                "sha256": sums,
            }
            if damaged:
                manifest["damaged"] = [problem.as_dict() for problem in damaged]
            _add(
                archive,
                MANIFEST,
                json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"),
            )
        partial.replace(path)
    return Summary(objects=objects, files=len(recorded) - len(damaged), damaged=damaged)


def _read_archive(path: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and every member, after checking each one against its SHA-256."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members: dict[str, bytes] = {}
            for info in archive.getmembers():
                if not info.isfile():
                    raise BackupError(
                        gettext("The backup file has an unexpected entry «%(name)s».")
                        % {"name": info.name}
                    )
                pure = PurePosixPath(info.name)
                if pure.is_absolute() or ".." in pure.parts:
                    raise BackupError(
                        gettext("The backup file has an unsafe path «%(name)s».")
                        % {"name": info.name}
                    )
                members[info.name] = archive.extractfile(info).read()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            gettext(
                "The backup file %(path)s cannot be read: it is damaged or not in the right format."
            )
            % {"path": path}
        ) from exc
    try:
        manifest = json.loads(members.pop(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(
            gettext("The backup file has no valid list of contents (manifest.json).")
        ) from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(
            gettext("This file is not a theodoi backup (or it is from another version).")
        )
    sums = manifest.get("sha256") or {}
    if set(sums) != set(members):
        missing = sorted(set(sums) - set(members))
        extra = sorted(set(members) - set(sums))
        raise BackupError(
            gettext(
                "The backup file does not match its list of contents: missing %(missing)s, "
                "unexpected %(extra)s."
            )
            % {"missing": missing[:5], "extra": extra[:5]}
        )
    for name, data in members.items():
        if _sha256(data) != sums[name]:
            raise BackupError(
                gettext(
                    "The file «%(name)s» in the backup is damaged or has been altered (wrong "
                    "SHA-256)."
                )
                % {"name": name}
            )
    if DATA not in members:
        raise BackupError(gettext("The backup file has no data (data.json)."))
    return manifest, members


def _check_target(database: str) -> None:
    connection = connections[database]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(
            gettext(
                "The structure of the database is not up to date. Run «theodoi migrate» before "
                "restoring."
            )
        )
    for model in apps.get_models():
        if model._meta.label_lower in CREATED_BY_MIGRATE or not model._meta.managed:
            continue
        if model._default_manager.using(database).exists():
            raise BackupError(
                gettext(
                    "A backup can only be restored into a new, empty installation: the database "
                    "already holds data (%(model)s). Create a new database, run «theodoi "
                    "migrate», then restore again."
                )
                % {"model": model._meta.label}
            )


def restore(path: str | Path, database: str = DEFAULT_DB_ALIAS) -> Summary:
    """Bring a backup back into a freshly migrated, empty installation."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(gettext("The backup file %(path)s does not exist.") % {"path": path})
    manifest, members = _read_archive(path)
    _check_target(database)
    sums = manifest["sha256"]
    files = {name[len(FILES) :]: name for name in members if name.startswith(FILES)}
    # The files first: names are derived from content, so storing is idempotent (a file that
    # is already whole is kept, a damaged one is repaired), and a storage failure here leaves
    # the database untouched, so the restore can simply be run again.
    for name, member in files.items():
        try:
            storage.store(name, members[member], sha256=sums[member])
        except Exception as exc:  # a full disk, an unreachable S3 service
            raise BackupError(
                gettext("The file «%(name)s» cannot be written to the storage: %(error)s")
                % {"name": name, "error": exc}
            ) from exc
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DATA
        dump.write_bytes(members[DATA])
        with transaction.atomic(using=database):
            call_command("loaddata", str(dump), database=database, verbosity=0)
            # A backup made before the chain was keyed: one keyed record pins its records.
            seal_legacy_chain(using=database)

    return Summary(objects=manifest.get("objects", 0), files=len(files))


def anchor_from_backup(path: str | Path) -> str:
    """The anchor stored in a backup's manifest (written by `theodoi backup`)."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            handle = archive.extractfile(MANIFEST)
            manifest = json.loads(handle.read()) if handle else {}
    except (tarfile.TarError, KeyError, EOFError, OSError, ValueError) as exc:
        raise AnchorError(
            gettext("The list of contents (manifest.json) of the backup %(path)s cannot be read.")
            % {"path": path}
        ) from exc
    anchor = manifest.get("audit_anchor") if isinstance(manifest, dict) else None
    if not isinstance(anchor, str):
        raise AnchorError(
            gettext("The backup %(path)s has no audit anchor (a backup of an older version).")
            % {"path": path}
        )
    return anchor
