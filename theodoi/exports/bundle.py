"""The upward package: the Excel tables and the evidence files they cite, in one zip.

Each evidence file is named by its task's code and its original name ("minh-chung/1.2_Quyet
dinh.pdf"), and ``SHA256SUMS`` lists the SHA-256 of every file in the package in the format of
``sha256sum -c``, so the province can check that nothing changed on the way. ``minh-chung.csv``
says which task or indicator value each file backs and how the office reviewed it. Only files
the office accepted travel; the index's last row says how many were left out and why.
"""

# The Vietnamese text here stays Vietnamese whatever the interface language: the report sent
# upward is an administrative document under Decree 30/2020/ND-CP, in Vietnamese by law.

import csv
import hashlib
import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from theodoi.core.spreadsheet import csv_row
from theodoi.plans.periods import label_vi_of

from .report import REVIEW_LABELS_VI, EvidenceRow, LeftOut, ReportData, cited_evidence

FOLDER = "minh-chung"
MANIFEST = "SHA256SUMS"
INDEX = "minh-chung.csv"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One evidence file and its name in the package."""

    evidence: EvidenceRow
    code: str  # the task's code, or "CT" and the indicator's code
    title: str  # the task's title or the indicator's name
    arcname: str


def _safe(text: str) -> str:
    """A file-name part without folders or characters that some systems refuse."""
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", text).strip(" .")
    return text or "tep"


def entries(data: ReportData) -> list[Entry]:
    """The package names of the cited evidence files: "1.2_…" for task 1.2, "CT1.2_…" for
    indicator 1.2; unique even when two files of a task share a name."""
    tasks = {task.id: task for task in data.tasks}
    indicators = {row.id: row for row in data.indicators}
    used: set[str] = set()
    result = []
    for evidence in cited_evidence(data):
        if evidence.task_id is not None:
            task = tasks[evidence.task_id]
            code = task.code.strip() or f"NV{task.id}"
            title = task.title
        elif evidence.indicator_id in indicators:
            indicator = indicators[evidence.indicator_id]
            code = f"CT{indicator.code.strip() or indicator.id}"
            title = f"{indicator.name} ({label_vi_of(evidence.value_period)})"
        else:  # cited_evidence keeps only files of the report's tasks and indicators
            continue
        code = _safe(code)
        root, extension = posixpath.splitext(_safe(evidence.original_name))
        name, counter = f"{FOLDER}/{code}_{root}{extension}", 1
        while name.lower() in used:
            counter += 1
            name = f"{FOLDER}/{code}_{root} ({counter}){extension}"
        used.add(name.lower())
        result.append(Entry(evidence, code, title, name))
    return result


def evidence_names(package: list[Entry]) -> dict[tuple[str, int], list[str]]:
    """Per ("task", id) or ("indicator", id), the names its files have in the package (for the
    Excel columns)."""
    names: dict[tuple[str, int], list[str]] = {}
    for entry in package:
        evidence = entry.evidence
        if evidence.task_id is not None:
            key = ("task", evidence.task_id)
        elif evidence.indicator_id is not None:
            key = ("indicator", evidence.indicator_id)
        else:
            continue
        names.setdefault(key, []).append(entry.arcname)
    return names


@dataclass(frozen=True)
class Written:
    files: int  # evidence files written
    missing: list[str]  # evidence files the storage no longer has (named in the CSV)
    changed: list[str]  # files whose bytes no longer match the SHA-256 taken at upload
    left_out: LeftOut = LeftOut(0, 0)  # files not sent: not yet reviewed, or rejected


def write_bundle(
    out: BinaryIO,
    *,
    xlsx_name: str,
    xlsx: bytes,
    package: list[Entry],
    open_file: Callable[[str], BinaryIO],
    left_out: LeftOut | None = None,
) -> Written:
    """Write the zip to ``out``, streaming each evidence file from ``open_file(storage_name)``
    so that large files never sit in memory whole. ``left_out`` counts the files of the report
    that are not sent because not accepted (``report.evidence_left_out``): the index says so."""
    left_out = left_out or LeftOut(0, 0)
    sums: list[tuple[str, str]] = [(hashlib.sha256(xlsx).hexdigest(), xlsx_name)]
    rows = []
    missing, changed = [], []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(xlsx_name, xlsx)
        for entry in package:
            evidence = entry.evidence
            try:
                source = open_file(evidence.storage_name)
            except (FileNotFoundError, OSError):
                missing.append(entry.arcname)
                rows.append(_index_row(entry, "", "Tệp không còn trong kho lưu trữ"))
                continue
            digest = hashlib.sha256()
            with source, archive.open(entry.arcname, "w") as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    target.write(chunk)
            sha = digest.hexdigest()
            note = ""
            if sha != evidence.sha256:
                changed.append(entry.arcname)
                note = "Nội dung khác với lúc tải lên (SHA-256 không khớp)"
            sums.append((sha, entry.arcname))
            rows.append(_index_row(entry, sha, note))
        rows.append(["", "Ghi chú", "", "", "", "", "", "", left_out.text])
        index = _csv(rows)
        archive.writestr(INDEX, index)
        sums.append((hashlib.sha256(index).hexdigest(), INDEX))
        archive.writestr(MANIFEST, "".join(f"{sha}  {name}\n" for sha, name in sums))
    return Written(
        files=len(package) - len(missing), missing=missing, changed=changed, left_out=left_out
    )


def _index_row(entry: Entry, sha: str, note: str) -> list[str]:
    evidence = entry.evidence
    return [
        entry.code,
        entry.title,
        entry.arcname,
        evidence.original_name,
        str(evidence.size),
        evidence.uploaded_on.strftime("%d/%m/%Y") if evidence.uploaded_on else "",
        REVIEW_LABELS_VI.get(evidence.decision, ""),
        sha,
        note,
    ]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "Mã nhiệm vụ, chỉ tiêu",
            "Nhiệm vụ, chỉ tiêu",
            "Tệp trong gói",
            "Tên tệp gốc",
            "Dung lượng (byte)",
            "Ngày tải lên",
            "Thẩm định",
            "SHA-256",
            "Ghi chú",
        ]
    )
    # Task titles and file names are people's text: none may run as a formula.
    writer.writerows(csv_row(row) for row in rows)
    # A byte-order mark so that Excel opens the Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
