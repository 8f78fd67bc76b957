"""The long forms of the plan pages are guarded against leaving with unsaved typing
(``data-unsaved-warning``, read by static/theodoi/unsaved.js on every page), and a form shown
again after a refusal, with what was typed in it, counts as unsaved from the start
(``data-unsaved-dirty``). The browser side is in tests/e2e/test_assessment_unsaved_browser.py."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(values)
        elif tag == "script" and "src" in values:
            self.scripts.append(values["src"])


def _forms(response) -> _Forms:
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser


def _form(response, **match) -> dict[str, str]:
    """The page's one form whose attributes contain ``match`` (an attribute's value by part)."""
    found = [
        form
        for form in _forms(response).forms
        if all(part in form.get(name.replace("_", "-"), "") for name, part in match.items())
    ]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("name", "subject", "match"),
    [
        ("task_edit", "task_vhxh", {"class": "task-form"}),
        ("task_withdraw", "task_vhxh", {"method": "post", "class": "mw-40rem"}),
        ("plan_edit", "plan_a", {"class": "mw-40rem"}),
        ("plan_withdraw", "plan_a", {"class": "mw-40rem"}),
        ("amendment_create", "plan_a", {"id": "amendment-form"}),
        ("plan_complete", "plan_a", {"id": "bulk-assign"}),
    ],
)
def test_the_plan_pages_long_forms_ask_before_leaving(
    world, client, bare_tasks, name, subject, match
):
    bare_tasks(2)  # the completion page lists tasks only while some lack something
    client.force_login(world.people.office)
    response = client.get(reverse(name, args=[getattr(world, subject).pk]))
    assert response.status_code == 200
    form = _form(response, **match)
    assert "data-unsaved-warning" in form and "data-unsaved-dirty" not in form
    assert any(src.endswith("/theodoi/unsaved.js") for src in _forms(response).scripts)


def test_the_task_pages_report_and_directive_forms_ask_before_leaving(world, client):
    url = world.task_vhxh.get_absolute_url()
    client.force_login(world.people.officer)
    report = _form(client.get(url), action=reverse("report_submit", args=[world.task_vhxh.pk]))
    assert "data-unsaved-warning" in report and "data-unsaved-dirty" not in report
    client.force_login(world.people.leader)
    directive = reverse("directive_create", args=[world.task_vhxh.pk])
    assert "data-unsaved-warning" in _form(client.get(url), action=directive)


def test_a_refused_task_edit_comes_back_unsaved(world, client):
    client.force_login(world.people.office)
    url = reverse("task_edit", args=[world.task_vhxh.pk])
    response = client.post(url, {"title": "", "deadline_text": "Quý IV/2026"})
    assert response.status_code == 400
    form = _form(response, **{"class": "task-form"})
    assert "data-unsaved-warning" in form and "data-unsaved-dirty" in form
    assert 'value="Quý IV/2026"' in response.content.decode()
