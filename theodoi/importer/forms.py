"""The importer's forms: the uploaded document, and the corrections made on the review page.

The review form is built from the draft it corrects: one field per plan property and per
cell of each task row, a box per row to leave it out, and for each unknown unit name shown a
choice ("new", a unit id, or empty to leave it out)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import DateField, TextField, YearField, whole_number
from theodoi.importer.draft import Draft
from theodoi.importer.services import (
    INDICATOR_EDIT_FIELDS,
    PLAN_EDIT_FIELDS,
    TASK_EDIT_FIELDS,
    DraftEdits,
)
from theodoi.plans.models import Indicator, ReportingCycle

_PLAN_FIELDS = {
    "number": (_("Number"), 60),
    "title": (_("Title"), 2000),
    "issuer": (_("Issuing body"), 200),
}
_TASK_LIMITS = {"code": 30, "title": 10_000}
# A review page lists at most this many unknown unit names (more is a probe, not a plan).
_MAX_UNIT_NAMES = 1000


def milestone_years(draft: Draft) -> list[int]:
    """The years of the draft's roadmaps: one column each on the review page."""
    years = {year for item in draft.indicators for year in item.milestone_texts}
    years |= {year for item in draft.indicators for year in item.milestones}
    return sorted(years)


def _indicator_fields(index: int, code: str, years: list[int]) -> dict[str, forms.Field]:
    label = _("Indicator %(code)s") % {"code": code[:30] or index + 1}
    fields: dict[str, forms.Field] = {
        "name": TextField(label=label, max_length=4000),
        "unit": TextField(label=label, max_length=200),
        "comparator": forms.ChoiceField(
            label=label,
            choices=[("", "—"), *Indicator.Comparator.choices],
            required=False,
            error_messages={"invalid_choice": _("Choose the comparator from the list.")},
        ),
        "baseline_text": TextField(label=label, max_length=1000),
        "target_text": TextField(label=label, max_length=1000),
        "target_year": YearField(
            label=_("Target year of indicator %(code)s") % {"code": code[:30]}
        ),
        "delete": forms.BooleanField(required=False),
    }
    for year in years:
        fields[f"m-{year}"] = TextField(label=label, max_length=1000)
    return {f"ind-{index}-{name}": field for name, field in fields.items()}


class UploadForm(forms.Form):
    document = forms.FileField(
        required=False,
        error_messages={
            "empty": _(
                "The file you chose is empty (0 bytes). Open the plan on your computer, check "
                "that it has content, save it and upload it again."
            )
        },
    )
    # The id of the plan the document amends; empty for a plan of its own.
    amends = TextField(label=_("Amended plan"), max_length=20)


class AmendmentImportForm(forms.Form):
    """The review of an amending document: its number, date and content, and whether tasks
    the document no longer lists are withdrawn."""

    number = TextField(label=_("Document number"), max_length=60)
    issued_on = DateField(label=_("Issue date"))
    note = TextField(label=_("Content of the amendment"), max_length=4000)
    withdraw_missing = forms.BooleanField(required=False)
    action = forms.ChoiceField(
        choices=[("preview", "preview"), ("save", "save"), ("discard", "discard")],
        required=False,
    )


class DraftReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("save", "save"), ("discard", "discard")], required=False)
    confirm_other_issuer = forms.BooleanField(required=False)
    # The source of a left-out block to add as a task ("line 214"), instead of saving.
    add_block = TextField(label=_("Left-out block"), max_length=2000)

    def __init__(self, data, *, draft: Draft):
        super().__init__(data)
        for name in PLAN_EDIT_FIELDS:
            label, limit = _PLAN_FIELDS[name]
            self.fields[f"plan-{name}"] = TextField(label=label, max_length=limit)
        self.fields["plan-issued_on"] = DateField(label=_("Issue date"))
        self.fields["plan-reporting_cycle"] = forms.ChoiceField(
            label=_("Report cadence"),
            choices=ReportingCycle.choices,
            required=False,
            error_messages={"invalid_choice": _("Choose how often the units report.")},
        )
        for index in range(len(draft.tasks)):
            for name in TASK_EDIT_FIELDS:
                self.fields[f"task-{index}-{name}"] = TextField(
                    label=_("Task %(code)s") % {"code": draft.tasks[index].code[:30]},
                    max_length=_TASK_LIMITS.get(name, 1000),
                )
            self.fields[f"task-{index}-delete"] = forms.BooleanField(required=False)
            self.fields[f"task-{index}-upper"] = TextField(
                label=_("Task %(code)s") % {"code": draft.tasks[index].code[:30]},
                max_length=20,
            )
        self._years = milestone_years(draft)
        for index, indicator in enumerate(draft.indicators):
            self.fields.update(_indicator_fields(index, indicator.code, self._years))
        self._indicator_count = len(draft.indicators)
        # The unknown names travel with their choice ("unit-name-K" beside "unit-K"), so a
        # list that changed since the page was shown cannot mix them up.
        keys = [k for k in data if k.startswith("unit-name-")][:_MAX_UNIT_NAMES]
        for key in keys:
            suffix = key.removeprefix("unit-name-")
            self.fields[key] = TextField(label=_("Unit"), max_length=1000, strip=False)
            self.fields[f"unit-{suffix}"] = TextField(label=_("Unit"), max_length=20)
        self._unit_keys = [k.removeprefix("unit-name-") for k in keys]
        self._task_count = len(draft.tasks)

    def _posted(self, data, prefix: str, names) -> dict:
        """The valid values of the fields ``prefix + name`` that were posted."""
        return {
            name: data[f"{prefix}{name}"]
            for name in names
            if f"{prefix}{name}" in self.data and f"{prefix}{name}" in data
        }

    def edits(self) -> DraftEdits:
        """The corrections of the fields that are valid (all of them once ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        edits = DraftEdits(confirm_other_issuer=bool(data.get("confirm_other_issuer")))
        for name in PLAN_EDIT_FIELDS:
            if f"plan-{name}" in self.data and f"plan-{name}" in data:
                edits.plan[name] = data[f"plan-{name}"]
        if data.get("plan-reporting_cycle"):
            edits.plan["reporting_cycle"] = data["plan-reporting_cycle"]
        if "plan-issued_on" in self.data and "plan-issued_on" in data:
            edits.issued_on_posted = True
            edits.issued_on = data["plan-issued_on"]
        for index in range(self._task_count):
            if data.get(f"task-{index}-delete"):
                edits.deleted.add(index)
            cells = {
                name: data[f"task-{index}-{name}"]
                for name in TASK_EDIT_FIELDS
                if f"task-{index}-{name}" in self.data and f"task-{index}-{name}" in data
            }
            if cells:
                edits.tasks[index] = cells
            if f"task-{index}-upper" in self.data and f"task-{index}-upper" in data:
                # "" is none; anything but an id (never an upper task's) is refused on saving.
                chosen = data[f"task-{index}-upper"]
                edits.uppers[index] = (whole_number(chosen) or 0) if chosen else None
        for index in range(self._indicator_count):
            if data.get(f"ind-{index}-delete"):
                edits.deleted_indicators.add(index)
            cells = self._posted(data, f"ind-{index}-", INDICATOR_EDIT_FIELDS)
            typed = self._posted(data, f"ind-{index}-m-", [str(year) for year in self._years])
            if typed:
                cells["milestones"] = {int(year): text for year, text in typed.items()}
            if cells:
                edits.indicators[index] = cells
        for suffix in self._unit_keys:
            name = data.get(f"unit-name-{suffix}")
            if name is None:
                continue
            edits.shown_units.add(name)
            choice = data.get(f"unit-{suffix}") or ""
            if f"unit-{suffix}" not in self.data:
                choice = "new"
            if choice != "new":
                edits.unit_choices[name] = whole_number(choice)
        return edits


def indicator_rows(draft: Draft, posted=None) -> list[dict]:
    """The review page's indicator inputs: the posted text where there is one (a refused form
    comes back as typed), else the draft's."""
    posted = posted or {}
    years = milestone_years(draft)
    rows = []
    for index, item in enumerate(draft.indicators):
        values = {
            "name": item.name,
            "unit": item.unit,
            "comparator": item.comparator or "",
            "baseline_text": item.baseline_text,
            "target_text": item.target_text,
            "target_year": "" if item.target_year is None else str(item.target_year),
        }
        for name in values:
            if f"ind-{index}-{name}" in posted:
                values[name] = str(posted[f"ind-{index}-{name}"])
        milestones = [
            (year, str(posted.get(f"ind-{index}-m-{year}", item.milestone_texts.get(year, ""))))
            for year in years
        ]
        rows.append(
            {
                "index": index,
                "item": item,
                "values": values,
                "milestones": milestones,
                "deleted": bool(posted.get(f"ind-{index}-delete")),
            }
        )
    return rows
