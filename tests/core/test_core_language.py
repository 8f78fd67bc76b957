"""Operator and error messages of core go through gettext."""

import json

from django.db import OperationalError
from django.test import RequestFactory
from django.utils import translation

from theodoi.core import storage
from theodoi.core.middleware import DatabaseBusy


def _busy(path: str) -> str:
    request = RequestFactory().post(path)
    response = DatabaseBusy(lambda r: None).process_exception(
        request, OperationalError("database is locked")
    )
    assert response.status_code == 503
    if path.startswith("/api/"):
        return json.loads(response.content)["detail"]
    return response.content.decode()


def test_the_busy_answer_speaks_the_active_language():
    with translation.override("en"):
        page, api = _busy("/plans/"), _busy("/api/v1/plans/")
    assert "<h1>The system is busy</h1>" in page and 'lang="en"' in page
    assert "Back to the start page" in page and "The system is busy because" in api
    assert "Hệ thống" not in page + api
    with translation.override("vi"):
        page, api = _busy("/plans/"), _busy("/api/v1/plans/")
    assert "<h1>Hệ thống đang bận</h1>" in page and "Về trang chủ" in page
    assert "Hệ thống đang bận vì nhiều người cùng lưu dữ liệu" in api


def test_a_problem_line_speaks_the_active_language():
    problem = storage.Problem(name="evidence/x.pdf", found=None)
    with translation.override("en"):
        assert problem.describe() == "evidence/x.pdf — MISSING: not in the file store; records: "
    with translation.override("vi"):
        assert problem.describe() == (
            "evidence/x.pdf — THIẾU: không có trong kho lưu trữ; bản ghi: "
        )
