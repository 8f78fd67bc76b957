"""The amendment page's form: the amending document, then one row per task of the plan (title,
deadline, lead unit, withdraw with a reason) and rows for new tasks.

One form with a field per cell, named after the task's id (``t12-title``) or the new row's place
(``n0-title``), like the importer's review form: the page can be shown again with everything
typed, as hidden fields on the preview and as inputs after an error."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import DateField, TextField, WholeNumberField, whole_number
from theodoi.org.models import Unit
from theodoi.plans import amendments
from theodoi.plans.models import Plan

ACTIONS = [
    ("preview", "preview"),
    ("confirm", "confirm"),
    ("edit", "edit"),
    ("add_row", "add_row"),
]
NEW_ROWS = 3
MAX_NEW_ROWS = 50

_SMALL = {"class": "form-control form-control-sm"}


class AmendmentForm(forms.Form):
    number = TextField(label=_("Document number"), max_length=60, required=True)
    issued_on = DateField(label=_("Issued on"))
    note = TextField(label=_("Content of the amendment"), max_length=4000)
    new_rows = WholeNumberField(min_value=0, max_value=MAX_NEW_ROWS, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=ACTIONS, required=False)

    def __init__(
        self,
        data=None,
        *,
        rows: Sequence[dict[str, Any]],
        units: Sequence[Unit],
        sections: Sequence[str],
    ):
        super().__init__(data)
        self.fields["number"].widget.attrs.update(
            {"class": "form-control", "placeholder": _("e.g. 25/KH-UBND")}
        )
        self.fields["issued_on"].widget.attrs.update({"class": "form-control"})
        self.fields["note"].widget = forms.Textarea(attrs={"class": "form-control", "rows": 2})
        self.rows = [row for row in rows if not row.get("withdrawn")]
        self.units = {unit.pk: unit for unit in units}
        unit_choices = [("", "—")] + [(str(u.pk), u.name) for u in units]
        self.new_count = NEW_ROWS
        if data is not None:
            posted = whole_number(data.get("new_rows"))
            self.new_count = min(posted if posted is not None else NEW_ROWS, MAX_NEW_ROWS)
            if data.get("action") == "add_row":
                self.new_count = min(self.new_count + 1, MAX_NEW_ROWS)
        self.fields["new_rows"].initial = self.new_count
        for row in self.rows:
            key = f"t{row['id']}"
            leads = row.get("lead_unit_ids") or []
            self.fields[f"{key}-title"] = TextField(
                label=_("Task %(code)s") % {"code": row["code"]},
                max_length=10_000,
                initial=row["title"],
                widget=forms.Textarea(attrs=_SMALL | {"rows": 2}),
            )
            self.fields[f"{key}-deadline_text"] = TextField(
                label=_("Deadline of task %(code)s") % {"code": row["code"]},
                max_length=1000,
                initial=row["deadline_text"],
                widget=forms.TextInput(attrs=_SMALL),
            )
            self.fields[f"{key}-lead_unit"] = forms.ChoiceField(
                label=_("Lead unit"),
                choices=unit_choices,
                required=False,
                initial=str(leads[0]) if leads else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"{key}-withdraw"] = forms.BooleanField(
                required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )
            self.fields[f"{key}-reason"] = TextField(
                label=_("Reason"),
                max_length=1000,
                widget=forms.TextInput(attrs=_SMALL | {"placeholder": _("Reason")}),
            )
        section_choices = [("", "—")] + [(code, code) for code in sections]
        for index in range(self.new_count):
            key = f"n{index}"
            self.fields[f"{key}-section"] = forms.ChoiceField(
                choices=section_choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"{key}-code"] = TextField(
                label=_("Code"), max_length=30, widget=forms.TextInput(attrs=_SMALL | {"size": 4})
            )
            self.fields[f"{key}-title"] = TextField(
                label=_("New task"),
                max_length=10_000,
                widget=forms.Textarea(attrs=_SMALL | {"rows": 2}),
            )
            self.fields[f"{key}-deadline_text"] = TextField(
                label=_("Deadline"), max_length=1000, widget=forms.TextInput(attrs=_SMALL)
            )
            self.fields[f"{key}-lead_unit"] = forms.ChoiceField(
                label=_("Lead unit"),
                choices=unit_choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    # --- For the template -----------------------------------------------------------------

    def task_fields(self) -> list[dict[str, Any]]:
        return [
            {
                "row": row,
                "title": self[f"t{row['id']}-title"],
                "deadline_text": self[f"t{row['id']}-deadline_text"],
                "lead_unit": self[f"t{row['id']}-lead_unit"],
                "withdraw": self[f"t{row['id']}-withdraw"],
                "reason": self[f"t{row['id']}-reason"],
                "original": amendments.day_text(row.get("original_due_date")),
            }
            for row in self.rows
        ]

    def new_fields(self) -> list[dict[str, Any]]:
        names = ("section", "code", "title", "deadline_text", "lead_unit")
        return [
            {name: self[f"n{index}-{name}"] for name in names} for index in range(self.new_count)
        ]

    def document_fields(self) -> list[forms.BoundField]:
        """Every field but the action, to carry on the preview as hidden inputs."""
        return [self[name] for name in self.fields if name != "action"]

    # --- Checks ---------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        for row in self.rows:
            key = f"t{row['id']}"
            if data.get(f"{key}-withdraw"):
                if not data.get(f"{key}-reason"):
                    self.add_error(
                        f"{key}-reason",
                        ValidationError(
                            _("Task %(code)s: give the reason it is withdrawn.")
                            % {"code": row["code"] or row["title"][:40]}
                        ),
                    )
            elif f"{key}-title" in data and not data[f"{key}-title"]:
                self.add_error(
                    f"{key}-title",
                    ValidationError(
                        _("Task %(code)s: the title cannot be empty.") % {"code": row["code"]}
                    ),
                )
        for index in range(self.new_count):
            key = f"n{index}"
            typed = any(
                data.get(f"{key}-{name}") for name in ("code", "deadline_text", "lead_unit")
            )
            if typed and not data.get(f"{key}-title"):
                self.add_error(
                    f"{key}-title",
                    ValidationError(
                        _("New row %(row)s: enter the task's title, or clear the row.")
                        % {"row": index + 1}
                    ),
                )
        return data

    # --- What the person asked for, as snapshot rows ---------------------------------------

    def _unit_ids(self, key: str) -> list[int]:
        pk = whole_number(self.cleaned_data.get(key))
        return [pk] if pk in self.units else []

    def after_rows(self, *, plan: Plan) -> list[dict[str, Any]]:
        """The plan's tasks as the form leaves them (``amendments`` rows), for ``diff``."""
        data = self.cleaned_data
        year = plan.start.year

        def due(text: str) -> str | None:
            day = amendments.due_date_for(text, plan_year=year, plan_end=plan.period_end)
            return day.isoformat() if day else None

        rows = []
        for row in self.rows:
            key = f"t{row['id']}"
            new = dict(row)
            if data.get(f"{key}-withdraw"):
                new |= {"withdrawn": True, "withdraw_reason": data.get(f"{key}-reason", "")}
                rows.append(new)
                continue
            new["title"] = data.get(f"{key}-title", row["title"])
            text = data.get(f"{key}-deadline_text", row["deadline_text"])
            if text != row["deadline_text"]:
                new |= {"deadline_text": text, "due_date": due(text)}
            chosen = self._unit_ids(f"{key}-lead_unit")
            leads = list(row.get("lead_unit_ids") or [])
            if chosen and chosen[:1] != leads[:1]:
                # The chosen unit leads; any other lead units the plan named stay after it.
                ids = chosen + [pk for pk in leads if pk not in chosen]
                new["lead_unit_ids"] = ids
                new["lead_units"] = [self.units[pk].name if pk in self.units else "" for pk in ids]
            rows.append(new)
        for index in range(self.new_count):
            key = f"n{index}"
            title = data.get(f"{key}-title", "")
            if not title:
                continue
            text = data.get(f"{key}-deadline_text", "")
            leads = self._unit_ids(f"{key}-lead_unit")
            rows.append(
                {
                    "id": None,
                    "code": data.get(f"{key}-code", ""),
                    "title": title,
                    "section": data.get(f"{key}-section", ""),
                    "parent": "",
                    "lead_units": [self.units[pk].name for pk in leads],
                    "lead_unit_ids": leads,
                    "coordinating_units": [],
                    "coordinating_unit_ids": [],
                    "deadline_text": text,
                    "due_date": due(text),
                    "output": "",
                    "kpi": "",
                    "withdrawn": False,
                    "withdraw_reason": "",
                }
            )
        return rows
