"""Budget estimate lines of a plan's appendix, in million VND (Decimal, never float)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from theodoi.org.models import Organization, User
from theodoi.plans.models import Plan, Section, Task

MONEY = {"max_digits": 16, "decimal_places": 3}


class BudgetLine(models.Model):
    class Origin(models.TextChoices):
        """Where a line came from: the plan's document (the import is only a first source) or
        the standing office typing it on the budget page."""

        IMPORT = "import", _("from the document")
        WEB = "web", _("added on the web")

    class Source(models.TextChoices):
        WARD = "ward", _("Ward budget")
        PROVINCE = "province", _("Province / city budget")
        CENTRAL = "central", _("Central budget")
        SOCIALISED = "socialised", _("Socialised / other sources")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="budget_lines"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="budget_lines"
    )
    code = models.CharField(_("code"), max_length=30, blank=True)
    content = models.TextField(_("content"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.WARD
    )
    # None when the document names the item without an amount: kept, not invented.
    estimate = models.DecimalField(_("estimate (million VND)"), null=True, blank=True, **MONEY)
    allocated = models.DecimalField(_("allocated (million VND)"), null=True, blank=True, **MONEY)
    disbursed = models.DecimalField(_("disbursed (million VND)"), null=True, blank=True, **MONEY)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(default=0)
    # Raised by each recording of allocated/disbursed amounts, so two people editing the same
    # line do not silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.IMPORT
    )
    # Who added the line and when, and who last corrected it, so the page can say where each
    # figure came from. Lines imported before these were kept have neither.
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), null=True, blank=True)
    edited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["plan", "order", "year"]

    def __str__(self) -> str:
        return f"{self.content[:60]} ({self.year}): {self.estimate}"


class WardBudget(models.Model):
    """A ward's total budget spending for a year, in million VND: the denominator of the share
    spent on science, technology, innovation and digital transformation."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("ward or commune"),
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.DecimalField(_("total budget (million VND)"), **MONEY)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ward budget")
        verbose_name_plural = _("ward budgets")
        ordering = ["organization", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="ward_budget_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}: {self.total}"
