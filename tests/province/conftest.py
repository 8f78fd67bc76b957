"""A province with its departments, wards and people, and its plan 49/KH-UBND to import."""

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
from theodoi.core.roles import Role
from theodoi.demo.province import DEPARTMENTS, DOCUMENT


@pytest.fixture
def province(db):
    city = ProvinceFactory(name="Thành phố Hải Phòng")
    other_city = ProvinceFactory(name="Tỉnh Đồng Nai")
    le_chan = OrganizationFactory(name="Phường Lê Chân", parent=city)
    thanh_dong = OrganizationFactory(name="Phường Thành Đông", parent=city)
    an_binh = OrganizationFactory(name="Xã An Bình", parent=city, kind="commune")
    elsewhere = OrganizationFactory(name="Phường Chơn Thành", parent=other_city)
    departments = {
        name: UnitFactory(organization=city, name=name) for name, _short, _aliases in DEPARTMENTS
    }
    ward_unit = UnitFactory(organization=le_chan, name="Phòng Văn hóa - Xã hội")
    ward_plan = PlanFactory(organization=le_chan)
    ward_task = TaskFactory(plan=ward_plan, lead_units=[ward_unit])
    people = SimpleNamespace(
        office=UserFactory(username="vanphongtinh", organization=city, role=Role.STANDING_OFFICE),
        upper=UserFactory(username="tinh", organization=city, role=Role.UPPER_LEVEL),
        ward_office=UserFactory(username="vanphong", unit=ward_unit, role=Role.STANDING_OFFICE),
        other_upper=UserFactory(username="dongnai", organization=other_city, role=Role.UPPER_LEVEL),
    )
    return SimpleNamespace(
        city=city,
        le_chan=le_chan,
        thanh_dong=thanh_dong,
        an_binh=an_binh,
        elsewhere=elsewhere,
        departments=departments,
        ward_plan=ward_plan,
        ward_task=ward_task,
        people=people,
        document=DOCUMENT,
    )
