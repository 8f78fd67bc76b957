"""A ward's draft that names a province plan in the system: each task is proposed the province
task it carries out, the person confirms or changes it, and saving links them."""

import pytest
from django.urls import reverse

from tests.cascade import LE_CHAN_SEED, hai_phong
from tests.importer.test_import_pages import save_form, upload
from theodoi.importer.models import ImportDraft
from theodoi.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def hp(client):
    chain = hai_phong()
    client.force_login(chain.people.office)
    return chain


def _index(draft, section, code):
    return next(i for i, t in enumerate(draft.tasks) if (t.section, t.code) == (section, code))


def test_the_draft_proposes_and_saving_links_what_the_person_chose(client, hp):
    upload(client, LE_CHAN_SEED)
    stored = ImportDraft.objects.get()
    page = client.get(reverse("import_review", args=[stored.pk]))
    uppers, draft = page.context["uppers"], page.context["draft"]
    assert [plan.number for plan in uppers.plans] == ["49/KH-UBND"]
    assert "49/KH-UBND" in page.content.decode()
    upper = {task.code: task for _, tasks in uppers.groups for task in tasks}
    assert uppers.proposed[_index(draft, "PL", "8")] == upper["4.2"].pk
    assert uppers.proposed[_index(draft, "PL", "7")] == upper["1.2"].pk
    # The select of each row, as the browser sends it: the proposal, changed for two rows.
    form = save_form(client, stored)
    for index, chosen in enumerate(uppers.selected):
        form[f"task-{index}-upper"] = str(chosen or "")
    form[f"task-{_index(draft, 'PL', '8')}-upper"] = ""
    form[f"task-{_index(draft, 'PL', '3')}-upper"] = str(upper["3.3"].pk)
    response = client.post(reverse("import_review", args=[stored.pk]), form)
    plan = Plan.objects.get(number="110/KH-UBND", organization=hp.le_chan)
    assert response.status_code == 302, response.content.decode()[:2000]
    linked = {
        (task.section.code, task.code): task.upper_task.code
        for task in plan.tasks.filter(upper_task__isnull=False).select_related("section")
    }
    assert linked[("PL", "7")] == "1.2"
    assert linked[("PL", "3")] == "3.3"
    assert ("PL", "8") not in linked
    assert len(linked) == sum(1 for chosen in uppers.selected if chosen)
    assert list(plan.parents.all()) == [hp.province_plan]


def test_a_task_the_ward_may_not_carry_out_is_refused_with_what_to_do(client, hp):
    upload(client, LE_CHAN_SEED)
    stored = ImportDraft.objects.get()
    form = save_form(client, stored)
    own = hp.province_plan.tasks.get(code="1.3")  # the Sở Nội vụ's own task
    form["task-0-upper"] = str(own.pk)
    response = client.post(reverse("import_review", args=[stored.pk]), form)
    assert response.status_code == 400
    assert "Chọn lại" in response.content.decode()
    assert not Plan.objects.filter(number="110/KH-UBND").exists()
    form["task-0-upper"] = "abc"
    response = client.post(reverse("import_review", args=[stored.pk]), form)
    assert response.status_code == 400


def test_a_draft_naming_no_plan_in_the_system_offers_no_choice(client):
    chain = hai_phong(with_province_plan=False)
    client.force_login(chain.people.office)
    upload(client, LE_CHAN_SEED)
    stored = ImportDraft.objects.get()
    page = client.get(reverse("import_review", args=[stored.pk]))
    assert page.context["uppers"].plans == []
    assert 'name="task-0-upper"' not in page.content.decode()
