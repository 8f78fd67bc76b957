"""The forms of the task pages. Each POST of this app is read by one of these; views call
``is_valid()`` and the services, nothing else reads ``request.POST``.

Numbers are read as Vietnamese write them (``core.numbers.parse_number``: "1.234,5"), dates
within ``core.inputs``' range, and version marks (hidden fields the page filled in) as ASCII
digits only: ``"²".isdigit()`` holds, yet ``int("²")`` raises.
"""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.datastructures import MultiValueDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import (
    DateField,
    IdField,
    TextField,
    TextListField,
    VietnameseDecimalField,
    YearField,
    whole_number,
)
from theodoi.core.forms import WholeNumberField as CoreWholeNumberField
from theodoi.core.inputs import parse_date
from theodoi.core.numbers import parse_number, parse_typed_number
from theodoi.org.models import Unit
from theodoi.plans import selectors as plan_selectors
from theodoi.plans import services as plan_services
from theodoi.plans.models import Indicator, Plan, ReportingCycle, Section, Task
from theodoi.plans.selectors import Gap
from theodoi.reporting import selectors as reporting_selectors
from theodoi.reporting.models import Evidence
from theodoi.tracking.services import EvidenceFile, Upload

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


PERCENT_MESSAGE = _("The percent done must be a whole number from 0 to 100.")


class ReportForm(forms.Form):
    """The unit's report for a period; its evidence files are the rows of ``EvidenceFilesForm``."""

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
        return data


# Evidence rows: one file each, with its own kind, number, date and the file it replaces.

FILE_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,image/*,.jpg,.jpeg,.png,.gif,.webp"
ROWS_SHOWN = 3  # empty rows a page without JavaScript offers
ROWS_MAX = 10


class EvidenceRowForm(forms.Form):
    """One evidence file and what the person says of it."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        allow_empty_file=True,  # the service refuses an empty file with its own message
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT, "data-evidence-input": ""}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices, required=False)
    document_number = TypedText(label=_("Document number"))
    document_date = TypedText(label=_("Document date"))
    description = TypedText(label=_("Description"))
    replaces = IdField(label=_("Replaces"))

    # The fields a person types in; a row with none of them and no file is left out.
    TYPED = ("document_number", "document_date", "description", "replaces")

    def clean(self):
        data = super().clean()
        data["kind"] = data.get("kind") or Evidence.Kind.OTHER
        try:
            data["document_date"] = parse_date(
                self.data.get(self.add_prefix("document_date")), label=_("Document date")
            )
        except ValueError as exc:
            self.add_error("document_date", str(exc))
        return data

    def chosen_name(self) -> str:
        """The name of the file this row sent, to ask for it again when nothing was saved."""
        upload = self.files.get(self.add_prefix("file")) if self.is_bound else None
        return (upload.name or "") if upload else ""

    def typed_something(self) -> bool:
        """Whether the row holds a file or anything typed (an untouched row is skipped)."""
        if not self.is_bound:
            return False
        raw = [self.data.get(self.add_prefix(name)) for name in self.TYPED]
        return bool(self.files.get(self.add_prefix("file")) or any((v or "").strip() for v in raw))


class BaseEvidenceRows(forms.BaseFormSet):
    """The rows of files sent at once. ``task`` is the task they prove; a row naming a file to
    replace must name one of that task's files (whether it may be replaced, the service says)."""

    def __init__(
        self,
        *args,
        task: Task,
        require_one: bool = False,
        rejected: list[Evidence] | None = None,
        **kwargs,
    ):
        self.task, self.require_one = task, require_one
        # The task's rejected files when the page has read its files already.
        self._rejected = rejected
        super().__init__(*args, **kwargs)

    @property
    def rejected(self) -> list[Evidence]:
        # Read when the rows are shown: a report sent without a file never needs it.
        if self._rejected is None:
            self._rejected = reporting_selectors.rejected_files(self.task)
        return self._rejected

    @cached_property
    def _known(self) -> dict[int, Evidence]:
        return {e.pk: e for e in Evidence.objects.filter(task=self.task)}

    def clean(self):
        if any(self.errors):
            return
        chosen = 0
        for form in self.forms:
            if not form.typed_something():
                continue
            if not form.cleaned_data.get("file"):
                form.add_error(
                    "file",
                    _("Choose the file for this row, or clear what was typed in it."),
                )
                continue
            chosen += 1
            replaces = form.cleaned_data.get("replaces")
            if replaces is not None:
                if replaces not in self._known:
                    form.add_error(
                        "replaces", _("The file to replace is not one of this task's files.")
                    )
                    continue
                form.cleaned_data["replaces"] = self._known[replaces]
        if self.require_one and not chosen and not any(self.errors):
            raise ValidationError(_("Choose at least one evidence file."), code="empty")

    def evidence_files(self) -> list[EvidenceFile]:
        """The rows with a file, as the service takes them. One byte over the limit is enough
        for the service to refuse a file, and a huge one is never read into memory whole."""
        limit = settings.THEODOI_EVIDENCE_MAX_MB * 1024 * 1024
        items = []
        for form in self.forms:
            data = form.cleaned_data
            upload = data.get("file")
            if not upload:
                continue
            items.append(
                EvidenceFile(
                    upload=Upload(name=upload.name or "", data=upload.read(limit + 1)),
                    kind=data["kind"],
                    document_number=data["document_number"],
                    document_date=data["document_date"],
                    description=data["description"],
                    replaces=data["replaces"],
                )
            )
        return items

    def chosen_names(self) -> list[str]:
        """The names of the files that were chosen: a refused page cannot keep files (no
        browser lets a page fill a file input), so it says which to choose again."""
        return [name for name in (form.chosen_name() for form in self.forms) if name]


class EvidenceAddQuery(forms.Form):
    """The query of the page adding evidence: the rejected file it opens to replace."""

    replaces = IdField()

    def chosen(self) -> int | None:
        return self.cleaned_data.get("replaces") if self.is_valid() else None


_EvidenceRows = forms.formset_factory(
    EvidenceRowForm,
    formset=BaseEvidenceRows,
    extra=ROWS_SHOWN,
    max_num=ROWS_MAX,
    absolute_max=ROWS_MAX,
    validate_max=True,
)
ROWS_PREFIX = "files"


def _legacy_rows(data, files):
    """The rows of a POST made the older way (files under ``evidence``, one kind, number and
    date for all of them, as scripts and older pages send it): one row per file."""
    data = data.copy()
    legacy = files.getlist("evidence") if files is not None else []
    files = MultiValueDict({f"{ROWS_PREFIX}-{i}-file": [f] for i, f in enumerate(legacy)})
    for index in range(len(legacy)):
        for name in ("kind", "document_number", "document_date"):
            data[f"{ROWS_PREFIX}-{index}-{name}"] = data.get(name, "")
    data[f"{ROWS_PREFIX}-TOTAL_FORMS"] = str(len(legacy))
    data[f"{ROWS_PREFIX}-INITIAL_FORMS"] = "0"
    return data, files


class EvidenceFilesForm(_EvidenceRows):  # type: ignore[misc,valid-type]
    """The rows of evidence files of a POST (``data`` None: a new page), one file a row."""

    def __init__(
        self, data=None, files=None, *, task: Task, require_one=False, initial=None, rejected=None
    ):
        if data is not None and f"{ROWS_PREFIX}-TOTAL_FORMS" not in data:
            data, files = _legacy_rows(data, files)
        super().__init__(
            data,
            files,
            prefix=ROWS_PREFIX,
            task=task,
            require_one=require_one,
            initial=initial,
            rejected=rejected,
        )


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
            self.deadline_preview = plan_services.deadline_reading(text, plan=self.plan)
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


# --- Editing a plan -------------------------------------------------------------------------


def _bootstrap(form: forms.Form) -> None:
    """The classes the site's stylesheet gives inputs, and the error state of each field."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            widget.attrs["aria-describedby"] = f"id_{name}_errors"
        widget.attrs["class"] = css


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


# The version token: the record's ``updated_at`` as the page showed it (ISO 8601).
_VERSION_MAX = 64


class TaskEditForm(forms.Form):
    """Every field of a task, to edit one or to add one to a plan (or under a task).

    The lead units keep their order as a choice of the responsible unit (the first, whom
    alerts and reports name) and the other lead units; ``deadline_reading`` is what the typed
    deadline will be read as, shown before saving."""

    title = TextField(label=_("Task"), required=True, widget=forms.Textarea(attrs={"rows": 4}))
    code = TextField(label=_("Code"), max_length=30)
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Parent task"), queryset=Task.objects.none(), required=False
    )
    output = TextField(label=_("Output product"), widget=forms.Textarea(attrs={"rows": 2}))
    kpi = TextField(label=_("KPI"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = _UnitChoice(
        label=_("Responsible lead unit"), queryset=Unit.objects.none(), required=False
    )
    lead_units = _UnitsChoice(
        label=_("Other lead units"), queryset=Unit.objects.none(), required=False
    )
    coordinating_units = _UnitsChoice(
        label=_("Coordinating units"), queryset=Unit.objects.none(), required=False
    )
    accountable = TextField(label=_("Accountable head"), max_length=200)
    deadline_text = TextField(label=_("Deadline"), max_length=1000)
    reporting_cycle = forms.ChoiceField(label=_("Reporting cycle"), required=False)
    start_date = DateField(label=_("Start"))
    weight = VietnameseDecimalField(label=_("Weight"), decimal_places=2, limit=Decimal(10000))
    note = TextField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    updated_at = forms.CharField(
        required=False, max_length=_VERSION_MAX, widget=forms.HiddenInput, strip=True
    )
    # "preview" shows how the deadline is read without saving (the page without JavaScript).
    action = forms.ChoiceField(choices=[("save", "save"), ("preview", "preview")], required=False)

    def __init__(self, *args, plan: Plan, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.task = plan, task
        self.deadline_reading: dict | None = None
        self.fields["section"].queryset = plan.sections.all()
        self.fields["section"].empty_label = gettext_lazy("— No section —")
        parents = Task.objects.filter(plan=plan).order_by("order", "id")
        if task is not None:
            excluded = [task.pk, *(t.pk for t in plan_selectors.descendants(task, every=True))]
            parents = parents.exclude(pk__in=excluded)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = gettext_lazy("— None: a task of the plan —")
        units = Unit.objects.filter(organization=plan.organization_id).order_by("order", "name")
        for name in ("responsible", "lead_units", "coordinating_units"):
            self.fields[name].queryset = units
        self.fields["responsible"].empty_label = gettext_lazy("— Not assigned yet —")
        self.fields["lead_units"].widget.attrs["size"] = 6
        self.fields["coordinating_units"].widget.attrs["size"] = 6
        plan_cycle = plan.get_reporting_cycle_display()
        self.fields["reporting_cycle"].choices = [
            ("", gettext_lazy("As the plan (%(cycle)s)") % {"cycle": plan_cycle}),
            *ReportingCycle.choices,
        ]
        self.fields["deadline_text"].help_text = gettext_lazy(
            "As the plan writes it: «Quý III/2026», «Trước 30/6/2026», «Thường xuyên»."
        )
        _bootstrap(self)

    @classmethod
    def initial_for(cls, task: Task) -> dict:
        leads = list(plan_selectors.lead_unit_ids(task))
        return {
            "title": task.title,
            "code": task.code,
            "section": task.section_id,
            "parent": task.parent_id,
            "output": task.output,
            "kpi": task.kpi,
            "responsible": leads[0] if leads else None,
            "lead_units": leads[1:],
            "coordinating_units": plan_selectors.coordinating_unit_ids(task),
            "accountable": task.accountable,
            "deadline_text": task.deadline_text,
            "reporting_cycle": task.reporting_cycle,
            "start_date": task.start_date,
            "weight": f"{task.weight.normalize():f}".replace(".", ","),
            "note": task.note,
            "updated_at": task.updated_at.isoformat(),
        }

    def clean(self):
        data = super().clean()
        text = data.get("deadline_text")
        if text:
            self.deadline_reading = plan_services.deadline_reading(text, plan=self.plan)
        if data.get("weight") is None and "weight" not in self.errors:
            data["weight"] = Decimal(1)
        elif data.get("weight") == 0:
            self.add_error("weight", _("The weight must be more than 0."))
        return data

    def ordered_lead_units(self) -> list[Unit]:
        """The responsible unit first, then the other lead units in the catalogue's order."""
        data = self.cleaned_data
        first = data.get("responsible")
        others = [u for u in data.get("lead_units") or [] if first is None or u.pk != first.pk]
        return ([first] if first else []) + others

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "code": data["code"],
            "section": data["section"],
            "parent": data["parent"],
            "output": data["output"],
            "kpi": data["kpi"],
            "accountable": data["accountable"],
            "deadline_text": data["deadline_text"],
            "reporting_cycle": data["reporting_cycle"],
            "start_date": data["start_date"],
            "weight": data["weight"],
            "note": data["note"],
        }


class WithdrawForm(forms.Form):
    """Withdrawing a task or a plan: the reason is required, and the version the page showed."""

    reason = TextField(
        label=_("Reason"),
        max_length=2000,
        required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason before withdrawing.")},
    )
    updated_at = forms.CharField(
        required=False, max_length=_VERSION_MAX, widget=forms.HiddenInput, strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class RestoreForm(forms.Form):
    """Restoring a withdrawn plan: a button, nothing to type."""


class PlanEditForm(forms.Form):
    """The plan's own fields: its number, title, issuer, dates and reporting rules."""

    number = TextField(label=_("Number"), max_length=60)
    title = TextField(label=_("Title"), required=True, widget=forms.Textarea(attrs={"rows": 2}))
    issuer = TextField(label=_("Issuing body"), max_length=200, required=True)
    issuer_kind = forms.ChoiceField(label=_("Issuer kind"), choices=Plan.Issuer.choices)
    issued_on = DateField(label=_("Issued on"))
    period_start = DateField(
        label=_("Period start"),
        help_text=_(
            "Expected progress, the reporting periods and the alerts count from this day; "
            "left empty, from the issue date, else from the day the plan was imported."
        ),
    )
    period_end = DateField(label=_("Period end"))
    reporting_cycle = forms.ChoiceField(label=_("Reporting cycle"), choices=ReportingCycle.choices)
    report_due_days = CoreWholeNumberField(
        label=_("Days to report after each period"), min_value=0, max_value=90, required=True
    )
    parent_references = TextField(
        label=_("Upper-level plans (Căn cứ)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    updated_at = forms.CharField(
        required=False, max_length=_VERSION_MAX, widget=forms.HiddenInput, strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    @classmethod
    def initial_for(cls, plan: Plan) -> dict:
        return {name: getattr(plan, name) for name in plan_services.PLAN_EDITABLE_FIELDS} | {
            "updated_at": plan.updated_at.isoformat()
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The plan's period must end after it starts."))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in plan_services.PLAN_EDITABLE_FIELDS}


class IndicatorEditForm(forms.Form):
    """An indicator: its name, direction, baseline, yearly milestones and target, its units."""

    name = TextField(label=_("Indicator"), required=True, widget=forms.Textarea(attrs={"rows": 2}))
    code = TextField(label=_("Code"), max_length=30)
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), required=False
    )
    unit_of_measure = TextField(label=_("Unit of measure"), max_length=100)
    comparator = forms.ChoiceField(label=_("Direction"), choices=[])
    baseline = VietnameseDecimalField(label=_("Baseline"), decimal_places=4, allow_negative=True)
    baseline_year = YearField(label=_("Baseline year"))
    baseline_text = TextField(label=_("Baseline as written"), max_length=1000)
    target = VietnameseDecimalField(label=_("Target"), decimal_places=4, allow_negative=True)
    target_year = YearField(label=_("Target year"))
    target_text = TextField(label=_("Target as written"), max_length=1000)
    milestone_year = TextListField(label=_("Year"), max_length=10, max_items=60)
    milestone_value = TextListField(label=_("Value"), max_length=40, max_items=60)
    lead_unit = _UnitChoice(label=_("Lead unit"), queryset=Unit.objects.none(), required=False)
    monitoring_unit = _UnitChoice(
        label=_("Monitoring unit"), queryset=Unit.objects.none(), required=False
    )
    is_ratio = forms.BooleanField(label=_("Measured as numerator/denominator"), required=False)
    numerator_label = TextField(label=_("Numerator"), max_length=200)
    denominator_label = TextField(label=_("Denominator"), max_length=200)
    note = TextField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    updated_at = forms.CharField(
        required=False, max_length=_VERSION_MAX, widget=forms.HiddenInput, strip=True
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["section"].queryset = plan.sections.all()
        self.fields["section"].empty_label = gettext_lazy("— No section —")
        units = Unit.objects.filter(organization=plan.organization_id).order_by("order", "name")
        for name in ("lead_unit", "monitoring_unit"):
            self.fields[name].queryset = units
            self.fields[name].empty_label = gettext_lazy("— None —")
        self.fields["comparator"].choices = [
            (Indicator.Comparator.GE, gettext_lazy("≥ at least (higher is better)")),
            (Indicator.Comparator.GT, gettext_lazy("> more than (higher is better)")),
            (Indicator.Comparator.LE, gettext_lazy("≤ at most (lower is better)")),
            (Indicator.Comparator.LT, gettext_lazy("< less than (lower is better)")),
            (Indicator.Comparator.EQ, gettext_lazy("= exactly")),
        ]
        _bootstrap(self)

    @classmethod
    def initial_for(cls, indicator: Indicator) -> dict:
        milestones = list(indicator.milestones.order_by("year"))

        def shown(value):
            return "" if value is None else f"{value.normalize():f}".replace(".", ",")

        return {
            **{
                name: getattr(indicator, name)
                for name in (
                    "name",
                    "code",
                    "unit_of_measure",
                    "comparator",
                    "baseline_year",
                    "baseline_text",
                    "target_year",
                    "target_text",
                    "is_ratio",
                    "numerator_label",
                    "denominator_label",
                    "note",
                )
            },  # fmt: skip
            "section": indicator.section_id,
            "lead_unit": indicator.lead_unit_id,
            "monitoring_unit": indicator.monitoring_unit_id,
            "baseline": shown(indicator.baseline),
            "target": shown(indicator.target),
            "milestone_year": [str(m.year) for m in milestones],
            "milestone_value": [shown(m.value) for m in milestones],
            "updated_at": indicator.updated_at.isoformat(),
        }

    def milestone_rows(self) -> list[tuple[str, str]]:
        """The roadmap's rows as typed (or stored), and three empty rows to add years."""
        source = self.data if self.is_bound else self.initial
        getter = getattr(source, "getlist", None)
        years = getter("milestone_year") if getter else source.get("milestone_year", [])
        values = getter("milestone_value") if getter else source.get("milestone_value", [])
        rows = list(zip(years, values, strict=False))
        rows = [(str(y), str(v)) for y, v in rows if str(y).strip() or str(v).strip()]
        return rows + [("", "")] * 3

    def clean(self):
        data = super().clean()
        milestones: dict[int, Decimal] = {}
        years = data.get("milestone_year") or []
        values = data.get("milestone_value") or []
        for year_text, value_text in zip(years, values, strict=False):
            if not year_text and not value_text:
                continue
            year = whole_number(year_text)
            if year is None or not 2000 <= year <= 2100:
                self.add_error(
                    "milestone_year",
                    _("A milestone's year must be between 2000 and 2100 (%(year)s).")
                    % {"year": year_text or "—"},
                )
                continue
            value = parse_typed_number(value_text) if value_text else None
            if value is None or not value.is_finite() or abs(value) >= Decimal("1e12"):
                self.add_error(
                    "milestone_value",
                    _("The milestone of %(year)s must be a number such as 1.200 or 12,5.")
                    % {"year": year},
                )
                continue
            if year in milestones:
                self.add_error(
                    "milestone_year",
                    _("The year %(year)s is given twice in the roadmap.") % {"year": year},
                )
                continue
            milestones[year] = value
        data["milestones"] = milestones
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        names = plan_services.INDICATOR_EDITABLE_FIELDS - {"lead_unit_raw", "monitoring_unit_raw"}
        return {name: data[name] for name in names}


class DeadlinePreviewForm(forms.Form):
    """The deadline typed so far, sent by the task form as the person types."""

    deadline_text = TextField(max_length=1000)


class UpperTaskForm(forms.Form):
    """The upper-level task a ward task carries out, chosen on the task page (blank: none)."""

    upper = CoreWholeNumberField(label=_("Upper-level task"))
    next = forms.CharField(required=False, max_length=2000)
