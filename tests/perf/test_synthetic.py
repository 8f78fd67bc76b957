"""The synthetic province of `python bench/make_synthetic.py` (bench/synthetic.py): deterministic,
and the rows the services would have written (cached progress and completion, stored files, first
lead units, alerts)."""

import datetime
import hashlib
import io

import pytest
from django.core.files.storage import default_storage

from bench.make_synthetic import main as make_synthetic
from bench.synthetic import Config, generate, tiny_pdf
from theodoi.alerts.models import Alert
from theodoi.demo import data
from theodoi.org.models import Organization, Role, User
from theodoi.plans.models import Task, WardAssignment
from theodoi.reporting import files
from theodoi.reporting.models import Evidence, EvidenceReview, ProgressReport
from theodoi.reporting.services import task_refresh

TODAY = datetime.date(2026, 11, 24)


def signature(code: str) -> list[tuple]:
    """The province's data without ids, in a stable order."""
    rows = []
    for task in Task.objects.filter(plan__organization__parent__code=code).order_by(
        "plan__organization__code", "order"
    ):
        reports = list(
            task.reports.order_by("period").values_list(
                "period", "percent", "status", "submitted_on"
            )
        )
        evidence = list(
            task.evidence.order_by("uploaded_at", "sha256").values_list(
                "sha256", "uploaded_on", "original_name"
            )
        )
        through = Task.lead_units.through.objects.filter(task=task).order_by("order", "id")
        leads = list(through.values_list("unit__name", flat=True))
        rows.append(
            (task.code, task.title, task.deadline_text, task.due_date, task.progress,
             task.completed_on, tuple(reports), tuple(evidence), tuple(leads))
        )  # fmt: skip
    return rows


@pytest.fixture
def province(db, settings):
    settings.THEODOI_TODAY = TODAY.isoformat()
    generate(Config(wards=2, tasks_per_ward=40, years=0.5, seed=7, province_code="AA"))
    return Organization.objects.get(code="AA")


def test_same_seed_same_data(province):
    generate(Config(wards=2, tasks_per_ward=40, years=0.5, seed=7, province_code="BB"))
    generate(Config(wards=2, tasks_per_ward=40, years=0.5, seed=8, province_code="CC"))
    first, again, other = signature("AA"), signature("BB"), signature("CC")
    assert len(first) == 80
    assert first == again
    assert first != other


def test_people_units_and_plans(province):
    wards = Organization.objects.filter(parent=province)
    assert wards.count() == 2
    ward = wards.order_by("code").first()
    assert ward.units.count() == len(data.UNITS)
    officer = User.objects.get(username="aa_w001_canbo_vhxh")
    assert officer.role == Role.UNIT_OFFICER and officer.unit.name == "Phòng Văn hóa - Xã hội"
    assert officer.check_password(data.PASSWORD)
    assert User.objects.get(username="aa_w001_vanphong").role == Role.STANDING_OFFICE
    assert User.objects.get(username="aa_tinh").organization == province
    tasks = Task.objects.filter(plan__organization=ward)
    assert tasks.count() == 40
    assert all(t.lead_units.exists() for t in tasks)
    # Searchable like a task saved through the model.
    task = tasks.first()
    task.save()
    assert Task.objects.get(pk=task.pk).search_text == task.search_text


def test_cached_progress_is_what_the_services_compute(province):
    tasks = list(Task.objects.filter(plan__organization__parent=province))
    cached = {t.pk: (t.progress, t.completed_on) for t in tasks}
    for task in tasks:
        task_refresh(task)
    assert {t.pk: (t.progress, t.completed_on) for t in Task.objects.filter(pk__in=cached)} == (
        cached
    )
    assert any(completed for _progress, completed in cached.values())


def test_the_province_plan_is_carried_out_by_its_wards(province):
    """The province's own tasks, given to every ward, each implemented by the wards' tasks of
    its title, with the roll-up cached as the progress chain leaves it."""
    upper = list(Task.objects.filter(plan__organization=province))
    assert len(upper) == 30
    assert all(t.ward_assignment == WardAssignment.ALL_WARDS for t in upper)
    linked = Task.objects.filter(upper_task__in=upper)
    assert linked.exists()
    assert all(t.title == t.upper_task.title for t in linked.select_related("upper_task"))
    cached = {t.pk: (t.progress, t.completed_on) for t in upper}
    for task in upper:
        task_refresh(task)
    assert {t.pk: (t.progress, t.completed_on) for t in Task.objects.filter(pk__in=cached)} == (
        cached
    )
    assert any(progress for progress, _completed in cached.values())


def test_reports_evidence_reviews_and_alerts(province):
    reports = ProgressReport.objects.filter(task__plan__organization__parent=province)
    assert reports.filter(submitted_on__gt=TODAY).count() == 0
    assert reports.filter(status=ProgressReport.Status.ACCEPTED).exists()
    # Some late: submitted more than the due days after the period ended.
    evidence = Evidence.objects.filter(task__plan__organization__parent=province)
    assert evidence.exists()
    for item in evidence[:20]:
        content = default_storage.open(item.file.name).read()
        assert hashlib.sha256(content).hexdigest() == item.sha256 == item.file.name.rsplit("/")[-1]
        assert files.sniff(content) == files.PDF
    # De-duplicated: far fewer stored files than evidence rows can exist.
    assert len(set(evidence.values_list("sha256", flat=True))) <= 64
    assert EvidenceReview.objects.filter(
        evidence__in=evidence, decision=EvidenceReview.Decision.ACCEPTED
    ).exists()
    assert Alert.objects.filter(organization__parent=province, closed_at__isnull=True).exists()


def test_tiny_pdf_is_a_pdf():
    content = tiny_pdf("Minh chứng số 1")
    assert files.sniff(content) == files.PDF
    assert 200 < len(content) < 1000
    assert content.endswith(b"%%EOF\n")


def test_command(db, settings):
    settings.THEODOI_TODAY = TODAY.isoformat()
    out = io.StringIO()
    make_synthetic(
        ["--wards=1", "--tasks-per-ward=15", "--years=0.25", "--province-code=DD"], stdout=out
    )
    assert "Province DD" in out.getvalue()
    assert Task.objects.filter(plan__organization__parent__code="DD").count() == 15
