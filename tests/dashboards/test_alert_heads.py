"""The ward dashboard keeps what each shown alert says in the cache (``alerts.selectors.
with_heads``): read again only while nothing it shows has changed; the acknowledge form, with
its token, is rendered for each page."""

import re

from django.core.cache import cache
from django.urls import reverse

from tests.dashboards.test_ward_dashboard import page
from theodoi.alerts.services import alert_acknowledge
from theodoi.plans.services import task_update


def _item(html: str, alert) -> str:
    (item,) = re.findall(rf'<li class="list-group-item" id="alert-{alert.pk}".*?</li>', html, re.S)
    return item


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_the_page_from_the_cache_is_the_page_rendered_afresh(login, world, board):
    client = login(world.people.office)
    cache.clear()
    fresh = page(client).content.decode()
    cached = page(client).content.decode()
    assert _without_tokens(cached) == _without_tokens(fresh)
    # Each form still has a token of this page, not one kept from another page.
    assert 'name="csrfmiddlewaretoken"' in _item(cached, board.alerts.open)
    assert _item(cached, board.alerts.open) != _item(fresh, board.alerts.open)


def test_an_acknowledgement_and_a_new_title_show_at_once(login, world, board):
    client = login(world.people.office)
    alert = board.alerts.open
    before = _item(page(client).content.decode(), alert)
    assert 'data-testid="alert-acknowledged"' not in before and "Lắp camera an ninh" in before
    alert_acknowledge(actor=world.people.office, alert=alert, note="Đang lắp đặt")
    task_update(
        actor=world.people.ward_admin,
        task=board.tasks.overdue_police,
        changes={"title": "Lắp camera giám sát"},
    )
    after = _item(page(client).content.decode(), alert)
    assert 'data-testid="alert-acknowledged"' in after and "«Đang lắp đặt»" in after
    assert "Lắp camera giám sát" in after


def test_whoever_may_not_act_gets_no_form_from_the_cache(login, world, board):
    """The form depends on the person: the office's page put the alert in the cache, the
    leader's page shows the same alert without it."""
    office_page = page(login(world.people.office)).content.decode()
    assert 'data-testid="alert-form"' in _item(office_page, board.alerts.open)
    leader = page(login(world.people.leader))
    if board.alerts.open.pk not in leader.context["board"].can_manage_alerts:
        assert 'data-testid="alert-form"' not in _item(leader.content.decode(), board.alerts.open)
    assert reverse("alert_list") in leader.content.decode()
