"""Evidence on an S3-compatible service: moto's server on 127.0.0.1, started by the tests."""

import hashlib
import json
import os
import socket
import subprocess
import sys

import pytest

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")
pytest.importorskip("storages.backends.s3")

from theodoi.reporting.models import Evidence  # noqa: E402
from theodoi.reporting.services import evidence_upload  # noqa: E402

BUCKET = "theodoi-evidence"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "addressing_style": "path",
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client):
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_evidence_is_stored_once_under_its_sha256_and_served(world, s3, client):
    digest = hashlib.sha256(PDF).hexdigest()
    first = evidence_upload(
        actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh
    )
    second = evidence_upload(
        actor=world.people.office, name="b.pdf", data=PDF, task=world.task_vhxh
    )
    keys = _keys(s3)
    assert len(keys) == 1 and digest in keys[0]
    assert first.file.name == second.file.name == keys[0]
    assert s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == PDF

    client.force_login(world.people.office)
    response = client.get(f"/evidence/{first.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_unreachable_s3_is_a_clear_message(world, s3, settings):
    from theodoi.reporting.services import ReportingError

    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**options, "bucket_name": "no-such-bucket"},
        },
    }
    with pytest.raises(ReportingError, match="Không lưu được tệp minh chứng"):
        evidence_upload(actor=world.people.officer, name="a.pdf", data=PDF, task=world.task_vhxh)
    assert not Evidence.objects.exists()


def test_settings_block_reads_s3_from_the_environment(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n")
    env = {
        **os.environ,
        "THEODOI_S3_BUCKET": "phuong",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY_FILE": str(secret),
        "AWS_S3_REGION_NAME": "vn-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "THEODOI_DATA_DIR": str(tmp_path),
    }
    code = (
        "import json, theodoi.settings as s; print(json.dumps([s.STORAGES['default']['BACKEND'], "
        "s.AWS_STORAGE_BUCKET_NAME, s.AWS_S3_ENDPOINT_URL, s.AWS_S3_SECRET_ACCESS_KEY, "
        "s.AWS_S3_REGION_NAME, s.AWS_S3_ADDRESSING_STYLE, s.AWS_S3_FILE_OVERWRITE]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [
        "storages.backends.s3.S3Storage",
        "phuong",
        "http://127.0.0.1:9000",
        "s3cr3t",
        "vn-1",
        "path",
        False,
    ]
    env.pop("THEODOI_S3_BUCKET")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import theodoi.settings as s; print(s.STORAGES['default']['BACKEND'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "django.core.files.storage.FileSystemStorage"
