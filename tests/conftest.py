"""Personas (DESIGN.md §5) in two wards of one province, and a temporary media folder.

Ward A is where the action is; ward B is the "other ward" that must see nothing of A.
"""

from types import SimpleNamespace

import pytest

from tests.factories import (
    OrganizationFactory,
    PlanFactory,
    ProvinceFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from theodoi.org.models import Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Counters kept in the cache (the password reset throttle) must not leak between tests.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _interface_language():
    # LocaleMiddleware activates a request's language in the thread and nothing turns it off:
    # a test that switches a page to English would turn the next test's messages English.
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def world(db):

    province = ProvinceFactory(name="Tỉnh Thử Nghiệm")
    other_province = ProvinceFactory(name="Tỉnh Khác")
    ward_a = OrganizationFactory(name="Phường An Bình", parent=province)
    ward_b = OrganizationFactory(name="Phường Bình Minh", parent=province)
    vhxh = UnitFactory(organization=ward_a, name="Phòng Văn hóa - Xã hội")
    police = UnitFactory(organization=ward_a, name="Công an phường")
    unit_b = UnitFactory(organization=ward_b, name="Phòng Văn hóa - Xã hội")
    plan_a = PlanFactory(organization=ward_a)
    plan_b = PlanFactory(organization=ward_b)
    task_vhxh = TaskFactory(plan=plan_a, title="Triển khai chữ ký số cho cán bộ", lead_units=[vhxh])
    task_police = TaskFactory(plan=plan_a, title="Bảo đảm an ninh mạng", lead_units=[police])
    task_b = TaskFactory(plan=plan_b, title="Nhiệm vụ của phường khác", lead_units=[unit_b])
    people = SimpleNamespace(
        officer=UserFactory(username="alice", unit=vhxh, role=Role.UNIT_OFFICER),
        head=UserFactory(username="hanh", unit=vhxh, role=Role.UNIT_HEAD),
        police_officer=UserFactory(username="bob", unit=police, role=Role.UNIT_OFFICER),
        office=UserFactory(username="olga", unit=vhxh, role=Role.STANDING_OFFICE),
        leader=UserFactory(username="lan", organization=ward_a, role=Role.LEADER),
        ward_admin=UserFactory(
            username="quan", organization=ward_a, role=Role.ADMIN, is_staff=True
        ),
        upper=UserFactory(username="tinh", organization=province, role=Role.UPPER_LEVEL),
        other_upper=UserFactory(
            username="khac", organization=other_province, role=Role.UPPER_LEVEL
        ),
        other_ward=UserFactory(username="charlie", unit=unit_b, role=Role.STANDING_OFFICE),
    )
    return SimpleNamespace(
        province=province,
        other_province=other_province,
        ward_a=ward_a,
        ward_b=ward_b,
        vhxh=vhxh,
        police=police,
        unit_b=unit_b,
        plan_a=plan_a,
        plan_b=plan_b,
        task_vhxh=task_vhxh,
        task_police=task_police,
        task_b=task_b,
        people=people,
    )


@pytest.fixture
def bare_tasks(world, settings):
    """Make ``count`` tasks of plan A as an import leaves them when the plan names nobody and
    no date: no lead unit, no deadline, so not trackable yet (the "6 rõ" to complete)."""
    settings.THEODOI_TODAY = "2026-11-24"

    def make(count: int) -> list:
        return [
            TaskFactory(
                plan=world.plan_a,
                title=f"Nhiệm vụ chưa giao {n}",
                deadline_text="",
                deadline_kind="unknown",
                due_date=None,
            )
            for n in range(count)
        ]

    return make
