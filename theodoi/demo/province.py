"""The province's own plan: Hải Phòng's departments, its standing office (at the Department of
Science and Technology, which follows the plan), and plan 49/KH-UBND imported through the same
importer a ward uses. The plan's lead-unit cells give most tasks to every ward and commune, one
task to two named wards and the rest to the departments; the wards' own plans, imported after
it, name it as the plan they carry out."""

import hashlib
from pathlib import Path

from theodoi.core.access import SYSTEM
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.importer.services import DraftEdits, import_draft_create, import_draft_update
from theodoi.org import services as org_services
from theodoi.org.models import Organization, User
from theodoi.plans import services as plan_services
from theodoi.plans.models import Plan, ReportingCycle

DOCUMENT = Path(__file__).parent / "documents" / "ke-hoach-49-ubnd-hai-phong.md"

# (canonical name, short name, aliases as plans spell them). Vietnamese on purpose: the city's
# departments as its documents name them.
DEPARTMENTS = [
    ("Sở Khoa học và Công nghệ", "Sở KH&CN", ["Sở KHCN", "Sở KH và CN"]),
    ("Sở Nội vụ", "Sở NV", []),
    ("Văn phòng UBND thành phố", "VP UBND TP", ["Văn phòng Ủy ban nhân dân thành phố"]),
    ("Sở Tài chính", "Sở TC", []),
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", ["Sở VH-TT-DL"]),
    ("Công an thành phố", "CATP", []),
]
SCIENCE = DEPARTMENTS[0][0]

# (username, role, unit, full name, position): the province's standing office.
# Vietnamese on purpose: the person's name and position as the city writes them.
USER = ("vanphongtinh", "standing_office", SCIENCE, "Vũ Thị Thu", "Chuyên viên Sở KH&CN")


def load_province_plan(province: Organization, password: str) -> Plan:
    """Create the departments and the standing office of ``province`` and import its plan as
    that office would: upload, then save the draft."""
    for name, short_name, aliases in DEPARTMENTS:
        org_services.unit_create(
            actor=SYSTEM,
            organization=province,
            name=name,
            short_name=short_name,
            aliases=aliases,
        )
    username, role, unit_name, full_name, position = USER
    *first, last = full_name.split()
    office: User = org_services.user_create(
        actor=SYSTEM,
        username=username,
        password=password,
        role=role,
        organization=province,
        unit=province.units.get(name=unit_name),
        first_name=" ".join(first),
        last_name=last,
        position=position,
        email=f"{username}@theodoi.example",
    )
    content = DOCUMENT.read_bytes()
    stored = import_draft_create(
        actor=office,
        ward=province,
        draft=draft_from_bytes(content, name=DOCUMENT.name),
        source_name=DOCUMENT.name,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    result = import_draft_update(actor=office, stored_pk=stored.pk, edits=DraftEdits())
    if result is None:
        raise RuntimeError("the province plan's draft was closed before it was saved")
    plan = result.plan
    if plan.reporting_cycle != ReportingCycle.QUARTERLY:
        # The wards report to the province every quarter (section IV of the plan).
        plan_services.plan_update(
            actor=office, plan=plan, changes={"reporting_cycle": ReportingCycle.QUARTERLY}
        )
    return plan
