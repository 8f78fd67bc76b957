"""The chain of plans for tests: Hải Phòng's plan 49/KH-UBND imported into the province, its
tasks assigned to the wards as the document says, and a ward's plan that carries it out."""

from pathlib import Path
from types import SimpleNamespace

from tests.factories import OrganizationFactory, ProvinceFactory, UnitFactory, UserFactory
from theodoi.core.access import SYSTEM
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.services import import_draft
from theodoi.org.models import Role
from theodoi.plans.models import WardAssignment
from theodoi.plans.services import task_assign_wards

DEMO = Path(__file__).resolve().parents[1] / "theodoi" / "demo"
PROVINCE_PLAN = DEMO / "documents" / "ke-hoach-49-ubnd-hai-phong.md"
LE_CHAN_SEED = DEMO / "seeds" / "004_2012e056c438d090.txt"


def import_province_plan(province, wards):
    """Plan 49/KH-UBND in ``province``: tasks led by "UBND các xã, phường" go to every ward,
    task 3.3 to the wards it names (found in ``wards`` by name)."""
    draft = draft_from_bytes(PROVINCE_PLAN.read_bytes(), name=PROVINCE_PLAN.name)
    plan = import_draft(actor=SYSTEM, draft=draft, ward=province, source_name="49.md").plan
    for task in plan.tasks.all():
        if task.lead_units_raw == "UBND các xã, phường":
            task_assign_wards(actor=SYSTEM, task=task, assignment=WardAssignment.ALL_WARDS)
        elif task.lead_units_raw.startswith("UBND phường"):
            named = [
                ward for ward in wards if ward.name.removeprefix("Phường ") in task.lead_units_raw
            ]
            task_assign_wards(
                actor=SYSTEM, task=task, assignment=WardAssignment.LISTED_WARDS, wards=named
            )
    return plan


def import_seed(ward, path=LE_CHAN_SEED):
    draft = draft_from_bytes(path.read_bytes(), name=path.name)
    return import_draft(actor=SYSTEM, draft=draft, ward=ward, source_name=path.name).plan


def hai_phong(*, with_province_plan: bool = True) -> SimpleNamespace:
    province = ProvinceFactory(name="Thành phố Hải Phòng", code="HP")
    le_chan = OrganizationFactory(name="Phường Lê Chân", code="HP-LECHAN", parent=province)
    thanh_dong = OrganizationFactory(name="Phường Thành Đông", code="HP-THANHDONG", parent=province)
    other = OrganizationFactory(name="Phường Hồng Bàng", code="HP-HONGBANG", parent=province)
    unit = UnitFactory(organization=le_chan, name="Phòng Văn hóa - Xã hội")
    people = SimpleNamespace(
        office=UserFactory(username="vanphong", organization=le_chan, role=Role.STANDING_OFFICE),
        officer=UserFactory(username="canbo", unit=unit, role=Role.UNIT_OFFICER),
        upper=UserFactory(username="tinh", organization=province, role=Role.UPPER_LEVEL),
        other_office=UserFactory(username="vp_khac", organization=other, role=Role.STANDING_OFFICE),
    )
    province_plan = (
        import_province_plan(province, [le_chan, thanh_dong]) if with_province_plan else None
    )
    return SimpleNamespace(
        province=province,
        le_chan=le_chan,
        thanh_dong=thanh_dong,
        other=other,
        unit=unit,
        people=people,
        province_plan=province_plan,
    )
