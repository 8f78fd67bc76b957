"""The demo: loads once, and every demo user signs in and sees what the role may see."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.queues import signals_kept
from theodoi.audit.models import AuditEvent
from theodoi.demo import checks as demo_checks
from theodoi.demo import data
from theodoi.demo import province as demo_province
from theodoi.demo.report_words import REPORT_WORDS
from theodoi.demo.services import load_demo
from theodoi.org.models import Organization, User
from theodoi.plans.models import Plan, PlanAmendment, Task
from theodoi.plans.selectors import NOT_TRACKABLE, with_lead_flag
from theodoi.reporting.models import Directive


@pytest.fixture
def demo(db):
    ward, created = load_demo()
    assert created
    return ward


def test_demo_imports_the_five_seed_plans_into_four_wards(demo):
    # Beside the city's own plan (tests/demo/test_demo_province.py).
    assert Plan.objects.filter(organization__kind="ward").count() == 5
    assert Organization.objects.filter(kind="ward").count() == 4
    plan = Plan.objects.get(number="110/KH-UBND")
    assert plan.organization == demo
    assert plan.tasks.count() == 34 + 8
    police_task = plan.tasks.get(section__code="PL", code="8")
    assert [u.name for u in police_task.lead_units.all()] == ["Công an phường"]
    assert [u.name for u in police_task.coordinating_units.all()] == ["Văn phòng HĐND và UBND"]
    first = plan.tasks.get(section__code="PL", code="1")
    assert [u.name for u in first.lead_units.all()] == ["Phòng Văn hóa - Xã hội"]
    # "Các phòng, ban, đơn vị, Trung tâm" means every other unit of the ward.
    assert first.coordinating_units.count() == demo.units.count() - 1
    assert Directive.objects.filter(task=first).exists()
    phuoc_binh = Organization.objects.get(code="DN-PHUOCBINH")
    assert phuoc_binh.plans.count() == 2


def test_demo_is_idempotent(demo):
    tasks = Task.objects.count()
    _, created = load_demo()
    assert not created
    assert Task.objects.count() == tasks
    assert Organization.objects.filter(code=data.WARD["code"]).count() == 1


def test_demo_command_without_serving(db, capsys):
    call_command("demo", "--no-serve")
    output = capsys.readouterr().out
    for username, *_ in data.USERS:
        assert username in output
    assert data.PASSWORD in output
    # The users of the ward and the city's standing office (theodoi.demo.province).
    assert User.objects.count() == len(data.USERS) + 1
    assert demo_province.USER[0] in output
    # Only the ward's own admin is listed as managing the ward's units and people.
    managing = [line.split()[0] for line in output.splitlines() if "(units, people, plans)" in line]
    assert managing == ["qtphuong"]


@pytest.mark.parametrize(
    ("username", "sees_plan", "sees_my_tasks"),
    [
        ("admin", True, False),
        ("tinh", True, False),
        ("lanhdao", True, False),
        ("vanphong", True, True),
        ("canbo_vhxh", True, True),
        ("canbo_congan", True, True),
    ],
)
def test_each_demo_user_signs_in_and_sees_the_pages(
    client, demo, username, sees_plan, sees_my_tasks
):
    response = client.post(
        reverse("login"), {"username": username, "password": data.PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].username == username
    plan = Plan.objects.get(number="110/KH-UBND")
    plans_page = client.get(reverse("plan_list")).content.decode()
    assert (plan.number in plans_page) is sees_plan
    assert client.get(plan.get_absolute_url()).status_code == 200
    task = plan.tasks.get(section__code="PL", code="8")
    assert client.get(task.get_absolute_url()).status_code == 200
    my_tasks = len(client.get(reverse("my_tasks")).context["page"].object_list)
    if sees_my_tasks:
        assert my_tasks > 0
    else:
        assert my_tasks == 0


def test_police_officer_sees_only_police_tasks_as_own(client, demo):
    client.post(reverse("login"), {"username": "canbo_congan", "password": data.PASSWORD})
    content = client.get(reverse("my_tasks")).content.decode()
    assert "Bảo đảm an toàn an ninh mạng" in content  # lead
    assert "Đào tạo kỹ năng số cho người dân" in content  # coordinating
    assert "Đưa vào khai thác hiệu quả" in content  # "các phòng, ban, đơn vị" coordinate task 1
    assert "Tổ chức ứng dụng trí tuệ nhân tạo" in content


def test_admin_reaches_django_admin_and_other_roles_do_not(client, demo):
    client.post(reverse("login"), {"username": "admin", "password": data.PASSWORD})
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 200
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "vanphong", "password": data.PASSWORD})
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 302


def test_each_demo_user_sees_only_their_part_of_the_tree(client, demo):
    from theodoi.plans.selectors import plans_for_user

    def wards_seen(username):
        user = User.objects.get(username=username)
        return {plan.organization.code for plan in plans_for_user(user)}

    assert wards_seen("canbo_vhxh") == {"HP-LECHAN"}
    assert wards_seen("tinh") == {"HP", "HP-LECHAN", "HP-THANHDONG"}
    assert wards_seen("admin") == {
        "HP",
        "HP-LECHAN",
        "HP-THANHDONG",
        "DN-CHONTHANH",
        "DN-PHUOCBINH",
    }


def test_demo_has_work_to_show(demo):
    """Reports, a file accepted, one rejected, one waiting, and the alerts they raise."""
    from theodoi.alerts.models import Alert
    from theodoi.reporting.models import Evidence, ProgressReport

    plan = Plan.objects.get(number="110/KH-UBND")
    assert ProgressReport.objects.filter(task__plan=plan).count() == len(data.ACTIVITY) + len(
        REPORT_WORDS
    )
    police = plan.tasks.get(section__code="PL", code="8")
    assert police.completed_on is not None
    waiting = Evidence.objects.filter(task__plan=plan, reviews__isnull=True)
    # Beside the files the evidence checks flag (tests/demo/test_demo_checks.py): a report's
    # file, and the signed minutes replacing a rejected photo (theodoi.demo.evidence).
    assert waiting.exclude(original_name__in=demo_checks.FILES).count() == 2
    assert Alert.objects.filter(
        task=plan.tasks.get(section__code="PL", code="7"), rule="evidence_rejected", closed_at=None
    ).exists()
    assert Alert.objects.filter(organization=demo, rule="overdue", closed_at=None).exists()


def test_the_demo_alert_emails_wait_for_the_worker_and_it_sends_them(db, settings, mailoutbox):
    """`make demo` runs a worker beside the server: the demo queues its first digests, the
    worker mails them (the demo prints them on its console)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    load_demo()
    assert mailoutbox == []
    with signals_kept():
        call_command("worker", "--once", stdout=StringIO(), stderr=StringIO())
    assert mailoutbox, "the demo has alerts, and people who receive them"
    assert all(message.to[0].endswith("@theodoi.example") for message in mailoutbox)
    assert {message.to[0] for message in mailoutbox} >= {"lanhdao@theodoi.example"}


def test_the_demo_stops_its_worker_with_the_server(monkeypatch):
    """Whatever ends the server (Ctrl+C, an error), the worker gets SIGTERM and is waited for."""
    import subprocess
    import sys

    from theodoi.demo.management.commands import demo as command

    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    command._stop(worker)
    assert worker.returncode is not None


def test_the_office_completed_the_demo_plan_in_the_app_and_amended_it(demo):
    """The plan's body names no unit and no deadline; the office gave every task its lead unit
    and deadline through the bulk assignment (each change audited under its name), then
    recorded an amendment that moved a deadline, added a task and withdrew one."""
    plan = Plan.objects.get(number="110/KH-UBND")
    assert not with_lead_flag(plan.tasks.all()).filter(NOT_TRACKABLE).exists()
    office = User.objects.get(username="vanphong")
    assigned = AuditEvent.objects.filter(action="task.update", actor=office)
    assert assigned.count() >= 34
    amendment = PlanAmendment.objects.get(plan=plan)
    assert (amendment.version, amendment.number) == (1, data.AMENDMENT["number"])
    assert {change["kind"] for change in amendment.changes} == {"added", "changed", "withdrawn"}
    moved = plan.tasks.get(section__code="3", code="3.4")
    assert moved.deadline_text == "Quý IV/2026"
    assert moved.original_deadline_text == "Quý III/2026"
    assert moved.original_due_date < moved.due_date
    withdrawn = Task.all_objects.get(plan=plan, section__code="7", code="7.4")
    assert withdrawn.is_withdrawn
    assert not plan.tasks.filter(pk=withdrawn.pk).exists()
    assert plan.tasks.filter(section__code="PL", code="9").exists()
    weekly = plan.tasks.get(section__code="PL", code="8")
    assert (weekly.cycle, plan.reporting_cycle) == ("weekly", "yearly")
    # The other ward's plan is left as imported: the completeness page has work to show there.
    thanh_dong = Plan.objects.get(organization__code="HP-THANHDONG")
    assert with_lead_flag(thanh_dong.tasks.all()).filter(NOT_TRACKABLE).count() == 27


def test_demo_shows_a_replacement_chain_and_a_file_to_replace(demo, client):
    """The review queue shows the minutes beside the photo they replace and its rejection; the
    police officer's landing page lists the photo still to replace."""
    from theodoi.reporting.models import Evidence

    minutes = Evidence.objects.get(original_name="bien-ban-hoi-nghi-quan-triet.pdf")
    assert minutes.replaces.original_name == "anh-hoi-nghi-quan-triet.png"
    assert minutes.report is None and minutes.task.reports.get().status == "accepted"
    client.force_login(User.objects.get(username="vanphong"))
    queue = client.get(reverse("review_queue")).content.decode()
    assert "Thay thế cho" in queue and "đề nghị bổ sung biên bản có chữ ký" in queue
    client.force_login(User.objects.get(username="canbo_congan"))
    landing = client.get(reverse("my_tasks")).content.decode()
    assert "Cần xử lý" in landing and "anh-kiem-tra-an-ninh-mang.png" in landing
    assert "Gửi minh chứng thay thế" in landing


def test_demo_has_a_report_sent_back_and_sent_again(demo, client):
    """The police's weekly report was returned and sent again: the task page shows the return
    between the two sendings and the time it was sent again."""
    section, code = data.WEEKLY_TASK
    task = Plan.objects.get(number="110/KH-UBND").tasks.get(section__code=section, code=code)
    report = task.reports.get()
    assert report.status == "submitted" and "9 trường học" in report.result
    client.force_login(User.objects.get(username="vanphong"))
    page = client.get(reverse("task_detail", args=[task.pk])).content.decode()
    assert "Gửi lại báo cáo Tuần" in page and "sau khi bị trả lại" in page
    assert "Trả lại báo cáo" in page and "Đề nghị ghi rõ tên các cơ quan" in page
    assert "gửi lại lúc" in page
