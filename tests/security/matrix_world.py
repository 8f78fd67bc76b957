"""Objects of both wards for the access matrix: one of each kind a URL can name."""

import datetime
from decimal import Decimal

from theodoi.alerts.models import Alert
from theodoi.assessment import services as assessment
from theodoi.budget.models import BudgetLine
from theodoi.dashboards.models import IndicatorCatalogue
from theodoi.exports import services as exports
from theodoi.exports.report import parse_report_period
from theodoi.importer.models import ImportDraft, ImportReading
from theodoi.plans.models import Indicator
from theodoi.plans.periods import Period
from theodoi.reporting import services as reporting
from theodoi.reporting import upward
from theodoi.reporting.models import Directive

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def objects_of(plan, task, office, leader):
    """Return {kind: pk} for one ward's plan and task."""
    report = reporting.report_submit(actor=office, task=task, period="2026-Q3", percent=40)
    evidence = reporting.evidence_upload(actor=office, name="bien-ban.pdf", data=PDF, task=task)
    directive = Directive.objects.create(task=task, author=leader, text="Chỉ đạo")
    indicator = Indicator.objects.create(
        plan=plan, name=f"Chỉ tiêu {plan.pk}", comparator=">=", unit_of_measure="%"
    )
    draft = ImportDraft.objects.create(
        organization=plan.organization,
        created_by=office,
        source_name="ke-hoach.docx",
        source_sha256="0" * 64,
        data={},
        status=ImportDraft.Status.DISCARDED,
    )
    # A scan whose reading ended: its page says why, to the people who may import.
    reading = ImportReading.objects.create(
        organization=plan.organization,
        created_by=office,
        source_name="ke-hoach-quet.pdf",
        source_sha256="0" * 64,
        status=ImportReading.Status.FAILED,
        message="Không đọc được bản quét.",
    )
    line = BudgetLine.objects.create(
        plan=plan, code="1", content="Wi-Fi", year=2026, estimate=Decimal("1")
    )
    framework = assessment.framework_adopt_default(actor=office, ward=plan.organization, year=2026)
    campaign = assessment.campaign_open(
        actor=office, framework=framework, units=list(task.lead_units.all())
    )
    # The office's own Word report, made by the background worker (on the spot in tests).
    export = exports.report_export_request(
        actor=office,
        plan=plan,
        period=parse_report_period("2026-Q3"),
        fmt="docx",
        today=datetime.date(2026, 11, 24),
    )
    alert = Alert.objects.create(
        organization=plan.organization,
        task=task,
        unit=task.lead_units.first(),
        rule=Alert.Rule.OVERDUE,
        message="Quá hạn",
    )
    # The ward's quarterly report, sent up to the province.
    upward_report = upward.upward_report_send(
        actor=office,
        report=upward.upward_report_prepare(
            actor=office, plan=plan, period=Period("quarterly", 2026, 3)
        ),
        payload={"schema": "theodoi.upward-report/1", "sections": []},
        package=b"PK\x05\x06" + b"\x00" * 18,
        version=0,
    )
    return {
        "upward_report": upward_report.pk,
        "alert": alert.pk,
        "export": export.pk,
        "framework": framework.pk,
        "campaign": campaign.pk,
        "submission": campaign.submissions.get().pk,
        "plan": plan.pk,
        "task": task.pk,
        "ward": plan.organization_id,
        "report": report.pk,
        "evidence": evidence.pk,
        "directive": directive.pk,
        "indicator": indicator.pk,
        "draft": draft.pk,
        "reading": reading.pk,
        "budget_line": line.pk,
        "unit": task.lead_units.first().pk,
        "person": office.pk,
        "_date": datetime.date(2026, 9, 30),
    }


def catalogue_entry():
    return IndicatorCatalogue.objects.create(code="DVC", name="Tỷ lệ hồ sơ trực tuyến")
