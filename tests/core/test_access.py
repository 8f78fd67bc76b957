"""Every rule of DESIGN.md §5, proven both ways: the role allowed, and the roles refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from theodoi.core.access import READ_ACTIONS, Action, can
from theodoi.org.selectors import organizations_for_user
from theodoi.plans.selectors import plans_for_user, task_get_for_user, tasks_for_user

TODAY = datetime.date(2026, 11, 24)
EVERYONE = [
    "officer",
    "head",
    "police_officer",
    "office",
    "leader",
    "ward_admin",
    "upper",
    "other_upper",
    "other_ward",
]


def _who_can(world, action, obj):
    return {name for name in EVERYONE if can(getattr(world.people, name), action, obj)}


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (
            Action.VIEW,
            {"officer", "head", "police_officer", "office", "leader", "ward_admin", "upper"},
        ),
        (Action.REPORT, {"officer", "head", "office"}),
        (Action.CONFIRM_REPORT, {"head"}),
        (Action.REVIEW, {"office"}),
        (Action.MANAGE_PLAN, {"office", "ward_admin"}),
        (Action.DIRECT, {"leader"}),
        (Action.ANSWER_DIRECTIVE, {"officer", "head", "office"}),
        (Action.COMPILE_REPORTS, {"office"}),
        (Action.MANAGE_ORG, {"ward_admin"}),
    ],
    ids=lambda v: v.value if isinstance(v, Action) else None,
)
def test_rules_on_a_task_of_the_officers_unit(world, action, allowed):
    """Each action on a task led by Phòng VH-XH of ward A is open to exactly these roles."""
    assert _who_can(world, action, world.task_vhxh) == allowed


def test_unit_officer_cannot_report_on_another_units_task(world):
    assert can(world.people.police_officer, Action.REPORT, world.task_police)
    assert not can(world.people.officer, Action.REPORT, world.task_police)
    assert not can(world.people.police_officer, Action.REPORT, world.task_vhxh)


def test_other_wards_standing_office_can_do_nothing_in_ward_a(world):
    charlie = world.people.other_ward
    for action in Action:
        assert not can(charlie, action, world.task_vhxh), action
    assert can(charlie, Action.MANAGE_PLAN, world.plan_b)


def test_upper_level_reads_every_ward_below_it_but_changes_nothing(world):
    upper = world.people.upper
    assert set(plans_for_user(upper)) == {world.plan_a, world.plan_b}
    for action in set(Action) - READ_ACTIONS:
        assert not can(upper, action, world.task_vhxh), action
    assert can(upper, Action.SEE_WARD_DASHBOARD, world.ward_a)
    assert can(upper, Action.SEE_PROVINCE, None)


def test_upper_level_of_another_province_reads_nothing(world):
    assert list(plans_for_user(world.people.other_upper)) == []
    assert world.ward_a not in organizations_for_user(world.people.other_upper)


def test_ward_people_read_only_their_ward(world):
    for name in ["officer", "head", "police_officer", "office", "leader", "ward_admin"]:
        person = getattr(world.people, name)
        assert set(plans_for_user(person)) == {world.plan_a}, name
        tasks = set(tasks_for_user(person, today=TODAY))
        assert world.task_b not in tasks and world.task_vhxh in tasks, name


def test_task_of_another_ward_is_not_found_rather_than_forbidden(world):
    """Hiding existence: another ward's task is a 404, not a 403."""
    with pytest.raises(Http404):
        task_get_for_user(world.people.officer, world.task_b.pk, today=TODAY)


def test_visible_task_without_the_right_is_forbidden(world):
    with pytest.raises(PermissionDenied):
        task_get_for_user(
            world.people.officer, world.task_police.pk, today=TODAY, action=Action.REPORT
        )
    task = task_get_for_user(
        world.people.officer, world.task_vhxh.pk, today=TODAY, action=Action.REPORT
    )
    assert task == world.task_vhxh


def test_inactive_and_anonymous_users_can_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    officer = world.people.officer
    officer.is_active = False
    assert not can(officer, Action.VIEW, world.task_vhxh)
    assert list(plans_for_user(officer)) == []
    assert not can(AnonymousUser(), Action.VIEW, world.task_vhxh)


def test_superuser_may_do_everything(world):
    root = world.people.officer
    root.is_superuser = True
    assert all(can(root, action, world.task_b) for action in Action)
