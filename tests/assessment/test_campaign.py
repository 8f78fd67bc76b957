"""A self-assessment campaign through the pages and services: frameworks stored and versioned,
answers checked, sourced answers filled from the tracking data, evidence reviewed, adjustments
with a reason, results, exports and improvement tasks (issue 8)."""

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from theodoi.assessment import framework as frameworks
from theodoi.assessment import services
from theodoi.assessment.models import Answer, Campaign, Framework, Submission
from theodoi.audit.models import AuditEvent
from theodoi.audit.verify import verify_chain
from theodoi.core.samplepdf import tiny_pdf
from theodoi.reporting.models import Evidence


def _answers_for(definition, *, skip=()):
    """A full, valid form for every criterion a unit answers itself."""
    values = {}
    for criterion in definition.leaves():
        if criterion.source or criterion.code in skip:
            continue
        rule = criterion.rule
        values[f"a-{criterion.code}"] = {
            frameworks.YES_NO: "yes",
            frameworks.PERCENT: "85",
            frameworks.COUNT: "5",
            frameworks.CHOICE: rule.choices[0].code if rule.choices else "",
            frameworks.MANUAL: "2",
        }[rule.type]
    return values


def _submission(campaign, unit):
    return Submission.objects.get(campaign=campaign, unit=unit)


def test_default_framework_is_stored_once_and_a_changed_one_becomes_the_next_version(world):
    office = world.people.office
    first = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    again = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    assert again.pk == first.pk
    assert first.parsed == replace(services.default_framework(), year=2026)
    changed = replace(first.parsed, name="Bộ tiêu chí sửa đổi")
    row, created = services.framework_save(actor=office, ward=world.ward_a, definition=changed)
    assert created and row.version == 2 and row.parsed.name == "Bộ tiêu chí sửa đổi"
    assert Framework.objects.filter(organization=world.ward_a).count() == 2


def test_only_the_standing_office_opens_an_assessment(world, client):
    client.force_login(world.people.officer)
    assert client.post(reverse("assessment_framework_default"), {"year": 2026}).status_code == 403
    assert client.get(reverse("assessment_campaign_new")).status_code == 403
    assert not Framework.objects.exists()


def test_opening_fills_the_sourced_criteria_from_the_tracking_data(campaign, world):
    submission = _submission(campaign, world.vhxh)
    sourced = {a.code: a for a in submission.answers.exclude(source="")}
    assert set(sourced) == {"2.1", "2.2", "8.3"}
    assert sourced["8.3"].value is None and sourced["8.3"].not_applicable
    # The plan reports quarterly since 15/01/2026 and the unit sent none of the 3 due reports.
    assert sourced["2.2"].value == "0.0"
    assert sourced["2.2"].source_detail == "0/3 báo cáo gửi đúng hạn."
    # Nothing of the unit's is due yet: the share cannot be computed, says why, and the
    # criterion leaves the unit's maximum.
    assert sourced["2.1"].value is None and sourced["2.1"].not_applicable
    assert sourced["2.1"].source_detail == "Chưa có nhiệm vụ nào của đơn vị đến hạn trong năm."
    result = services.submission_result(submission)
    assert result.by_code()["2.1"].status == "not_applicable"
    assert result.max_points == Decimal(100 - 4 - 4)


def test_a_sourced_share_is_shown_with_a_decimal_comma(campaign, world, client):
    """The stored answer keeps its machine form ("0.0"); the page writes it like every other
    number of the page ("0,0%")."""
    submission = _submission(campaign, world.vhxh)
    client.force_login(world.people.officer)
    page = client.get(reverse("assessment_submission", args=[submission.pk])).content.decode()
    assert '<span data-answer="2.2">0,0%</span>' in page
    assert "0.0%" not in page


def test_a_unit_answers_submits_and_the_office_accepts(campaign, world, client):
    definition = campaign.framework.parsed
    submission = _submission(campaign, world.vhxh)
    url = reverse("assessment_submission", args=[submission.pk])
    client.force_login(world.people.officer)
    assert client.get(url).status_code == 200

    form = _answers_for(definition, skip={"1.3"})
    form |= {"version": submission.version, "action": "save", "na-5.1": "1"}
    response = client.post(url, form)  # 5.1 may be not applicable: no system of its own
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.answers.get(code="5.1").not_applicable
    assert submission.answers.get(code="1.2").value == "85"

    result = services.submission_result(submission)
    assert result.unanswered == ["1.3"]
    # 5.1 (3 points), and 2.1 and 8.3 (nothing due yet) are out of the maximum.
    assert result.max_points == Decimal(100 - 3 - 4 - 4)
    response = client.post(url, {"version": submission.version, "action": "submit"}, follow=True)
    assert "Còn 1 tiêu chí chưa trả lời: 1.3" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT
    response = client.post(url, {"version": submission.version, "action": "save", "a-1.3": "4"})
    assert response.status_code == 302

    # The office corrects a computed answer, with a reason; the score follows from it.
    client.force_login(world.people.office)
    review = reverse("assessment_review", args=[submission.pk])
    submission.refresh_from_db()
    adjust = {"action": "adjust", "code": "2.2", "adjust_value": "100", "reason": ""}
    response = client.post(review, adjust | {"version": submission.version}, follow=True)
    assert "lý do" in response.content.decode()
    before = services.submission_result(submission).points
    reason = "Đơn vị gửi báo cáo giấy đúng hạn"
    client.post(review, adjust | {"version": submission.version, "reason": reason})
    assert services.submission_result(submission).points == before + 3
    assert Answer.objects.get(submission=submission, code="2.2").adjust_reason == reason
    client.force_login(world.people.officer)
    submission.refresh_from_db()
    response = client.post(url, {"version": submission.version, "action": "submit"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED

    # Sent: the unit can no longer change it.
    response = client.post(url, {"version": submission.version, "action": "save", "a-1.1": "no"})
    assert response.status_code == 400
    assert submission.answers.get(code="1.1").value == "yes"

    client.force_login(world.people.office)
    submission.refresh_from_db()
    response = client.post(review, {"action": "accept", "version": submission.version})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "assessment.answers.save",
        "assessment.submit",
        "assessment.adjust",
        "assessment.accepted",
    } <= actions
    assert verify_chain().ok


def test_a_wrong_answer_is_refused_with_its_message_and_nothing_is_saved(campaign, world, client):
    submission = _submission(campaign, world.vhxh)
    client.force_login(world.people.officer)
    url = reverse("assessment_submission", args=[submission.pk])
    response = client.post(
        url, {"version": submission.version, "action": "save", "a-1.1": "yes", "a-1.2": "140"}
    )
    assert response.status_code == 400
    assert "Tỷ lệ phải từ 0 đến 100%" in response.content.decode()
    assert not submission.answers.filter(code__in=["1.1", "1.2"]).exists()


def test_a_stale_form_does_not_overwrite_newer_answers(campaign, world, client):
    submission = _submission(campaign, world.vhxh)
    url = reverse("assessment_submission", args=[submission.pk])
    opened_at = submission.version
    client.force_login(world.people.head)
    client.post(url, {"version": opened_at, "action": "save", "a-1.1": "yes"})
    client.force_login(world.people.officer)
    response = client.post(
        url, {"version": opened_at, "action": "save", "a-1.1": "no"}, follow=True
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert submission.answers.get(code="1.1").value == "yes"


def test_units_see_and_answer_only_their_own_form(campaign, world, client):
    police = _submission(campaign, world.police)
    client.force_login(world.people.officer)
    assert client.get(reverse("assessment_submission", args=[police.pk])).status_code == 404
    client.force_login(world.people.other_ward)
    assert client.get(reverse("assessment_campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("assessment_results", args=[campaign.pk])).status_code == 404
    client.force_login(world.people.leader)
    assert client.get(reverse("assessment_submission", args=[police.pk])).status_code == 200
    response = client.post(
        reverse("assessment_submission", args=[police.pk]),
        {"version": police.version, "action": "save", "a-1.1": "yes"},
    )
    assert response.status_code == 403
    assert not police.answers.filter(code="1.1").exists()


def test_evidence_goes_through_the_tracking_upload_and_review(campaign, world, client):
    submission = _submission(campaign, world.vhxh)
    client.force_login(world.people.officer)
    response = client.post(
        reverse("assessment_evidence", args=[submission.pk]),
        {"code": "1.1", "file": _upload("ke-hoach.pdf", tiny_pdf("Kế hoạch chuyển đổi số"))},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(answer_link__answer__submission=submission)
    assert evidence.answer_link.answer.code == "1.1" and evidence.task is None
    assert evidence.sha256 and evidence.content_type == "application/pdf"
    # A file that is not what it claims is refused by the same content check as tasks.
    response = client.post(
        reverse("assessment_evidence", args=[submission.pk]),
        {"code": "1.1", "file": _upload("virus.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    assert "không phải loại được nhận" in response.content.decode()
    assert Evidence.objects.filter(answer_link__answer__submission=submission).count() == 1
    # Served only through the checked view, to people of the ward.
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 200
    client.force_login(world.people.other_ward)
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 404

    client.force_login(world.people.office)
    review = reverse("assessment_review", args=[submission.pk])
    response = client.post(
        review,
        {"action": "evidence-reject", "evidence": evidence.pk, "review_id": 0, "reason": ""},
        follow=True,
    )
    assert "lý do" in response.content.decode()
    client.post(
        review,
        {
            "action": "evidence-reject",
            "evidence": evidence.pk,
            "review_id": 0,
            "reason": "Thiếu chữ ký",
        },
    )
    assert evidence.latest_review.decision == "rejected"
    page = client.get(reverse("assessment_submission", args=[submission.pk])).content.decode()
    assert "Thiếu chữ ký" in page
    # The tracking review queue keeps to tasks and indicators.
    assert "ke-hoach.pdf" not in client.get(reverse("review_queue")).content.decode()


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _accept_all(campaign, world, *, low_unit=None):
    """Both units answer everything (``low_unit`` answers "no" to every yes/no) and are
    accepted by the office."""
    office = world.people.office
    definition = campaign.framework.parsed
    for unit, person in (
        (world.vhxh, world.people.officer),
        (world.police, world.people.police_officer),
    ):
        submission = _submission(campaign, unit)
        given = {}
        for key, value in _answers_for(definition).items():
            code = key.removeprefix("a-")
            if unit == low_unit and value == "yes":
                value = "no"
            given[code] = services.scoring.Answer(value=value)
        services.answers_save(actor=person, submission=submission, answers=given)
        services.answer_adjust(
            actor=office,
            submission=submission,
            code="2.2",
            answer=services.scoring.Answer(value="100"),
            reason="Báo cáo giấy gửi đúng hạn",
        )
        services.submission_submit(actor=person, submission=submission)
        services.submission_decide(
            actor=office, submission=_submission(campaign, unit), accept=True
        )


def test_results_rank_compare_chart_export_and_create_tasks(campaign, world, client):
    _accept_all(campaign, world, low_unit=world.police)
    client.force_login(world.people.leader)
    home = client.get(reverse("assessment_home")).content.decode()
    assert "<td>2/2</td>" in home  # forms sent of units taking part
    page = client.get(reverse("assessment_results", args=[campaign.pk]))
    assert page.status_code == 200
    units = page.context["units"]
    assert [u.submission.unit for u in units] == [world.vhxh, world.police]
    assert [u.rank for u in units] == [1, 2]
    assert units[0].result.points > units[1].result.points
    assert '"kind": "radar"' in page.content.decode()
    weakest = page.context["weakest"]
    assert weakest[0].average_percent <= weakest[-1].average_percent
    yes_no_codes = {c.code for c in campaign.framework.parsed.leaves() if c.rule.type == "yes_no"}
    weak_codes = {
        row.code
        for row in weakest
        if any(u.submission.unit == world.police for u in row.units_weak)
    }
    assert weak_codes & yes_no_codes

    docx = client.get(reverse("assessment_results_export", args=[campaign.pk, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Tự đánh giá 2026".upper() in text
    tables = Document(io.BytesIO(docx.content)).tables
    assert tables[0].rows[1].cells[1].text == world.vhxh.name
    xlsx = client.get(reverse("assessment_results_export", args=[campaign.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert summary[1][1] == world.vhxh.name and summary[1][0] == 1
    assert float(summary[1][-4]) == float(units[0].result.points)

    # Weak criteria become tasks led by the unit, once.
    client.force_login(world.people.office)
    code = sorted(weak_codes & yes_no_codes)[0]
    police = _submission(campaign, world.police)
    data = {"plan": world.plan_a.pk, "item": [f"{police.pk}:{code}"]}
    response = client.post(reverse("assessment_tasks", args=[campaign.pk]), data)
    assert response.status_code == 302
    client.post(reverse("assessment_tasks", args=[campaign.pk]), data)
    task = world.plan_a.tasks.get(title__contains=f"tiêu chí {code}")
    assert list(task.lead_units.all()) == [world.police]
    assert task.due_date is not None and task.due_date.year == 2027


def test_last_years_campaign_is_compared(world):
    office = world.people.office
    last = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2025)
    old = services.campaign_open(
        actor=office, framework=last, units=[world.vhxh, world.police], year=2025
    )
    _accept_all(old, world, low_unit=world.vhxh)
    now = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    current = services.campaign_open(actor=office, framework=now, units=[world.vhxh, world.police])
    _accept_all(current, world)
    from theodoi.assessment.selectors import campaign_results

    results = campaign_results(current)
    assert results.previous == old
    vhxh = next(u for u in results.units if u.submission.unit == world.vhxh)
    assert vhxh.change is not None and vhxh.change > 0


def test_a_closed_campaign_takes_no_more_answers(campaign, world, client):
    client.force_login(world.people.office)
    client.post(reverse("assessment_campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    submission = _submission(campaign, world.vhxh)
    with pytest.raises(services.AssessmentError):
        services.answers_save(
            actor=world.people.officer,
            submission=submission,
            answers={"1.1": services.scoring.Answer(value="yes")},
        )


def test_importing_a_broken_framework_says_what_is_wrong(world, client):
    client.force_login(world.people.office)
    bad = b"code: x\nname: X\nyear: 2026\ngroups:\n  - code: '1'\n    name: G\n    criteria:\n      - {code: '1.1', name: A, max_points: 2, rule: {type: magic}}\n"
    response = client.post(
        reverse("assessment_framework_import"), {"file": _upload("x.yaml", bad)}, follow=True
    )
    assert "magic" in response.content.decode()
    assert not Framework.objects.exists()
    response = client.post(
        reverse("assessment_framework_import"),
        {"file": _upload("x.yaml", b"\xff\xfe\x00garbage")},
        follow=True,
    )
    assert response.status_code == 200
    assert not Framework.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "yaml"])
def test_a_framework_downloaded_and_imported_again_is_the_same_framework(world, client, fmt):
    office = world.people.office
    row = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    client.force_login(office)
    download = client.get(reverse("assessment_framework_export", args=[row.pk, fmt]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="ward-dx-2026-v1.{fmt}"'
    response = client.post(
        reverse("assessment_framework_import"),
        {"file": _upload(f"bo-tieu-chi.{fmt}", download.content)},
        follow=True,
    )
    assert "Bộ tiêu chí này đã có trong hệ thống" in response.content.decode()
    assert Framework.objects.get() == row
    # Edited and imported again: the next version, the used one unchanged.
    edited = download.content.replace("Nhận thức số".encode(), "Nhận thức và kỹ năng số".encode())
    if fmt == "xlsx":
        from theodoi.assessment import excel

        changed = replace(
            row.parsed,
            groups=(
                replace(row.parsed.groups[0], name="Nhận thức và kỹ năng số"),
                *row.parsed.groups[1:],
            ),
        )
        edited = excel.framework_to_xlsx(changed)
    client.post(reverse("assessment_framework_import"), {"file": _upload("sua.bin", edited)})
    newest = Framework.objects.order_by("-version").first()
    assert newest.version == 2 and newest.parsed.groups[0].name == "Nhận thức và kỹ năng số"
    row.refresh_from_db()
    assert row.parsed.groups[0].name == "Nhận thức số"


def test_a_units_assessment_evidence_is_not_served_to_another_unit(campaign, world, client):
    submission = _submission(campaign, world.vhxh)
    evidence = services.evidence_attach(
        actor=world.people.officer,
        submission=submission,
        code="1.1",
        name="ke-hoach.pdf",
        data=tiny_pdf("Kế hoạch"),
    )
    client.force_login(world.people.police_officer)
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 404
    client.force_login(world.people.head)  # the same unit
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 200


def test_a_closed_campaign_takes_no_decision_and_closes_once(campaign, world):
    office = world.people.office
    submission = _submission(campaign, world.vhxh)
    evidence = services.evidence_attach(
        actor=office, submission=submission, code="1.1", name="a.pdf", data=tiny_pdf("A")
    )
    submission.status = Submission.Status.SUBMITTED
    submission.save()
    services.campaign_close(actor=office, campaign=campaign)
    with pytest.raises(services.AssessmentError):
        services.submission_decide(actor=office, submission=submission, accept=True)
    with pytest.raises(services.AssessmentError):
        services.campaign_close(actor=office, campaign=campaign)
    from theodoi.reporting import services as reporting

    with pytest.raises(reporting.ReportingError):
        reporting.evidence_review(actor=office, evidence=evidence, decision="accept")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_updating_from_the_tracking_data_keeps_what_was_typed_and_is_audited(
    campaign, world, client
):
    submission = _submission(campaign, world.vhxh)
    client.force_login(world.people.officer)
    url = reverse("assessment_submission", args=[submission.pk])
    form = {"version": submission.version, "action": "refresh", "a-1.1": "yes", "a-1.2": "75"}
    assert client.post(url, form).status_code == 302
    assert submission.answers.get(code="1.2").value == "75"
    # Nothing changed in the tracking data: no refresh event.
    assert not AuditEvent.objects.filter(action="assessment.sources.refresh").exists()
    # A value computed earlier, when the data said otherwise, is recomputed and recorded.
    submission.answers.filter(code="2.2").update(value="50.0", source_detail="1/2")
    services.sources_refresh(actor=world.people.officer, submission=submission)
    event = AuditEvent.objects.get(action="assessment.sources.refresh")
    assert event.before["2.2"]["value"] == "50.0"
    assert event.after["2.2"]["value"] == "0.0"
    assert submission.answers.get(code="2.2").value == "0.0"


def test_equal_results_share_a_rank(campaign, world):
    _accept_all(campaign, world)
    from theodoi.assessment.selectors import campaign_results

    ranks = [u.rank for u in campaign_results(campaign).units]
    assert ranks == [1, 1]


def test_the_same_edited_framework_imported_twice_is_stored_once(world):
    office = world.people.office
    row = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    edited = replace(row.parsed, name="Bộ tiêu chí của tỉnh")  # still says version 1
    first, created = services.framework_save(actor=office, ward=world.ward_a, definition=edited)
    again, created_again = services.framework_save(
        actor=office, ward=world.ward_a, definition=edited
    )
    assert created and first.version == 2
    assert not created_again and again == first


def test_two_imports_of_one_framework_at_the_same_moment_answer_with_a_message(world):
    from unittest import mock

    office = world.people.office
    row = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    edited = replace(row.parsed, name="Bộ tiêu chí của tỉnh", version=2)
    services.framework_save(actor=office, ward=world.ward_a, definition=edited)
    # The second import read the table before the first one wrote its row.
    with (
        mock.patch.object(Framework.objects, "filter", return_value=Framework.objects.none()),
        pytest.raises(services.AssessmentError, match="cùng lúc"),
    ):
        services.framework_save(actor=office, ward=world.ward_a, definition=edited)
    assert Framework.objects.filter(organization=world.ward_a).count() == 2
