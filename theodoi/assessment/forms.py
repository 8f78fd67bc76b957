"""The self-assessment pages' forms. The answers' values are read by the pure ``scoring`` and
``framework`` modules (shared with the Excel import and the command), so the forms collect
them as typed; ids, years, dates and texts are read here once."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.assessment import framework as frameworks
from theodoi.assessment import scoring
from theodoi.core import inputs
from theodoi.core.forms import (
    DateField,
    IdField,
    IdListField,
    TextField,
    TextListField,
    VersionField,
    WholeNumberField,
    typed,
    whole_number,
)


class FileForm(forms.Form):
    """An uploaded file (a framework, or an evidence file with its criterion)."""

    file = forms.FileField(required=False)
    code = TextField(max_length=200)
    description = TextField(label=_("Description"), max_length=2000)


class YearForm(forms.Form):
    year = WholeNumberField(min_value=inputs.DATE_MIN.year, max_value=inputs.DATE_MAX.year)


class CampaignForm(forms.Form):
    framework = IdField()
    name = TextField(label=_("Name"), max_length=200)
    year = forms.CharField(required=False, max_length=40)
    deadline = forms.CharField(required=False, max_length=40)
    weak_percent = forms.CharField(required=False, max_length=40)
    units = IdListField()

    def clean_year(self) -> int:
        year = whole_number(self.cleaned_data["year"])
        if year is None or not inputs.DATE_MIN.year <= year <= inputs.DATE_MAX.year:
            raise forms.ValidationError(_("The year must be a year such as 2026."))
        return year

    def clean_weak_percent(self) -> int:
        weak = whole_number(self.cleaned_data["weak_percent"])
        if weak is None or weak > 100:
            raise forms.ValidationError(
                _("The weak threshold must be a whole number from 0 to 100.")
            )
        return weak

    def clean_deadline(self):
        raw = self.cleaned_data["deadline"]
        try:
            value = DateField().to_python(raw)
        except forms.ValidationError:
            raise forms.ValidationError(_("The deadline must be a valid date.")) from None
        if inputs.date_problem(value, label=""):
            raise forms.ValidationError(
                _("The deadline must be between %(first)s and %(last)s.")
                % {"first": f"{inputs.DATE_MIN:%d/%m/%Y}", "last": f"{inputs.DATE_MAX:%d/%m/%Y}"}
            )
        return value


class ImprovementForm(forms.Form):
    """Weak criteria ticked on the results page ("SUBMISSION:CODE") and the plan they go to."""

    plan = IdField()
    item = TextListField(max_length=200)
    deadline_text = TextField(label=_("Deadline"), max_length=500)

    def items(self) -> list[tuple[int, str]]:
        result = []
        for value in self.cleaned_data["item"]:
            submission_id, _sep, code = value.partition(":")
            submission_pk = whole_number(submission_id)
            if submission_pk is not None and code:
                result.append((submission_pk, code))
        return result


class AnswersForm(forms.Form):
    """A unit's answers: ``a-CODE`` (value), ``na-CODE`` (not applicable), ``note-CODE`` for
    each criterion of the framework, the button pressed and the version the form was shown
    with. Only criteria present on the form are read, so a partial form changes nothing else.
    ``file-CODE`` is an evidence file chosen for a criterion and ``attach`` the criterion whose
    "attach" button was pressed: the files go with the answers, so attaching one never loses
    what was typed in the others."""

    action = TextField(max_length=40)
    version = VersionField()
    attach = TextField(max_length=200)

    def __init__(self, data, files=None, *, definition: frameworks.Framework):
        super().__init__(data, files)
        self.criteria = list(definition.leaves())
        for criterion in self.criteria:
            code = criterion.code
            self.fields[f"a-{code}"] = TextField(label=criterion.code, max_length=2000)
            self.fields[f"na-{code}"] = forms.BooleanField(required=False)
            self.fields[f"note-{code}"] = TextField(label=_("Note"), max_length=inputs.TEXT_MAX)
            self.fields[f"file-{code}"] = forms.FileField(required=False)

    def evidence_files(self) -> list[tuple[str, Any]]:
        """The files chosen, criterion by criterion, in the framework's order: (code, upload)."""
        result = []
        for criterion in self.criteria:
            upload = self.cleaned_data.get(f"file-{criterion.code}")
            if upload:
                result.append((criterion.code, upload))
        return result

    def answers(self) -> dict[str, scoring.Answer]:
        result = {}
        for criterion in self.criteria:
            code = criterion.code
            if not any(f"{prefix}-{code}" in self.data for prefix in ("a", "na", "note")):
                continue
            raw = self.cleaned_data.get(f"a-{code}") or ""
            note = self.cleaned_data.get(f"note-{code}") or ""
            if self.cleaned_data.get(f"na-{code}") and criterion.allow_not_applicable:
                result[code] = scoring.Answer(not_applicable=True, note=note)
            else:
                result[code] = scoring.Answer(value=raw or None, note=note)
        return result

    def problems(self) -> dict[str, str]:
        """What is wrong, criterion by criterion, shown beside each."""
        result: dict[str, str] = {}
        for name, errors in self.errors.items():
            prefix, _sep, code = name.partition("-")
            if code and prefix in ("a", "na", "note", "file"):
                result.setdefault(code, str(errors[0]))
        return result

    def typed_answers(self) -> dict[str, scoring.Answer]:
        """The answers as typed, for a form shown again after an error (texts cut to size)."""
        result = {}
        for criterion in self.criteria:
            code = criterion.code
            if not any(f"{prefix}-{code}" in self.data for prefix in ("a", "na", "note")):
                continue
            raw = typed(self, f"a-{code}", limit=2000).strip()
            note = typed(self, f"note-{code}", limit=inputs.TEXT_MAX).strip()
            if self.data.get(f"na-{code}") and criterion.allow_not_applicable:
                result[code] = scoring.Answer(not_applicable=True, note=note)
            else:
                result[code] = scoring.Answer(value=raw or None, note=note)
        return result


class ReviewForm(forms.Form):
    """The standing office's decisions on a unit's answers."""

    action = TextField(max_length=40)
    reason = TextField(label=_("Reason"))
    version = VersionField()
    code = TextField(max_length=200)
    adjust_value = TextField(label=_("Value"), max_length=2000)
    adjust_na = forms.BooleanField(required=False)
    evidence = IdField()
    review_id = IdField()
