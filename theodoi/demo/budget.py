"""The demo's budget lines typed on the web. Lê Chân's plan has no estimate table (its document
only asks the economy office to arrange the funds), so the standing office added the lines it
knows on the budget page, each linked to the task it pays for; Phước Bình's second plan shows
the other source, lines imported from its document's appendix."""

from decimal import Decimal

from theodoi.budget.services import LineInput, budget_line_add
from theodoi.org.models import Organization, User

# Vietnamese on purpose: what the office typed, content of the ward's plan.
LINES = [
    ("4.4", "Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức phường", 2026, "45.5"),
    ("5.4", "Thiết bị ký số và chứng thư số cho bộ phận một cửa", 2026, "120"),
]


def add_budget_lines(ward: Organization, office: User) -> None:
    plan = ward.plans.get()
    for code, content, year, estimate in LINES:
        budget_line_add(
            actor=office,
            plan=plan,
            data=LineInput(
                content=content,
                year=year,
                estimate=Decimal(estimate),
                task=plan.tasks.filter(code=code).order_by("order", "id").first(),
            ),
        )
