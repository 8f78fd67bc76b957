"""The console script and the production settings, run as a ward's operator would run them,
and the deploy check of the static files manifest (with the manifest storage, a missing,
unreadable or outdated manifest means a server error on every page)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from theodoi.core.checks import static_manifest

THEODOI = Path(sys.executable).with_name("theodoi")


def _run(args, env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("THEODOI_", "DJANGO_"))
        and key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    env.update({"THEODOI_DATA_DIR": str(tmp_path)}, **env_overrides)
    return subprocess.run(
        [str(THEODOI), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2" * 10,
    "THEODOI_AUDIT_KEY": "an-audit-key-kept-apart-from-the-database-" + "k3Zr8" * 6,
    "ALLOWED_HOSTS": "theodoi.example.gov.vn",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    collected = _run(["collectstatic", "--noinput"], PRODUCTION, tmp_path)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_the_static_manifest(tmp_path):
    result = _run(["check", "--deploy"], PRODUCTION, tmp_path)
    assert result.returncode != 0
    assert "theodoi.static.E001" in result.stderr
    assert "theodoi collectstatic --noinput" in result.stderr


def test_check_deploy_flags_a_missing_or_short_audit_key(tmp_path):
    without_key = {k: v for k, v in PRODUCTION.items() if k != "THEODOI_AUDIT_KEY"}
    result = _run(["check", "--deploy"], without_key, tmp_path)
    assert "audit.W001" in result.stdout + result.stderr
    key_file = tmp_path / "audit.key"
    key_file.write_text("short\n")
    result = _run(
        ["check", "--deploy"], {**without_key, "THEODOI_AUDIT_KEY_FILE": str(key_file)}, tmp_path
    )
    assert "audit.W002" in result.stdout + result.stderr


def test_check_deploy_flags_the_development_key(tmp_path):
    result = _run(["check", "--deploy"], {"DEBUG": "0"}, tmp_path)
    assert "security.W009" in result.stdout + result.stderr


def test_console_script_migrates_a_fresh_installation(tmp_path):
    data_dir = tmp_path / "new-folder"
    result = _run(
        ["migrate", "--noinput"], {"DEBUG": "1", "THEODOI_DATA_DIR": str(data_dir)}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (data_dir / "theodoi.sqlite3").exists(), "a missing data folder is created"
    shown = _run(
        ["showmigrations", "plans"], {"DEBUG": "1", "THEODOI_DATA_DIR": str(data_dir)}, tmp_path
    )
    assert "[X] 0001_initial" in shown.stdout


MANIFEST_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    return settings.STATIC_ROOT


def ids(errors):
    return [error.id for error in errors]


def test_without_the_manifest_storage_there_is_nothing_to_check(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith(".StaticFilesStorage")
    assert static_manifest() == []


def test_a_missing_manifest_is_an_error_that_says_what_to_run(manifest_storage):
    [error] = static_manifest()
    assert error.id == "theodoi.static.E001" and error.is_serious()
    assert "staticfiles.json is missing" in error.msg
    assert "theodoi collectstatic --noinput" in error.hint


def test_an_unreadable_manifest_is_an_error(manifest_storage):
    manifest_storage.mkdir()
    (manifest_storage / "staticfiles.json").write_text('{"version": "1.1", "paths": {')
    [error] = static_manifest()
    assert error.id == "theodoi.static.E001" and "cannot be read" in error.msg


def test_a_manifest_of_an_older_version_is_an_error(manifest_storage):
    manifest_storage.mkdir()
    manifest = {"version": "1.1", "paths": {"theodoi/app.js": "theodoi/app.0123456789ab.js"}}
    (manifest_storage / "staticfiles.json").write_text(json.dumps(manifest))
    [error] = static_manifest()
    assert error.id == "theodoi.static.E002"
    assert "lacks" in error.msg and "theodoi collectstatic --noinput" in error.hint


def test_after_collectstatic_the_check_passes(manifest_storage):
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (manifest_storage / "staticfiles.json").exists()
    assert static_manifest() == []
    # One shipped file left out of the manifest (an upgrade without collectstatic).
    path = manifest_storage / "staticfiles.json"
    manifest = json.loads(path.read_text())
    del manifest["paths"]["theodoi/charts.js"]
    path.write_text(json.dumps(manifest))
    [error] = static_manifest()
    assert error.id == "theodoi.static.E002" and "theodoi/charts.js" in error.msg
