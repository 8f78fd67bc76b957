"""Evidence on S3 (moto's server): uploads carry their SHA-256, and an object with other bytes
under the name is found by verify_files and repaired by the next upload."""

import base64
import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.trust.test_s3_storage import BUCKET, s3, s3_server  # noqa: F401 (fixtures)
from theodoi.audit.backup import BackupError, backup
from theodoi.core import storage
from theodoi.reporting.services import evidence_upload

PDF = b"%PDF-1.4\n" + b"bien ban tren S3 " * 4000 + b"\n%%EOF\n"
DIGEST = hashlib.sha256(PDF).hexdigest()


def _object(client, key) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_the_upload_carries_its_sha256(world, s3):  # noqa: F811
    evidence = evidence_upload(
        actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
    )
    head = s3.head_object(Bucket=BUCKET, Key=evidence.file.name, ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == base64.b64encode(bytes.fromhex(DIGEST)).decode()
    assert head["ContentLength"] == len(PDF)
    assert _object(s3, evidence.file.name) == PDF
    assert storage.measure(evidence.file.name) == storage.Found(len(PDF), DIGEST)


def test_a_corrupted_object_is_found_and_repaired_by_the_next_upload(world, s3, capsys, tmp_path):  # noqa: F811
    evidence = evidence_upload(
        actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
    )
    key = evidence.file.name
    s3.put_object(Bucket=BUCKET, Key=key, Body=PDF[:5000])  # cut short
    with pytest.raises(CommandError, match="1 tệp hỏng"):
        call_command("verify_files")
    assert "HỎNG: 5000 byte" in capsys.readouterr().out
    with pytest.raises(BackupError, match=key):
        backup(tmp_path / "sao-luu.tar.gz")

    again = evidence_upload(actor=world.people.office, name="b.pdf", data=PDF, task=world.task_vhxh)
    assert again.file.name == key
    assert _object(s3, key) == PDF
    call_command("verify_files")
    assert "1 đúng, 0 hỏng, 0 thiếu" in capsys.readouterr().out


def test_a_good_object_is_not_written_again(world, s3):  # noqa: F811
    # With versioning each PUT leaves a version behind: a rewrite would show as a second one
    # (the modification time is kept to the second only, so it cannot tell).
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    name = f"evidence/{DIGEST[:2]}/{DIGEST}"
    try:
        assert storage.store(name, PDF, sha256=DIGEST) == "written"
        modified = s3.head_object(Bucket=BUCKET, Key=name)["LastModified"]
        assert storage.store(name, PDF, sha256=DIGEST) == "kept"
        assert s3.head_object(Bucket=BUCKET, Key=name)["LastModified"] == modified
        versions = s3.list_object_versions(Bucket=BUCKET, Prefix=name).get("Versions", [])
        assert len(versions) == 1, versions
    finally:
        # The fixture empties and deletes the bucket, which versions would keep non-empty.
        listing = s3.list_object_versions(Bucket=BUCKET)
        for version in listing.get("Versions", []) + listing.get("DeleteMarkers", []):
            s3.delete_object(Bucket=BUCKET, Key=version["Key"], VersionId=version["VersionId"])
