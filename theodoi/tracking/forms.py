"""The forms of the task pages. Each POST of this app is read by one of these; views call
``is_valid()`` and the services, nothing else reads ``request.POST``.

Numbers are read as Vietnamese write them (``core.numbers.parse_number``: "1.234,5"), dates
within ``core.inputs``' range, and version marks (hidden fields the page filled in) as ASCII
digits only: ``"²".isdigit()`` holds, yet ``int("²")`` raises.
"""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import IdField, TextField, whole_number
from theodoi.core.inputs import parse_date
from theodoi.core.numbers import parse_number
from theodoi.org.models import Unit
from theodoi.plans.models import Plan, Task
from theodoi.plans.selectors import Gap
from theodoi.reporting.models import Evidence
from theodoi.tracking.services import Upload, task_deadline_fields

_NUMBER_TEXT = re.compile(r"[\s\d.,+-]+%?", re.ASCII)
_VERSION_TEXT = re.compile(r"[0-9]{1,18}", re.ASCII)
BAD_VERSION = _("The page's version mark is not valid. Reload the page and try again.")


def _version(text: str) -> int | None:
    """A version mark, or None when it is not one (the caller raises)."""
    text = text.strip()
    return int(text) if _VERSION_TEXT.fullmatch(text) else None


class VersionField(forms.Field):
    """The version of a record as the page showed it; blank (an older page) means no check."""

    default_error_messages = {"invalid": BAD_VERSION}

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        version = _version(text)
        if version is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return version


class WholeNumberField(forms.Field):
    """A whole number typed the Vietnamese way ("85", "1.200", "85%"), within a range."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        number = parse_number(text) if _NUMBER_TEXT.fullmatch(text) else None
        if (
            number is None
            or not number.is_finite()
            or number != number.to_integral_value()
            or not self.min_value <= number <= self.max_value
        ):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


class TypedText(forms.CharField):
    """Text a person typed, stripped. Its length and characters (NUL, a lone surrogate) are
    checked by the service with ``core.inputs.text_problem``, whose message names the field;
    Django's own NUL check would answer first with a vaguer one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files under one name (the evidence drop zone)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # The service refuses an empty file with its own message, naming what to do.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


PERCENT_MESSAGE = _("The percent done must be a whole number from 0 to 100.")


class ReportForm(forms.Form):
    """The unit's report for a period, with any evidence files chosen on the task page."""

    period = TypedText()
    percent = WholeNumberField(
        min_value=0,
        max_value=100,
        error_messages={"required": PERCENT_MESSAGE, "invalid": PERCENT_MESSAGE},
    )
    # Texts are checked (length, characters no database keeps) by the service, whose message
    # names the field; the form only strips them.
    result = TypedText()
    difficulties = TypedText()
    proposals = TypedText()
    # The versions of all the task's reports as the page showed them ("2026-Q3=2;2026-Q4=1"),
    # since the period is chosen on the form; ``version`` is the older pages' single mark.
    versions = TypedText()
    version = VersionField(required=False)
    evidence = MultipleFileField(required=False)
    kind = forms.ChoiceField(choices=Evidence.Kind.choices, required=False)
    document_number = TypedText()
    document_date = TypedText()

    def clean(self):
        data = super().clean()
        if "versions" in self.data:
            # A period missing from the list had no report when the page was shown (0), so
            # a report someone else created meanwhile is not silently overwritten.
            seen = dict(
                item.strip().split("=", 1)
                for item in (data.get("versions") or "").split(";")
                if "=" in item
            )
            version = _version(seen.get((data.get("period") or "").strip(), "0"))
            if version is None:
                self.add_error("versions", BAD_VERSION)
            data["version"] = version
        data["kind"] = data.get("kind") or Evidence.Kind.OTHER
        # The document's date matters only with a file; without one it is not read at all.
        data["document_date"] = None
        if data.get("evidence"):
            try:
                data["document_date"] = parse_date(
                    self.data.get("document_date"), label=_("Document date")
                )
            except ValueError as exc:
                self.add_error("document_date", str(exc))
        return data

    def uploads(self) -> list[Upload]:
        """The files as the service takes them. One byte over the limit is enough for the
        service to refuse a file, and a huge one is never read into memory whole."""
        limit = settings.THEODOI_EVIDENCE_MAX_MB * 1024 * 1024
        return [
            Upload(name=f.name or "", data=f.read(limit + 1)) for f in self.cleaned_data["evidence"]
        ]


CHOOSE_DECISION = _("Choose what to do with the report.")


class ReportDecisionForm(forms.Form):
    """The standing office accepts or returns a report; a unit head confirms it."""

    action = forms.ChoiceField(
        choices=[("accept", "accept"), ("return", "return"), ("confirm", "confirm")],
        error_messages={"required": CHOOSE_DECISION, "invalid_choice": CHOOSE_DECISION},
    )
    reason = TypedText()
    version = VersionField(required=False)


CHOOSE_REVIEW = _("The decision must be «valid» or «not valid».")


class EvidenceReviewForm(forms.Form):
    """Accept or reject one evidence file; ``version`` is the id of the latest review the
    page showed (0: none yet)."""

    decision = forms.ChoiceField(
        choices=[(v, v) for v in ("accept", "reject", "accepted", "rejected")],
        error_messages={"required": CHOOSE_REVIEW, "invalid_choice": CHOOSE_REVIEW},
    )
    reason = TypedText()
    version = VersionField(required=False)


class DirectiveForm(forms.Form):
    text = TypedText(
        required=True, error_messages={"required": _("Write the directive before sending it.")}
    )


class DirectiveAnswerForm(forms.Form):
    answer = TypedText(
        required=True, error_messages={"required": _("Write the answer before sending it.")}
    )


class TaskFilterForm(forms.Form):
    """The filters of a plan's task list (query parameters). A value that is not one (a word
    for a unit, "²", 30 digits) is ignored, as a filter the page never offered."""

    unit = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    state = forms.CharField(required=False)
    deadline = forms.CharField(required=False)
    q = forms.CharField(required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "unit": data.get("unit"),
            "state": data.get("state", "") or "",
            "deadline": data.get("deadline", "") or "",
            "q": data.get("q", "") or "",
        }


# --- Completing the "6 rõ" ------------------------------------------------------------------

GAP_FILTER_CHOICES = [
    ("not_trackable", _("Not yet trackable")),
    (Gap.LEAD_UNIT.value, _("No lead unit")),
    (Gap.DEADLINE.value, _("No deadline")),
    (Gap.OUTPUT.value, _("No output")),
    (Gap.KPI.value, _("No KPI")),
    ("any", _("Anything missing")),
]


class GapFilterForm(forms.Form):
    """The gap the completion page lists (a query parameter); anything else is the default,
    the tasks that cannot be tracked yet."""

    gap = forms.ChoiceField(choices=GAP_FILTER_CHOICES, required=False)

    def chosen(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("gap") or "not_trackable"


class IdListField(forms.Field):
    """Ids posted under one name (checkboxes); anything that is not an id ("²", forty digits)
    is refused with ``invalid``, never sent to the database."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = [whole_number(item) for item in values]
        if any(pk is None for pk in ids):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(ids))


CHOOSE_TASKS = _("Choose at least one task (tick the boxes in the list).")
TASKS_GONE = _(
    "Some of the chosen tasks are no longer in this plan. Reload the page and choose again."
)
UNIT_GONE = _("Choose a unit of this ward from the list.")


class BulkAssignForm(forms.Form):
    """The tasks ticked on the completion page and what to give them all. A blank field leaves
    the tasks' own value as it is."""

    tasks = IdListField(error_messages={"required": CHOOSE_TASKS, "invalid": TASKS_GONE})
    lead_unit = IdField(label=_("Lead unit"))
    coordinating_units = IdListField(required=False, error_messages={"invalid": UNIT_GONE})
    deadline_text = TextField(label=_("Deadline"), max_length=500)
    output = TextField(label=_("Output product"), max_length=2000)
    kpi = TextField(label=_("KPI"), max_length=2000)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.units = list(
            Unit.objects.filter(organization_id=plan.organization_id, is_active=True).order_by(
                "order", "name"
            )
        )
        self.deadline_preview: dict | None = None

    def selected_ids(self) -> set[str]:
        """The ticked tasks as the page sent them, to tick them again when the form is shown
        with its errors."""
        if not self.is_bound:
            return set()
        return {str(value) for value in self.data.getlist("tasks")}

    def chosen_coordinators(self) -> set[str]:
        if not self.is_bound:
            return set()
        return {str(value) for value in self.data.getlist("coordinating_units")}

    def clean_tasks(self):
        ids = self.cleaned_data["tasks"]
        tasks = list(Task.objects.filter(plan=self.plan, pk__in=ids).select_related("plan"))
        if len(tasks) != len(ids):
            raise ValidationError(TASKS_GONE, code="gone")
        return tasks

    def clean_lead_unit(self):
        pk = self.cleaned_data["lead_unit"]
        if pk is None:
            if str(self.data.get("lead_unit") or "").strip():
                raise ValidationError(UNIT_GONE, code="invalid")
            return None
        unit = next((unit for unit in self.units if unit.pk == pk), None)
        if unit is None:
            raise ValidationError(UNIT_GONE, code="invalid")
        return unit

    def clean_coordinating_units(self):
        ids = self.cleaned_data["coordinating_units"]
        units = {unit.pk: unit for unit in self.units}
        if any(pk not in units for pk in ids):
            raise ValidationError(UNIT_GONE, code="invalid")
        return [units[pk] for pk in ids]

    def clean_deadline_text(self):
        text = self.cleaned_data["deadline_text"].strip()
        if text:
            self.deadline_preview = task_deadline_fields(text, plan=self.plan)
            if self.deadline_preview["due_date"] is None:
                raise ValidationError(
                    _(
                        "The deadline «%(text)s» names no day. Write it as a date, a month, a "
                        "quarter or a year, e.g. «30/6/2026», «Tháng 9/2026», «Quý III/2026»."
                    )
                    % {"text": text},
                    code="no_day",
                )
        return text

    def clean(self):
        data = super().clean()
        given = [
            data.get("lead_unit"),
            data.get("coordinating_units"),
            *(str(data.get(name) or "").strip() for name in ("deadline_text", "output", "kpi")),
        ]
        if not self.errors and not any(given):
            raise ValidationError(
                _(
                    "Nothing to assign: choose a lead unit or coordinating units, or type a "
                    "deadline, an output or a KPI."
                ),
                code="empty",
            )
        return data


class DeadlinePreviewForm(forms.Form):
    """The deadline being typed on the completion page, read back before it is saved."""

    deadline_text = TextField(label=_("Deadline"), max_length=500)
