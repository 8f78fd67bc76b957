"""Attaching an evidence file on the self-assessment form never loses the answers typed beside
it: the attach button belongs to the answers form, so the answers go with the file, are saved
first (with their audit record), then the file is stored through the tracking upload. A file
refused by its checks (content, size, virus scan) leaves the answers saved and says why; answers
that are not right leave everything as typed, and nothing is stored."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.reporting.test_virus import INFECTED_PDF, clamd, scanning  # noqa: F401 (fixtures)
from theodoi.assessment import scoring, services
from theodoi.assessment.models import Submission
from theodoi.audit.models import AuditEvent
from theodoi.audit.verify import verify_chain
from theodoi.core.samplepdf import tiny_pdf
from theodoi.reporting.models import Evidence


@pytest.fixture
def submission(campaign, world):
    return Submission.objects.get(campaign=campaign, unit=world.vhxh)


def _url(submission):
    return reverse("assessment_submission", args=[submission.pk])


def _pdf(name="ke-hoach.pdf"):
    return SimpleUploadedFile(name, tiny_pdf("Kế hoạch chuyển đổi số"))


def _typed(submission):
    """What a person typed in three criteria, not yet saved."""
    return {
        "version": submission.version,
        "a-1.1": "yes",
        "a-1.2": "85",
        "note-1.2": "Hội nghị ngày 12/3",
        "a-1.3": "7",
    }


def _evidence(submission):
    return Evidence.objects.filter(answer_link__answer__submission=submission)


class _FormOwners(HTMLParser):
    """Which form each control of the page belongs to (its ``form`` attribute or the form it
    sits in), as a browser decides what a button sends."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self.controls: list[tuple[str, dict[str, str]]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            key = attrs.get("id") or f"form-{len(self.forms)}"
            self.forms[key] = attrs
            self._open.append(key)
        elif tag in ("input", "button", "select", "textarea"):
            owner = attrs.get("form") or (self._open[-1] if self._open else "")
            self.controls.append((owner, attrs | {"tag": tag}))

    def handle_endtag(self, tag):
        if tag == "form" and self._open:
            self._open.pop()


def _page(client, submission) -> _FormOwners:
    parser = _FormOwners()
    parser.feed(client.get(_url(submission)).content.decode())
    return parser


def test_the_attach_button_sends_the_answers_with_the_file(submission, world, client):
    client.force_login(world.people.officer)
    page = _page(client, submission)
    attach = next(
        (owner, c)
        for owner, c in page.controls
        if c.get("name") == "attach" and c["value"] == "1.1"
    )
    owner = attach[0]
    assert owner == "answers"
    form = page.forms[owner]
    assert form["enctype"] == "multipart/form-data" and "data-unsaved-warning" in form
    sent = {c.get("name") for o, c in page.controls if o == owner}
    assert {"a-1.1", "a-1.2", "note-1.2", "a-1.3", "file-1.1", "version"} <= sent
    # Enter in a field presses the form's first submit button: it saves, it does not attach.
    first = next(c for o, c in page.controls if o == owner and c.get("type") == "submit")
    assert (first["name"], first["value"]) == ("action", "save")


def test_attaching_saves_the_typed_answers_first_then_the_file(submission, world, client):
    client.force_login(world.people.officer)
    before = AuditEvent.objects.count()
    response = client.post(
        _url(submission), _typed(submission) | {"attach": "1.1", "file-1.1": _pdf()}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(submission) + "#c-1.1"
    stored = {a.code: a for a in submission.answers.all()}
    assert stored["1.1"].value == "yes"
    assert (stored["1.2"].value, stored["1.2"].note) == ("85", "Hội nghị ngày 12/3")
    assert stored["1.3"].value == "7"
    evidence = _evidence(submission).get()
    assert evidence.answer_link.answer == stored["1.1"] and evidence.original_name == "ke-hoach.pdf"
    # One flow through the services: the answers' audit record, then the file's.
    events = list(AuditEvent.objects.order_by("id")[before:].values_list("action", flat=True))
    assert events == ["assessment.answers.save", "evidence.upload"]
    assert verify_chain().ok

    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu câu trả lời." in page
    assert "Đã đính kèm tệp minh chứng: ke-hoach.pdf (tiêu chí 1.1)." in page
    assert 'value="85"' in page and 'value="Hội nghị ngày 12/3"' in page
    assert "data-unsaved-dirty" not in page  # saved: leaving does not ask


def test_a_file_chosen_before_pressing_save_is_attached_too(submission, world, client):
    client.force_login(world.people.officer)
    response = client.post(
        _url(submission), _typed(submission) | {"action": "save", "file-1.3": _pdf("tin-bai.pdf")}
    )
    assert response.status_code == 302
    assert _evidence(submission).get().answer_link.answer.code == "1.3"
    assert submission.answers.get(code="1.2").value == "85"


def test_attach_without_a_file_still_saves_the_answers_and_asks_for_the_file(
    submission, world, client
):
    client.force_login(world.people.officer)
    response = client.post(_url(submission), _typed(submission) | {"attach": "1.2"}, follow=True)
    page = response.content.decode()
    assert "Hãy chọn tệp minh chứng." in page and "Đã lưu câu trả lời." in page
    assert submission.answers.get(code="1.2").value == "85"
    assert not _evidence(submission).exists()


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        (
            "virus.pdf",
            b"MZ\x90\x00 not a pdf",
            "Tệp «virus.pdf» không phải loại được nhận làm minh chứng",
        ),
        ("lon.pdf", tiny_pdf("x") + b"%" * (1024 * 1024), "lớn hơn 1 MB"),
        ("bao-cao.pdf", INFECTED_PDF, "mã độc"),
    ],
    ids=["wrong-kind", "too-large", "infected"],
)
def test_a_refused_file_says_why_and_the_answers_stay(
    name, data, why, submission, world, client, settings, request
):
    settings.THEODOI_EVIDENCE_MAX_MB = 1
    infected = data is INFECTED_PDF
    if infected:
        request.getfixturevalue("scanning")
    client.force_login(world.people.officer)
    upload = SimpleUploadedFile(name, data)
    response = client.post(
        _url(submission), _typed(submission) | {"attach": "1.1", "file-1.1": upload}, follow=True
    )
    page = response.content.decode()
    assert f"Đã lưu câu trả lời, nhưng tệp {name} chưa được đính kèm vào tiêu chí 1.1: " in page
    assert why in page
    assert 'value="85"' in page and 'value="Hội nghị ngày 12/3"' in page
    answers = dict(submission.answers.values_list("code", "value"))
    assert (answers["1.1"], answers["1.2"], answers["1.3"]) == ("yes", "85", "7")
    assert not _evidence(submission).exists()
    # A virus found is audited; the other refusals are not.
    assert AuditEvent.objects.filter(action="evidence.infected").count() == int(infected)
    assert verify_chain().ok


def test_answers_that_are_not_right_come_back_as_typed_and_no_file_is_stored(
    submission, world, client
):
    client.force_login(world.people.officer)
    typed = _typed(submission) | {"a-1.2": "185", "attach": "1.1", "file-1.1": _pdf()}
    response = client.post(_url(submission), typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu được nội dung nào nên tệp minh chứng cũng chưa được đính kèm" in page
    # Everything typed is still in the form, and leaving it asks first.
    assert 'value="185"' in page and 'value="Hội nghị ngày 12/3"' in page and 'value="7"' in page
    assert "data-unsaved-dirty" in page
    assert not submission.answers.filter(code__in=["1.1", "1.2", "1.3"]).exists()
    assert not _evidence(submission).exists()


def test_a_stale_form_attaches_nothing(submission, world, client):
    client.force_login(world.people.officer)
    typed = _typed(submission) | {"attach": "1.1", "file-1.1": _pdf()}
    services.answers_save(
        actor=world.people.officer,
        submission=submission,
        answers={"1.3": scoring.Answer(value="2")},
    )
    response = client.post(_url(submission), typed)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Chưa lưu được nội dung nào" in page
    assert not _evidence(submission).exists()
    assert submission.answers.get(code="1.3").value == "2"
    # The form shows what is stored now; what this person's form held is shown beside it (where
    # it differs), so nothing typed is lost, and leaving asks first.
    assert 'value="2"' in page and "data-unsaved-dirty" in page
    notes = _not_saved(page)
    assert notes["1.1"] == "Trên phiếu của bạn (chưa lưu): Có"
    assert notes["1.2"] == "Trên phiếu của bạn (chưa lưu): 85 · Hội nghị ngày 12/3"
    assert notes["1.3"] == "Trên phiếu của bạn (chưa lưu): 7"
    assert set(notes) == {"1.1", "1.2", "1.3"}


def _not_saved(page: str) -> dict[str, str]:
    """The «not saved» notes beside the criteria: code → text."""
    found = re.findall(r'data-not-saved="([^"]+)">(.*?)</div>', page)
    return {code: re.sub(r"<[^>]+>", "", text).strip() for code, text in found}


def test_the_service_saves_the_answers_and_reports_each_file(submission, world):
    officer = world.people.officer
    saved, outcomes = services.answers_save_with_evidence(
        actor=officer,
        submission=submission,
        answers={"1.1": scoring.Answer(value="yes"), "1.2": scoring.Answer(value="70")},
        files=[
            services.EvidenceFile(code="1.1", name="a.pdf", data=tiny_pdf("a")),
            services.EvidenceFile(code="1.2", name="b.exe", data=b"MZ\x90\x00"),
            services.EvidenceFile(code="9.9", name="c.pdf", data=tiny_pdf("c")),
        ],
        expected_version=submission.version,
    )
    assert saved.version == submission.version + 1
    assert [(o.file.name, o.evidence is not None) for o in outcomes] == [
        ("a.pdf", True),
        ("b.exe", False),
        ("c.pdf", False),
    ]
    assert "không phải loại được nhận" in outcomes[1].problem
    assert outcomes[2].problem == "Hãy chọn tiêu chí mà minh chứng chứng minh."
    assert submission.answers.get(code="1.2").value == "70"
    assert _evidence(submission).get().original_name == "a.pdf"


def test_the_service_stores_no_file_when_the_answers_are_refused(submission, world):
    with pytest.raises(services.AssessmentError) as refused:
        services.answers_save_with_evidence(
            actor=world.people.officer,
            submission=submission,
            answers={"1.2": scoring.Answer(value="185")},
            files=[services.EvidenceFile(code="1.1", name="a.pdf", data=tiny_pdf("a"))],
        )
    assert set(refused.value.problems) == {"1.2"}
    assert not _evidence(submission).exists()
    assert not submission.answers.filter(code="1.2").exists()


def test_a_form_that_cannot_change_has_no_attach_and_no_guard(submission, world, client):
    submission.status = Submission.Status.SUBMITTED
    submission.save()
    client.force_login(world.people.officer)
    page = _page(client, submission)
    assert "data-unsaved-warning" not in page.forms["answers"]
    assert not [c for _o, c in page.controls if c.get("name") == "attach"]
    response = client.post(
        _url(submission), _typed(submission) | {"attach": "1.1", "file-1.1": _pdf()}
    )
    assert response.status_code == 400
    assert not _evidence(submission).exists()
