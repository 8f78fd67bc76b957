"""The console script and the production settings, run as a ward's operator would run them."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DEBUG": "0",
            "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2" * 10,
            "ALLOWED_HOSTS": "theodoi.example.gov.vn",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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
