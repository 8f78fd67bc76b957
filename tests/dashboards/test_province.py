"""The upper level: every ward below it by state, and one indicator compared across wards."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.dashboards.conftest import make_indicator
from tests.factories import OrganizationFactory, PlanFactory, TaskFactory, UserFactory
from theodoi.audit.models import AuditEvent
from theodoi.dashboards import services
from theodoi.dashboards.models import IndicatorCatalogue, IndicatorCatalogueLink
from theodoi.org.models import Role


@pytest.fixture
def far_ward(world):
    """A ward of the other province, which the province's upper level must not see."""
    ward = OrganizationFactory(name="Phường Xa Xôi", parent=world.other_province)
    TaskFactory(plan=PlanFactory(organization=ward), title="Việc của tỉnh khác")
    return ward


def rows_by_ward(response):
    return {row.ward.pk: row for row in response.context["rows"]}


def test_ward_by_state_table(login, world, board, far_ward):
    response = login(world.people.upper).get(reverse("province_dashboard"))
    assert response.status_code == 200
    rows = rows_by_ward(response)
    assert set(rows) == {world.ward_a.pk, world.ward_b.pk}
    a, b = rows[world.ward_a.pk], rows[world.ward_b.pk]
    assert dict(a.counts) == {
        "done_on_time": 1,
        "done_late": 1,
        "open_not_due": 3,
        "open_overdue": 2,
    }
    assert a.total == 7
    assert a.on_time_share == pytest.approx(100 / 4)  # 1 on time of 4 done or past due
    assert (a.alerts, a.indicators_off_track) == (1, 1)
    assert dict(b.counts)["open_not_due"] == 1 and b.total == 1 and b.on_time_share is None
    assert b.alerts == 1
    assert dict(response.context["totals"]) == {
        "done_on_time": 1,
        "done_late": 1,
        "open_not_due": 4,
        "open_overdue": 2,
    }
    content = response.content.decode()
    assert reverse("dashboard_ward", args=[world.ward_a.pk]) in content
    assert "Phường Xa Xôi" not in content


def test_the_other_province_sees_only_its_own(login, world, board, far_ward):
    response = login(world.people.other_upper).get(reverse("province_dashboard"))
    assert set(rows_by_ward(response)) == {far_ward.pk}


def test_global_admin_sees_every_ward(login, world, board, far_ward):
    admin = UserFactory(username="root", role=Role.ADMIN, organization=None, is_staff=True)
    response = login(admin).get(reverse("province_dashboard"))
    assert set(rows_by_ward(response)) == {world.ward_a.pk, world.ward_b.pk, far_ward.pk}
    assert login(admin).get(reverse("dashboard")).url == reverse("province_dashboard")
    assert login(admin).get(reverse("dashboard_ward", args=[far_ward.pk])).status_code == 200


def test_ward_people_get_403(login, world):
    for person in (world.people.leader, world.people.office, world.people.officer):
        assert login(person).get(reverse("province_dashboard")).status_code == 403


# --- The shared catalogue -------------------------------------------------------------------------


@pytest.fixture
def entry(db):
    return IndicatorCatalogue.objects.create(
        code="DVC-01", name="Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", unit_of_measure="%"
    )


def test_catalogue_link_is_audited(world, board, entry):
    indicator = board.indicators.off
    link = services.catalogue_link(actor=world.people.office, indicator=indicator, catalogue=entry)
    assert link.catalogue == entry and link.linked_by == world.people.office
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "indicator.catalogue_link"
    assert event.organization == world.ward_a and event.object_id == str(indicator.pk)
    services.catalogue_link(actor=world.people.office, indicator=indicator, catalogue=None)
    assert not IndicatorCatalogueLink.objects.exists()
    assert AuditEvent.objects.order_by("-id").first().action == "indicator.catalogue_unlink"


def test_only_the_wards_standing_office_or_a_global_admin_links(world, board, entry):
    indicator = board.indicators.off
    for person in (
        world.people.leader,
        world.people.officer,
        world.people.upper,
        world.people.other_ward,
    ):
        with pytest.raises(PermissionDenied):
            services.catalogue_link(actor=person, indicator=indicator, catalogue=entry)
    admin = UserFactory(username="root", role=Role.ADMIN, organization=None)
    assert services.catalogue_link(actor=admin, indicator=indicator, catalogue=entry)


def test_linking_through_the_page(login, world, board, entry):
    url = reverse("indicator_catalogue_link", args=[board.indicators.off.pk])
    response = login(world.people.office).post(url, {"catalogue": entry.pk})
    assert response.status_code == 302
    assert IndicatorCatalogueLink.objects.get().catalogue == entry
    assert login(world.people.leader).post(url, {"catalogue": ""}).status_code == 403
    assert login(world.people.other_ward).post(url, {"catalogue": ""}).status_code == 404
    assert IndicatorCatalogueLink.objects.count() == 1


def test_the_page_proposes_the_entry_of_the_same_name(login, world, entry):
    indicator = make_indicator(world.plan_a, "TỈ LỆ HỒ SƠ THỦ TỤC HÀNH CHÍNH XỬ LÝ TRỰC TUYẾN")
    response = login(world.people.office).get(reverse("indicator_detail", args=[indicator.pk]))
    assert response.context["proposal"] == entry
    assert f'<option value="{entry.pk}" selected>' in response.content.decode()


def test_upper_level_creates_catalogue_entries(login, world):
    client = login(world.people.upper)
    response = client.post(
        reverse("catalogue_create"),
        {"code": "CKS", "name": "Tỷ lệ dân số trưởng thành có chữ ký số", "comparator": ">="},
    )
    entry = IndicatorCatalogue.objects.get(code="CKS")
    assert response.url == reverse("catalogue_compare", args=[entry.pk])
    assert AuditEvent.objects.order_by("-id").first().action == "catalogue.create"
    again = client.post(reverse("catalogue_create"), {"code": "cks", "name": "Khác"})
    assert again.url == reverse("province_dashboard")
    assert IndicatorCatalogue.objects.count() == 1
    assert login(world.people.office).post(reverse("catalogue_create"), {}).status_code == 403


def test_one_indicator_compared_across_wards(login, world, board, entry, far_ward):
    services.catalogue_link(
        actor=world.people.office, indicator=board.indicators.off, catalogue=entry
    )
    b_indicator = make_indicator(
        world.plan_b, "Tỉ lệ hồ sơ TTHC trực tuyến", milestone="60", values=[("2026-Q1", "70")]
    )
    services.catalogue_link(actor=world.people.other_ward, indicator=b_indicator, catalogue=entry)
    far = make_indicator(far_ward.plans.get(), "Hồ sơ trực tuyến", values=[("2026-Q1", "99")])
    IndicatorCatalogueLink.objects.create(catalogue=entry, indicator=far)

    response = login(world.people.upper).get(reverse("catalogue_compare", args=[entry.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    # Higher is better: ward B (70 against 60) before ward A (40 against 50).
    assert [row.ward for row in rows] == [world.ward_b, world.ward_a]
    assert [row.indicator.latest[1] for row in rows] == [Decimal(70), Decimal(40)]
    assert [row.indicator.expected for row in rows] == [Decimal(60), Decimal(50)]
    assert [row.indicator.status for row in rows] == ["on_track", "off_track"]
    assert response.context["chart"]["values"] == [70.0, 40.0]
    assert "Phường Xa Xôi" not in response.content.decode()
    entries = login(world.people.upper).get(reverse("province_dashboard")).context["entries"]
    assert [(e.code, e.ward_count) for e in entries] == [("DVC-01", 2)]


def test_wards_without_a_linked_indicator_are_listed_last(login, world, board, entry):
    services.catalogue_link(
        actor=world.people.office, indicator=board.indicators.off, catalogue=entry
    )
    rows = (
        login(world.people.upper).get(reverse("catalogue_compare", args=[entry.pk])).context["rows"]
    )
    assert [(row.ward, row.indicator is not None) for row in rows] == [
        (world.ward_a, True),
        (world.ward_b, False),
    ]


def test_comparison_is_for_the_upper_level(login, world, entry):
    url = reverse("catalogue_compare", args=[entry.pk])
    assert login(world.people.leader).get(url).status_code == 403
    assert login(world.people.upper).get(url).status_code == 200


# --- Indicators off track, counted by the database -----------------------------------------------


@pytest.fixture
def mixed_indicators(world):
    """Indicators of every shape the status rule tells apart, in two wards: each comparator,
    periods of several cycles ending the same day, a week of one year ending in the next,
    periods written loosely or not at all (lexical order would pick the wrong one), the target standing in for a missing milestone, no
    value, no milestone, and a closed plan whose indicators do not count."""
    a, b = world.plan_a, world.plan_b
    make_indicator(a, "ge, quarter after month", values=[("2026-12", "90"), ("2026-Q4", "10")])
    make_indicator(a, "ge, month after quarter", values=[("2026-Q3", "10"), ("2026-10", "90")])
    make_indicator(a, "ge, week before month", values=[("2026-01", "90"), ("2026-W01", "5")])
    make_indicator(a, "ge, week ends next year", values=[("2027-01", "5"), ("2026-W53", "90")])
    make_indicator(a, "ge, yearly same day", values=[("2026-H2", "60"), ("2026", "40")])
    make_indicator(a, "ge, loose period", values=[("2026-q4", "20"), ("2026-11", "80")])
    make_indicator(a, "ge, no period", values=[("2026-Q1", "20"), ("chưa rõ", "80")])
    make_indicator(a, "ge, only no period", values=[("soon", "10")])
    make_indicator(a, "ge, no value")
    make_indicator(a, "ge, no milestone", milestone=None, values=[("2026-Q1", "1")])
    make_indicator(a, "gt, equal", comparator=">", values=[("2026-Q2", "50")])
    make_indicator(a, "le, above", comparator="<=", values=[("2026-Q2", "50.0001")])
    make_indicator(a, "lt, equal", comparator="<", values=[("2026-Q2", "50")])
    make_indicator(a, "eq, met", comparator="=", values=[("2026-Q2", "50")])
    make_indicator(b, "eq, missed", comparator="=", values=[("2026-Q2", "49.9999")])
    make_indicator(
        b,
        "target this year",
        milestone=None,
        target=Decimal("70"),
        target_year=2026,
        values=[("2026-Q2", "60")],
    )
    make_indicator(
        b,
        "milestone before target",
        target=Decimal("10"),
        target_year=2026,
        values=[("2026-Q2", "40")],
    )
    make_indicator(
        b,
        "target of another year",
        milestone=None,
        target=Decimal("70"),
        target_year=2030,
        values=[("2026-Q2", "1")],
    )
    closed = PlanFactory(organization=world.ward_b, status="closed")
    make_indicator(closed, "closed plan", values=[("2026-Q2", "1")])


@pytest.mark.parametrize("year", [2025, 2026, 2030])
def test_off_track_counts_follow_the_status_rule(world, mixed_indicators, year):
    from theodoi.dashboards.selectors import indicators as indicator_selectors
    from theodoi.dashboards.selectors import province
    from theodoi.plans.models import Plan

    indicators = indicator_selectors.indicators_for_user(world.people.upper).filter(
        plan__status=Plan.Status.ACTIVE
    )
    expected: dict[int, int] = {}
    for indicator in indicator_selectors.with_status(
        list(indicator_selectors._with_values(indicators)), year=year
    ):
        if indicator.status == "off_track":
            ward = indicator.plan.organization_id
            expected[ward] = expected.get(ward, 0) + 1
    counts = province.off_track_counts(indicators, year=year)
    assert dict(counts) == expected
    if year == 2026:
        # Written out, so that the rule cannot agree with itself by both sides being wrong.
        assert expected == {world.ward_a.pk: 7, world.ward_b.pk: 3}
