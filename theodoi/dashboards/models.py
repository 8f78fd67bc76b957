"""A shared catalogue of indicators, so that the same indicator of many wards lines up.

Each ward's plan names its indicators in its own words ("Tỷ lệ hồ sơ thủ tục hành chính xử lý
trực tuyến", "Tỉ lệ hồ sơ TTHC xử lý trực tuyến"); linking each to one catalogue entry lets the
upper level compare them. The link lives here rather than on ``plans.Indicator`` so that the plans
app does not depend on the dashboards.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.org.models import User
from theodoi.plans.models import Indicator


class IndicatorCatalogue(models.Model):
    """One indicator as the province or the nation defines it."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.TextField(_("name"))
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100, blank=True)
    comparator = models.CharField(
        _("comparator"),
        max_length=2,
        choices=Indicator.Comparator.choices,
        default=Indicator.Comparator.GE,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("catalogue indicator")
        verbose_name_plural = _("indicator catalogue")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def lower_is_better(self) -> bool:
        return self.comparator in (Indicator.Comparator.LE, Indicator.Comparator.LT)


class IndicatorCatalogueLink(models.Model):
    """A ward's indicator recognised as a catalogue entry; an indicator has at most one."""

    catalogue = models.ForeignKey(
        IndicatorCatalogue,
        verbose_name=_("catalogue indicator"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="catalogue_link"
    )
    linked_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("catalogue link")
        verbose_name_plural = _("catalogue links")

    def __str__(self) -> str:
        return f"{self.indicator} → {self.catalogue.code}"
