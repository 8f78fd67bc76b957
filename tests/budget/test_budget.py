"""The plan's budget: sums exact in Decimal, allocated/disbursed recorded by the economy office or
the standing office (audited, validated in Vietnamese), the ward's total budget, the share spent
on science, technology, innovation and digital transformation against its indicator, and the
page with its access rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory
from theodoi.audit.models import AuditEvent
from theodoi.budget import selectors, services
from theodoi.budget.models import BudgetLine, WardBudget
from theodoi.org.models import Role
from theodoi.plans.models import Indicator, IndicatorMilestone

D = Decimal


@pytest.fixture
def economy(world):
    unit = UnitFactory(
        organization=world.ward_a, name="Phòng Kinh tế, Hạ tầng và Đô thị", records_budget=True
    )
    return UserFactory(username="kinhte", unit=unit, role=Role.UNIT_OFFICER)


@pytest.fixture
def lines(world):
    """Three items over 2026–2027, amounts that float arithmetic cannot add exactly."""
    create = services.budget_lines_create
    office, plan = world.people.office, world.plan_a
    made = create(
        actor=office,
        plan=plan,
        code="1",
        content="Mua sắm máy tính",
        by_year={2026: D("0.1"), 2027: D("1200.005")},
        note="Biểu 2 — DỰ TOÁN 2026-2030",
    )
    made += create(
        actor=office,
        plan=plan,
        code="2",
        content="Wi-Fi công cộng",
        by_year={2026: D("0.2")},
        note="Biểu 2 — DỰ TOÁN 2026-2030",
    )
    made += create(
        actor=office,
        plan=plan,
        code="3",
        content="Camera do tỉnh hỗ trợ",
        by_year={2026: D("500")},
        source=BudgetLine.Source.PROVINCE,
    )
    made += create(actor=office, plan=plan, code="4", content="Tập huấn", by_year={})
    return {(line.code, line.year): line for line in made}


def grid_of(world):
    return selectors.budget_grid(selectors.budget_lines_for_plan(world.plan_a))


# --- Sums -------------------------------------------------------------------------------------


def test_grid_has_a_row_per_item_a_column_per_year_and_exact_totals(world, lines):
    grid = grid_of(world)

    assert grid.years == [2026, 2027]
    ward, province = grid.groups
    assert (ward.source, province.source) == ("ward", "province")
    assert [(row.code, row.cells, row.total) for row in ward.rows] == [
        ("1", [D("0.1"), D("1200.005")], D("1200.105")),
        ("2", [D("0.2"), None], D("0.2")),
        ("4", [None, None], None),  # named without an amount: kept, empty
    ]
    assert ward.totals == [D("0.3"), D("1200.005")]  # 0.1 + 0.2 is exactly 0.3
    assert ward.total == D("1200.305")
    assert province.totals == [D("500"), D("0")]
    assert grid.totals == [D("500.3"), D("1200.005")]
    assert grid.total == D("1700.305")
    assert all(isinstance(value, Decimal) for value in grid.totals + [grid.total])
    assert grid.undated == 1


def test_year_totals_compare_estimate_allocated_and_disbursed(world, lines):
    office = world.people.office
    services.budget_line_record(
        actor=office, line=lines[("1", 2026)], allocated="0,1", disbursed="0,05"
    )
    services.budget_line_record(
        actor=office, line=lines[("2", 2026)], allocated="0,2", disbursed=""
    )

    totals = {item.year: item for item in selectors.year_totals(world.plan_a.budget_lines.all())}

    y2026 = totals[2026]
    assert (y2026.estimate, y2026.allocated, y2026.disbursed) == (D("500.3"), D("0.3"), D("0.05"))
    assert y2026.disbursed_percent == D("16.67")
    assert totals[2027].disbursed_percent is None  # nothing allocated


# --- Recording allocated and disbursed --------------------------------------------------------


def test_economy_office_records_allocated_and_disbursed_with_audit(world, lines, economy):
    line = lines[("1", 2026)]

    record = services.budget_line_record(
        actor=economy, line=line, allocated="1.200,5", disbursed="300", version=1
    )

    line.refresh_from_db()
    assert (line.allocated, line.disbursed, line.version) == (D("1200.5"), D("300"), 2)
    assert record.warnings == []
    event = AuditEvent.objects.get(action="budget.record")
    assert event.actor == economy and event.organization == world.ward_a
    assert event.before == {"allocated": None, "disbursed": None, "version": 1}
    assert event.after == {"allocated": "1200.500", "disbursed": "300.000", "version": 2}


def test_standing_office_may_record_too(world, lines):
    services.budget_line_record(
        actor=world.people.office, line=lines[("2", 2026)], allocated=D("5"), disbursed=None
    )

    assert BudgetLine.objects.get(pk=lines[("2", 2026)].pk).allocated == D("5")


@pytest.mark.parametrize("person", ["officer", "head", "police_officer", "leader", "upper"])
def test_others_may_not_record_amounts(world, lines, person):
    with pytest.raises(PermissionDenied):
        services.budget_line_record(
            actor=getattr(world.people, person),
            line=lines[("1", 2026)],
            allocated="10",
            disbursed="5",
        )
    assert not AuditEvent.objects.filter(action="budget.record").exists()


def test_economy_office_of_another_ward_may_not_record(world, lines):
    unit = UnitFactory(organization=world.ward_b, name="Phòng Kinh tế", records_budget=True)
    stranger = UserFactory(username="kinhte_b", unit=unit, role=Role.UNIT_HEAD)

    with pytest.raises(PermissionDenied):
        services.budget_line_record(
            actor=stranger, line=lines[("1", 2026)], allocated="1", disbursed="1"
        )


@pytest.mark.parametrize(
    ("allocated", "disbursed", "message"),
    [
        ("-5", "", "không được âm"),
        ("10", "-1", "Số kinh phí đã giải ngân không được âm"),
        ("mười", "", "phải là số triệu đồng"),
        ("1,2345", "", "tối đa 3 chữ số thập phân"),
    ],
)
def test_amounts_are_validated_in_vietnamese(world, lines, economy, allocated, disbursed, message):
    with pytest.raises(services.BudgetError, match=message):
        services.budget_line_record(
            actor=economy, line=lines[("1", 2026)], allocated=allocated, disbursed=disbursed
        )
    assert BudgetLine.objects.get(pk=lines[("1", 2026)].pk).allocated is None


def test_more_disbursed_than_allocated_is_saved_with_a_warning(world, lines, economy):
    record = services.budget_line_record(
        actor=economy, line=lines[("1", 2026)], allocated="100", disbursed="120"
    )

    assert record.line.disbursed == D("120")
    assert record.warnings == [
        "Số đã giải ngân (120 triệu đồng) lớn hơn số được giao (100 triệu đồng). Hãy kiểm tra lại."
    ]


def test_a_stale_form_is_refused(world, lines, economy):
    line = lines[("1", 2026)]
    services.budget_line_record(actor=economy, line=line, allocated="1", disbursed="", version=1)

    with pytest.raises(services.StaleBudgetLine):
        services.budget_line_record(
            actor=economy, line=line, allocated="2", disbursed="", version=1
        )
    line.refresh_from_db()
    assert line.allocated == D("1")


# --- The ward's total budget and the share ----------------------------------------------------


def test_standing_office_records_the_ward_total_once_per_year_with_audit(world):
    office = world.people.office
    services.ward_budget_record(actor=office, organization=world.ward_a, year="2026", total="10")
    services.ward_budget_record(actor=office, organization=world.ward_a, year=2026, total="20.000")

    assert WardBudget.objects.get(organization=world.ward_a, year=2026).total == D("20000")
    events = AuditEvent.objects.filter(action="budget.ward_total").order_by("id")
    assert [e.after["total"] for e in events] == ["10.000", "20000.000"]
    assert events[1].before["total"] == "10.000"


@pytest.mark.parametrize("person", ["officer", "leader", "other_ward"])
def test_others_may_not_record_the_ward_total(world, person):
    with pytest.raises(PermissionDenied):
        services.ward_budget_record(
            actor=getattr(world.people, person), organization=world.ward_a, year=2026, total="1"
        )


def test_ward_total_must_be_positive(world):
    with pytest.raises(services.BudgetError, match="lớn hơn 0"):
        services.ward_budget_record(
            actor=world.people.office, organization=world.ward_a, year=2026, total="0"
        )


def _indicator(world, name, target, **extra):
    return Indicator.objects.create(
        plan=world.plan_a, name=name, target=D(target), unit_of_measure="%", **extra
    )


def test_the_wards_budget_share_indicator_is_chosen_over_the_provinces(world):
    _indicator(world, "Tỷ lệ chi ngân sách hằng năm của tỉnh cho khoa học, chuyển đổi số", "3")
    ward_indicator = _indicator(
        world, "Tỷ lệ chi ngân sách hằng năm của phường cho khoa học, công nghệ", "2"
    )
    _indicator(world, "Tỷ lệ hồ sơ trực tuyến", "80")

    assert selectors.budget_share_indicator(world.plan_a) == ward_indicator


def test_share_uses_allocated_until_something_is_disbursed_then_disbursed(world, lines):
    office = world.people.office
    indicator = _indicator(world, "Tỷ lệ chi ngân sách phường cho chuyển đổi số", "2")
    services.ward_budget_record(actor=office, organization=world.ward_a, year=2026, total="15")

    # Nothing allocated yet: the estimate of the ward's own lines (0.1 + 0.2; the province's
    # 500 does not count) is a planned share.
    _, rows = selectors.share_rows(world.plan_a, selectors.budget_lines_for_plan(world.plan_a))
    planned = rows[0]
    assert (planned.year, planned.basis, planned.amount) == (2026, "estimate", D("0.3"))
    assert planned.share == D("2")  # 0.3 / 15 × 100, exactly
    assert (planned.expected, planned.meets) == (D("2"), True)

    services.budget_line_record(
        actor=office, line=lines[("1", 2026)], allocated="0,2", disbursed=""
    )
    services.budget_line_record(
        actor=office, line=lines[("2", 2026)], allocated="0,1", disbursed=""
    )
    _, rows = selectors.share_rows(world.plan_a, selectors.budget_lines_for_plan(world.plan_a))
    assert (rows[0].basis, rows[0].amount, rows[0].meets) == ("allocated", D("0.3"), True)

    services.budget_line_record(
        actor=office, line=lines[("1", 2026)], allocated="0,2", disbursed="0,15"
    )
    found, rows = selectors.share_rows(world.plan_a, selectors.budget_lines_for_plan(world.plan_a))
    assert found == indicator
    assert (rows[0].basis, rows[0].amount, rows[0].share_shown) == ("disbursed", D("0.15"), D("1"))
    assert rows[0].meets is False
    # 2027 has no ward total yet: no share, no verdict.
    assert (rows[1].year, rows[1].share, rows[1].meets) == (2027, None, None)


def test_a_milestone_of_the_year_overrides_the_target(world, lines):
    indicator = _indicator(world, "Tỷ lệ chi ngân sách phường cho khoa học", "3")
    IndicatorMilestone.objects.create(indicator=indicator, year=2026, value=D("1.5"))
    services.ward_budget_record(
        actor=world.people.office, organization=world.ward_a, year=2026, total="15"
    )

    _, rows = selectors.share_rows(world.plan_a, selectors.budget_lines_for_plan(world.plan_a))

    assert (rows[0].expected, rows[0].meets) == (D("1.5"), True)


# --- The page ---------------------------------------------------------------------------------


def test_budget_page_shows_lines_totals_and_forms_for_the_office(client, world, lines):
    client.force_login(world.people.office)
    response = client.get(reverse("plan_budget", args=[world.plan_a.pk]))

    assert response.status_code == 200
    assert response.context["grid"].total == D("1700.305")
    content = response.content.decode()
    # Amounts the Vietnamese way: "." groups thousands, "," marks decimals.
    assert "data-overall>1.700,305</td>" in content
    assert "Mua sắm máy tính" in content and "Camera do tỉnh hỗ trợ" in content
    assert reverse("budget_line_record", args=[lines[("1", 2026)].pk]) in content
    assert reverse("ward_budget_record", args=[world.plan_a.pk]) in content


def test_unit_officer_sees_the_budget_without_forms(client, world, lines):
    client.force_login(world.people.officer)
    response = client.get(reverse("plan_budget", args=[world.plan_a.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("budget_line_record", args=[lines[("1", 2026)].pk]) not in content
    assert reverse("ward_budget_record", args=[world.plan_a.pk]) not in content


def test_economy_officer_records_through_the_page(client, world, lines, economy):
    line = lines[("1", 2026)]
    client.force_login(economy)
    url = reverse("budget_line_record", args=[line.pk])

    response = client.post(url, {"allocated": "12,5", "disbursed": "15", "version": "1"})

    assert response.status_code == 302
    assert response.url.endswith(f"#line-{line.pk}")
    line.refresh_from_db()
    assert (line.allocated, line.disbursed) == (D("12.5"), D("15"))
    page = client.get(response.url.split("#")[0]).content.decode()
    assert "lớn hơn số được giao" in page  # the warning is shown after the redirect
    assert 'value="12,5"' in page


def test_recording_through_the_page_is_forbidden_to_a_unit_officer(client, world, lines):
    client.force_login(world.people.officer)

    url = reverse("budget_line_record", args=[lines[("1", 2026)].pk])
    assert client.post(url, {"allocated": "1"}).status_code == 403
    ward_url = reverse("ward_budget_record", args=[world.plan_a.pk])
    assert client.post(ward_url, {"year": "2026", "total": "1"}).status_code == 403


def test_another_ward_gets_404(client, world, lines):
    client.force_login(world.people.other_ward)

    assert client.get(reverse("plan_budget", args=[world.plan_a.pk])).status_code == 404
    url = reverse("budget_line_record", args=[lines[("1", 2026)].pk])
    assert client.post(url, {"allocated": "1"}).status_code == 404


def test_office_records_the_ward_total_through_the_page(client, world, lines):
    client.force_login(world.people.office)
    response = client.post(
        reverse("ward_budget_record", args=[world.plan_a.pk]), {"year": "2026", "total": "15"}
    )

    assert response.status_code == 302
    page = client.get(reverse("plan_budget", args=[world.plan_a.pk]))
    shares = {row.year: row for row in page.context["shares"]}
    assert shares[2026].share == D("2")
