"""A ward's point scale for the unit ranking (DESIGN.md §4); the scoring itself is pure
(``scoring.py``)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.org.models import Organization, User
from theodoi.ranking import scoring


def default_bands() -> list[dict[str, int | float]]:
    return [dict(band) for band in scoring.DEFAULT_BANDS]


class ScoreScale(models.Model):
    """How a ward turns the share of tasks done on time into points, and what a late report
    costs. A ward without one uses ``scoring.DEFAULT_SCALE``."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("ward or commune"),
        on_delete=models.CASCADE,
        related_name="score_scale",
    )
    # [{"min": 100, "points": 10}, {"min": 90, "points": 8}, …]: the points of the highest
    # minimum percentage of tasks done on time that a unit reaches.
    bands = models.JSONField(_("bands"), default=default_bands)
    late_report_penalty = models.DecimalField(
        _("points off per day a report is late"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
    )
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score scale")
        verbose_name_plural = _("score scales")

    def __str__(self) -> str:
        return f"{self.organization}"

    def as_scale(self) -> scoring.Scale:
        return scoring.scale_from(self.bands, self.late_report_penalty)
