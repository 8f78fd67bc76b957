"""What the automatic checks found in an evidence file, as flags for the reviewer
(`{% load evidence_checks %}`, `{% evidence_flags file as flags %}`): a file repeating one
already sent (above all a rejected one), its signatures' verdicts, a document number out of
form, a document dated outside its period, a photo's date and place."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from theodoi.reporting import checks, signatures
from theodoi.reporting.models import Evidence
from theodoi.reporting.selectors import attach_earlier_copies

register = template.Library()


@dataclass(frozen=True)
class Flag:
    level: str  # a Bootstrap colour: danger, warning, success, info, secondary
    text: str
    detail: str = ""
    url: str = ""
    code: str = ""  # stable, for tests and styling


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return "…"
    if isinstance(value, datetime.datetime):
        value = value.date()
    return date_format(value, "d/m/Y")


def _copy_flag(file: Evidence, files: Iterable[Evidence] | None) -> list[Flag]:
    copies = getattr(file, "earlier_copies", None)
    if copies is None:
        # Read for all the page's files in one query when the first of them is shown.
        others = [f for f in files or () if f is not file and not hasattr(f, "earlier_copies")]
        attach_earlier_copies([file, *others])
        copies = file.earlier_copies
    if not copies:
        return []
    first = copies[0]
    earlier = first.evidence
    where = earlier.task.code if earlier.task_id and earlier.task_id != file.task_id else ""
    detail = gettext("Earlier file: %(name)s, uploaded on %(day)s") % {
        "name": earlier.original_name,
        "day": _day(earlier.uploaded_on or earlier.uploaded_at),
    }
    if where:
        detail += " · " + gettext("task %(code)s") % {"code": where}
    url = reverse("evidence_file", args=[earlier.pk])
    if first.rejected:
        assert first.review is not None
        detail += ". " + gettext("Reason for rejection: %(reason)s") % {
            "reason": first.review.reason
        }
        return [
            Flag(
                "danger",
                gettext("Same file as one rejected on %(day)s")
                % {"day": _day(first.review.reviewed_on or first.review.reviewed_at)},
                detail,
                url,
                "duplicate-rejected",
            )
        ]
    return [
        Flag(
            "warning",
            gettext("Same file as one already sent on %(day)s")
            % {"day": _day(earlier.uploaded_on or earlier.uploaded_at)},
            detail,
            url,
            "duplicate",
        )
    ]


def _signature_flags(report: dict[str, Any]) -> list[Flag]:
    verdict = report.get("verdict")
    if verdict == "unsigned":
        return [Flag("secondary", gettext("PDF without a digital signature"), code="unsigned")]
    if verdict == "unreadable":
        return [
            Flag("secondary", gettext("The PDF's signatures could not be read"), code="unreadable")
        ]
    if verdict in ("too_large", "timeout"):
        return [
            Flag(
                "secondary",
                gettext("The PDF's signatures were not checked (file too large or too slow)"),
                code="unchecked",
            )
        ]
    flags = []
    for result in report.get("signatures", []):
        sentence = signatures.explain(result)
        if result.get("integrity") == "unreadable":
            flags.append(Flag("secondary", sentence, code="unreadable"))
        elif result.get("integrity") in ("altered", "modified"):
            flags.append(
                Flag("danger", gettext("Document altered after signing"), sentence, code="altered")
            )
        elif result.get("trust") == "trusted":
            flags.append(Flag("success", sentence, code="signature-valid"))
        else:
            flags.append(
                Flag("warning", gettext("Certificate not trusted"), sentence, code="untrusted")
            )
    return flags


def flags_for(file: Evidence, files: Iterable[Evidence] | None = None) -> list[Flag]:
    """Every flag of ``file``, the most serious first; ``files`` are the other files of the
    page, whose earlier copies are read at the same time."""
    found = file.checks or {}
    flags = _copy_flag(file, files)
    report = found.get("signatures")
    # A PDF without a signature is worth saying only of a file sent as a signed document.
    if report and (
        report.get("verdict") != "unsigned" or file.kind == Evidence.Kind.SIGNED_DOCUMENT
    ):
        flags += _signature_flags(report)
    number = found.get("number")
    if number and number.get("verdict") == "bad":
        flags.append(
            Flag(
                "warning",
                gettext("Document number not in the form of Decree 30/2020"),
                checks.explain_number(number),
                code="number-bad",
            )
        )
    elif number and number.get("verdict") == "letter":
        flags.append(Flag("info", checks.explain_number(number), code="number-letter"))
    date = found.get("date")
    if date and date.get("verdict") in ("before", "after"):
        flags.append(
            Flag(
                "warning",
                gettext("Document date outside the reporting period"),
                checks.explain_date(date),
                code="date-outside",
            )
        )
    elif date and date.get("verdict") == "future":
        flags.append(
            Flag(
                "warning",
                gettext("Document dated after its upload"),
                checks.explain_date(date),
                code="date-future",
            )
        )
    photo = found.get("photo")
    if photo:
        flags.append(Flag("info", checks.explain_photo(photo), code="photo"))
    order = {"danger": 0, "warning": 1, "success": 2, "info": 3, "secondary": 4}
    return sorted(flags, key=lambda flag: order[flag.level])


@register.simple_tag
def evidence_flags(file: Evidence, files: Iterable[Evidence] | None = None) -> list[Flag]:
    return flags_for(file, files)
