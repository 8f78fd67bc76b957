"""The ward's point scale form: rows of bands and the late-report penalty.

The numbers are read by ``ranking.scoring.scale_from`` (pure, shared with the API and the
commands), so the form only collects the rows as typed and keeps them for a refused form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from theodoi.core.forms import TextField, TextListField, shown_text


class ScaleForm(forms.Form):
    min = TextListField(label=_("Band start (% of tasks on time)"), max_length=40, max_items=100)
    points = TextListField(label=_("Points"), max_length=40, max_items=100)
    late_report_penalty = TextField(label=_("Points off per day a report is late"), max_length=40)

    def bands(self) -> list[dict[str, str]]:
        """The rows of the form, blank rows left out."""
        return [
            {"min": low, "points": points}
            for low, points in zip(
                self.cleaned_data["min"], self.cleaned_data["points"], strict=False
            )
            if low or points
        ]

    def typed_rows(self) -> list[dict[str, str]]:
        """The rows as posted, for a form shown again after an error."""
        lows, points = self.data.getlist("min")[:100], self.data.getlist("points")[:100]
        return [
            {"min": shown_text(low, limit=40), "points": shown_text(point, limit=40)}
            for low, point in zip(lows, points, strict=False)
            if low.strip() or point.strip()
        ]
