"""Demo: the wards' tasks linked to the province tasks they carry out ("cụ thể hóa").

Runs after the wards' plans are imported. Each ward's office confirms the links proposed for
its plan (``plans.selectors.proposed_upper_tasks``) except those to the province tasks listed
in ``LEFT_OPEN``, which stay on the ward's "not yet made concrete" list. Without a province
plan in the system it does nothing.
"""

from theodoi.core.access import SYSTEM, Actor
from theodoi.org.models import Organization, User
from theodoi.plans import selectors
from theodoi.plans import services as plan_services

# The wards whose proposals are confirmed, with the user who confirms them (None: the system).
WARDS = [("HP-LECHAN", "vanphong"), ("HP-THANHDONG", None)]
# Codes of province tasks the demo wards have not linked yet, so that the list of upper-level
# tasks not made concrete shows something.
LEFT_OPEN = {"5.1"}


def link_ward_tasks(users: dict[str, User]) -> int:
    """Confirm the proposed links of the demo wards' plans; returns how many were made."""
    made = 0
    for code, username in WARDS:
        ward = Organization.objects.filter(code=code).first()
        if ward is None or not selectors.upper_plans(ward).exists():
            continue
        actor: Actor = users[username] if username else SYSTEM
        for plan in ward.plans.all():
            proposals = selectors.proposed_upper_tasks(plan)
            links = {
                task: proposals[task.pk]
                for task in plan.tasks.filter(pk__in=proposals)
                if proposals[task.pk].code not in LEFT_OPEN
            }
            if links:
                made += len(plan_services.plan_link_uppers(actor=actor, plan=plan, links=links))
    return made
