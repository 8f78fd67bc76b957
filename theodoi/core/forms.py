"""Field types shared by every form of the site: what a person types, read one way everywhere.

A Vietnamese number ("1.234,5"), a date within the plausible range of ``core.inputs``, a text
with the site's length limit and no character a database cannot store, a whole number or an id
that is never "²" or forty digits long, and a list of values posted under one name. The forms
of each app (``<app>/forms.py``) are built from these, so a view only calls ``is_valid()``.
Errors are Vietnamese sentences (gettext); a form re-shown keeps what the person typed.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from theodoi.core import inputs
from theodoi.core.numbers import parse_typed_number

# One whole number of at most nine digits: a year, a percentage, a version or a database id.
# A longer one is a typing slip (or a probe) that the database's integer could not hold.
_MAX_WHOLE_DIGITS = 9


def whole_number(raw: object) -> int | None:
    """A whole number typed or posted ("12", " 7 "); None for anything else ("²", "1e9", "-1",
    forty digits). The one reader of ids and versions taken from a query string or a form."""
    text = str(raw if raw is not None else "").strip()
    if text.isascii() and text.isdigit() and len(text) <= _MAX_WHOLE_DIGITS:
        return int(text)
    return None


class TextField(forms.CharField):
    """Text within the site's limit (``inputs.TEXT_MAX`` unless ``max_length`` says less),
    refusing the characters no database stores (NUL, half of a UTF-16 pair)."""

    def __init__(self, *, max_length: int = inputs.TEXT_MAX, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        # Django's own max_length message names no field; ours is said in clean().
        self.validators = [v for v in self.validators if not hasattr(v, "limit_value")]

    def clean(self, value):
        value = self.to_python(value)
        problem = inputs.text_problem(
            value, label=str(self.label or _("Text")), limit=self.max_length
        )
        if problem:
            raise ValidationError(problem, code="text")
        if self.required and not value:
            raise ValidationError(
                _("%(label)s: this field is required.") % {"label": self.label or _("Text")},
                code="required",
            )
        self.run_validators(value)
        return value


class WholeNumberField(forms.Field):
    """A whole number from ``min_value`` to ``max_value``; blank is None unless required."""

    default_error_messages = {
        "invalid": _("%(label)s must be a whole number from %(min)s to %(max)s."),
    }

    def __init__(self, *, min_value: int = 0, max_value: int = 10**_MAX_WHOLE_DIGITS - 1, **kw):
        kw.setdefault("required", False)
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kw)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        number = whole_number(value)
        if number is None or not self.min_value <= number <= self.max_value:
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={
                    "label": self.label or _("The number"),
                    "min": self.min_value,
                    "max": self.max_value,
                },
            )
        return number


class IdField(forms.Field):
    """A database id posted by a select or a hidden input; anything else is None, never an
    error: the view then answers as for an id that does not exist."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return whole_number(value)


class VersionField(IdField):
    """The version a form was shown with (optimistic locking); None when missing or garbled,
    which the services treat as "do not check"."""

    widget = forms.HiddenInput


class YearField(WholeNumberField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Year"))
        super().__init__(min_value=inputs.DATE_MIN.year, max_value=inputs.DATE_MAX.year, **kwargs)


class VietnameseDecimalField(forms.CharField):
    """A number written the Vietnamese way: "1.200" is 1200, "12,5" is 12.5, "1.234,5" is
    1234.5 (``core.numbers``). Blank is None; at most ``decimal_places`` digits after the
    comma and below ``limit``; never negative unless ``allow_negative``."""

    def __init__(
        self,
        *,
        decimal_places: int = 3,
        limit: Decimal = Decimal("1e13"),
        allow_negative: bool = False,
        **kwargs,
    ):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        self.decimal_places, self.limit, self.allow_negative = decimal_places, limit, allow_negative
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not hasattr(v, "limit_value")]

    def clean(self, value):
        text = super().to_python(value)
        label = self.label or _("The number")
        if not text:
            if self.required:
                raise ValidationError(
                    _("%(label)s: this field is required.") % {"label": label}, code="required"
                )
            return None
        number = parse_typed_number(text) if len(text) <= (self.max_length or 40) else None
        if number is None:
            raise ValidationError(
                _("%(label)s must be a number such as 1.200 or 12,5.") % {"label": label},
                code="invalid",
            )
        if abs(number) >= self.limit:
            raise ValidationError(_("%(label)s is too large.") % {"label": label}, code="limit")
        if number < 0 and not self.allow_negative:
            raise ValidationError(
                _("%(label)s cannot be negative.") % {"label": label}, code="negative"
            )
        step = Decimal(1).scaleb(-self.decimal_places)
        if number != number.quantize(step):
            raise ValidationError(
                _("%(label)s takes at most %(places)d digits after the comma.")
                % {"label": label, "places": self.decimal_places},
                code="places",
            )
        return number.quantize(step)


class DateField(forms.DateField):
    """A date as a date input sends it (YYYY-MM-DD) within ``inputs.DATE_MIN``–``DATE_MAX``."""

    input_formats = ["%Y-%m-%d"]
    widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def _label(self) -> str:
        return str(self.label or _("The date"))

    def to_python(self, value):
        invalid = ValidationError(
            _("%(label)s must be a valid date (day/month/year).") % {"label": self._label()},
            code="invalid",
        )
        if isinstance(value, str) and (len(value) > 40 or inputs.has_lone_surrogate(value)):
            raise invalid
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise invalid from exc

    def validate(self, value: datetime.date | None) -> None:
        super().validate(value)
        problem = inputs.date_problem(value, label=self._label())
        if problem:
            raise ValidationError(problem, code="date_range")


class _ListInput(forms.Widget):
    """Every value posted under the field's name, in order (rows of a table, ticked boxes)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def value_omitted_from_data(self, data, files, name):
        return False


class TextListField(forms.Field):
    """The values posted under one name, each a text within ``max_length``."""

    widget = _ListInput

    def __init__(self, *, max_length: int = 200, max_items: int = 1000, **kwargs):
        kwargs.setdefault("required", False)
        self.max_length, self.max_items = max_length, max_items
        super().__init__(**kwargs)

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [] if value is None else [value]
        if len(values) > self.max_items:
            raise ValidationError(_("Too many rows were sent."), code="max_items")
        label = str(self.label or _("Text"))
        cleaned = []
        for item in values:
            text = str(item).strip()
            problem = inputs.text_problem(text, label=label, limit=self.max_length)
            if problem:
                raise ValidationError(problem, code="text")
            cleaned.append(text)
        return cleaned


class IdListField(TextListField):
    """Database ids posted under one name (ticked boxes); values that are not ids are left out."""

    def to_python(self, value):
        return [n for n in (whole_number(v) for v in super().to_python(value)) if n is not None]


def first_error(form: forms.BaseForm) -> str:
    """The form's first message, for pages that answer with a one-line notice."""
    for errors in form.errors.values():
        for message in errors:
            return str(message)
    return ""


def error_messages(form: forms.BaseForm) -> list[str]:
    """Every message of the form, field by field, for a notice above the form."""
    return [str(message) for errors in form.errors.values() for message in errors]


def typed(form: forms.BaseForm, name: str, *, limit: int = 1000) -> str:
    """What the person typed into ``name``, to show again beside an error: cut to ``limit``
    and without the characters no page can carry (a lone UTF-16 half would break the answer)."""
    return shown_text(form.data.get(name, ""), limit=limit)


def shown_text(value: object, *, limit: int = 1000) -> str:
    text = str(value if value is not None else "")[:limit].replace("\x00", "")
    return inputs.strip_lone_surrogates(text)
