"""The coverage on the draft page and in `theodoi import_plan`: what became of the text, the
blocks left out with their lines, and adding one as a task by hand."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.importer.seeds import seed_path
from tests.importer.test_coverage import bullet_plan
from tests.importer.test_import_pages import save_form, upload
from theodoi.audit.models import AuditEvent
from theodoi.importer.models import ImportDraft
from theodoi.importer.recognise.coverage import few_tasks_message
from theodoi.plans.models import Plan


@pytest.fixture
def office(client, world):
    client.force_login(world.people.office)
    return client


def test_the_draft_page_shows_the_coverage_and_the_left_out_blocks(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    response = office.get(reverse("import_review", args=[stored.pk]))
    page = response.content.decode()
    coverage = response.context["coverage"]
    assert "Văn bản của tài liệu đã được đọc thành gì" in page
    # One bar segment per kind of text the document has, named in the legend.
    for segment in response.context["coverage_segments"]:
        assert f'class="coverage-{segment["kind"]}"' in page
    assert coverage.left_out, "seed 004 leaves its organisation part out of the draft"
    assert f"Bị bỏ sót: {len(coverage.left_out)} khối" in page
    for block in coverage.left_out:
        assert f'name="add_block" value="{block.source}"' in page
        assert block.text[:40] in page
    first = coverage.left_out[0]
    assert first.source.replace("line", "dòng") in page  # the line, in words
    assert "Thêm thành nhiệm vụ" in page
    assert 'id="few-tasks"' not in page


def test_a_left_out_block_is_added_as_a_task_keeping_the_edits_then_saved(office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    block = next(b for b in stored.data["coverage"]["left_out"] if b["source"] == "line 131")
    form = save_form(office, stored, **{"plan-title": "Kế hoạch đã sửa"})
    form.pop("action")
    form["add_block"] = block["source"]
    response = office.post(reverse("import_review", args=[stored.pk]), form)
    assert response.status_code == 302
    assert response.url == reverse("import_review", args=[stored.pk]) + "#added-task"
    stored.refresh_from_db()
    assert stored.status == "open"  # added, not saved
    assert stored.data["plan"]["title"] == "Kế hoạch đã sửa"  # the other edits are kept
    added = next(t for t in stored.data["tasks"] if t["row"] == "line 131")
    # Its number is no part of its name ("1. Các cơ quan, …").
    assert block["text"].startswith("1. ") and added["title"].startswith(block["text"][3:40])
    assert "line 131" not in {b["source"] for b in stored.data["coverage"]["left_out"]}
    event = AuditEvent.objects.get(object_id=str(stored.pk), action="import.block_added")
    assert "line 131" in event.summary
    page = office.get(response.url)
    html = page.content.decode()
    assert f"đã được thêm thành nhiệm vụ {added['code']}" in html
    assert 'id="added-task"' in html
    assert 'value="line 131"' not in html  # no longer among the left-out blocks
    # Adding it again is refused with a message, not a second task.
    again = office.post(reverse("import_review", args=[stored.pk]), form)
    assert again.status_code == 400
    assert "Không có khối bị bỏ sót nào ở dòng 131" in again.content.decode()
    # The person completes it and saves the plan: the task is there.
    draft = page.context["draft"]
    index = next(i for i, t in enumerate(draft.tasks) if t.row == "line 131")
    save = save_form(
        office,
        stored,
        **{
            f"task-{index}-lead_units_raw": "Phòng Văn hóa - Xã hội",
            f"task-{index}-title": "Quán triệt Kế hoạch",
        },
    )
    office.post(reverse("import_review", args=[stored.pk]), save)
    plan = Plan.objects.get(number="110/KH-UBND")
    # No section of the draft stands before it in its part: it is a task without a section.
    assert added["section"] == ""
    task = plan.tasks.get(section__isnull=True, code=added["code"])
    assert task.title == "Quán triệt Kế hoạch"


def test_only_the_office_may_add_a_block(client, office, world):
    upload(office, seed_path("004"))
    stored = ImportDraft.objects.get()
    client.force_login(world.people.officer)
    response = client.post(reverse("import_review", args=[stored.pk]), {"add_block": "line 131"})
    assert response.status_code == 403
    stored.refresh_from_db()
    assert not any(t["row"] == "line 131" for t in stored.data["tasks"])


def test_a_long_plan_with_few_tasks_says_so_at_the_top(office, world):
    text, _ = bullet_plan(marked=False)
    upload(office, text.encode(), name="ke-hoach-45.txt")
    stored = ImportDraft.objects.get()
    response = office.get(reverse("import_review", args=[stored.pk]))
    assert response.context["draft"].coverage.few_tasks
    page = response.content.decode()
    assert 'id="few-tasks"' in page
    assert page.index('id="few-tasks"') < page.index('id="h-tasks"')
    assert "Số nhiệm vụ đọc được quá ít so với độ dài tài liệu" in page
    # Said once at the top, not repeated in the list of things to check.
    assert page.count(few_tasks_message(response.context["draft"].coverage)) == 1


def test_the_command_prints_the_coverage_and_the_left_out_lines(db, capsys):
    call_command("import_plan", str(seed_path("004")), "--dry-run", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    coverage = data["coverage"]
    left = coverage["left_out"]
    assert coverage["few_tasks"] is False
    assert round(sum(coverage["shares"].values())) == 100
    assert coverage["total_chars"] == sum(coverage["chars"].values())
    call_command("import_plan", str(seed_path("004")), "--dry-run")
    out = capsys.readouterr().out
    assert (
        f"Mức đọc văn bản của tài liệu ({coverage['total_chars']:,} ký tự".replace(",", ".") in out
    )
    share = f"{coverage['shares']['tasks']:g}".replace(".", ",")
    assert f"nhiệm vụ {share}%" in out
    in_tasks = sum(block["task_part"] for block in left)
    assert f"Bị bỏ sót: {len(left)} khối ({in_tasks} khối ở các phần nêu nhiệm vụ" in out
    for block in left:
        mark = "*" if block["task_part"] else " "
        line = block["source"].split(", ")[0].replace("line", "Dòng")
        assert f"  {mark} {line}" in out
        assert " ".join(block["text"].split())[:60] in out
