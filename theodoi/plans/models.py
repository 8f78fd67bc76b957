"""Plans, their sections, tasks and indicators (DESIGN.md §1, §3)."""

import datetime
from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from theodoi.core.text import fold
from theodoi.org.models import Organization, Unit
from theodoi.plans import numbering
from theodoi.plans.deadline import DeadlineKind, Recurrence


class ReportingCycle(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


def plan_start(
    period_start: datetime.date | None,
    issued_on: datetime.date | None,
    created_at: datetime.datetime | None,
) -> datetime.date:
    """The day a plan starts (DESIGN.md §4): the start of its period, else its issue date, else
    the day it was imported (or entered), until the office sets its dates. Expected progress,
    the reporting periods and so the alerts all count from it; ``Plan.start`` for a plan at
    hand, this for one read as plain values."""
    if period_start is not None:
        return period_start
    if issued_on is not None:
        return issued_on
    # Not yet saved: it is being imported now.
    return timezone.localdate(created_at) if created_at is not None else timezone.localdate()


class Plan(models.Model):
    """A plan issued by a ward's Party committee or People's Committee."""

    class Issuer(models.TextChoices):
        PARTY = "party", _("Party committee")
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("In progress")
        CLOSED = "closed", _("Closed")
        # Imported by mistake but already reported on: kept with its history, out of every count.
        ARCHIVED = "archived", _("Withdrawn")

    # A ward's or commune's plan, or a province's own plan whose tasks cascade to its wards.
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("ward, commune or province"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    title = models.TextField(_("title"))
    issuer = models.CharField(_("issuing body"), max_length=200)
    issuer_kind = models.CharField(
        _("issuer kind"), max_length=20, choices=Issuer.choices, default=Issuer.PEOPLES_COMMITTEE
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    parents = models.ManyToManyField(
        "self",
        verbose_name=_("parent plans"),
        symmetrical=False,
        blank=True,
        related_name="children",
    )
    parent_references = models.TextField(
        _("upper-level plans"),
        blank=True,
        help_text=_("The 'Căn cứ' lines naming plans that are not in the system."),
    )
    reporting_cycle = models.CharField(
        _("reporting cycle"),
        max_length=20,
        choices=ReportingCycle.choices,
        default=ReportingCycle.QUARTERLY,
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("report due days"),
        default=5,
        help_text=_("Days after the end of a period by which each unit's report is due."),
    )
    # Read on the plan of the level above: the ward's periodic report on a plan implementing it
    # is due this many days after each period ends.
    upward_report_due_days = models.PositiveSmallIntegerField(
        _("periodic report due days"),
        default=10,
        help_text=_(
            "Days after the end of a month or quarter by which each ward's periodic report on "
            "a plan implementing this one is due."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if numbering.is_numbered(self.number) else self.title

    def get_absolute_url(self) -> str:
        return reverse("plan_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def number_text(self) -> str:
        """The number as a column shows it, "(chưa đánh số) -KH/ĐU" for a blank one."""
        return numbering.number_text(self.number)

    @property
    def number_label(self) -> str:
        """ "Số: 110/KH-UBND", "Số: (chưa đánh số) -KH/ĐU" or "Kế hoạch chưa có số"."""
        return numbering.number_label(self.number)

    @property
    def short_name(self) -> str:
        """The number once the plan has one, else the start of its title."""
        return numbering.plan_name(self.number, self.title)

    @property
    def start(self) -> datetime.date:
        """See ``plan_start``."""
        return plan_start(self.period_start, self.issued_on, self.created_at)


class Section(models.Model):
    """A numbered group of a plan's tasks ("I. Nâng cao nhận thức …")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=20, blank=True)
    title = models.TextField(_("title"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}" if self.code else self.title


class EveryRowManager(models.Manager):
    """Every row, withdrawn or archived ones included: ``all_objects`` of tasks and indicators."""


class CountedTaskManager(models.Manager["Task"]):
    """The tasks that count: not withdrawn, and not of a withdrawn plan.

    It is ``Task.objects``, so every list, count, alert scan, ranking and report (and
    ``plan.tasks``, ``task.subtasks``) leaves withdrawn tasks out by itself. A withdrawn task is
    still reachable through ``Task.all_objects`` and from its reports and evidence (foreign keys
    read through the base manager), so its history stays."""

    def get_queryset(self) -> models.QuerySet["Task"]:
        return (
            super()
            .get_queryset()
            .filter(withdrawn_at__isnull=True)
            .exclude(plan__status=Plan.Status.ARCHIVED)
        )


class WardAssignment(models.TextChoices):
    """Who carries out a province's task: its own departments (the lead units), every ward and
    commune below the province, or the ones listed (``Task.assigned_wards``)."""

    OWN_UNITS = "", _("Its own departments")
    ALL_WARDS = "all_wards", _("All wards and communes")
    LISTED_WARDS = "listed_wards", _("The wards and communes listed")


class Task(models.Model):
    """A task or subtask of a plan, with the "6 rõ" columns of the plan's appendix."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subtasks",
    )
    # The task of the level above that this one carries out (a ward's task implementing a
    # province task): the province follows its task down through these, the ward up.
    upper_task = models.ForeignKey(
        "self",
        verbose_name=_("implements the upper-level task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implementing_tasks",
    )
    # Only on a province's task: whether the wards carry it out, and which.
    ward_assignment = models.CharField(
        _("carried out by"),
        max_length=20,
        choices=WardAssignment.choices,
        blank=True,
        default=WardAssignment.OWN_UNITS,
    )
    assigned_wards = models.ManyToManyField(
        Organization,
        verbose_name=_("wards and communes"),
        blank=True,
        related_name="assigned_upper_tasks",
    )
    code = models.CharField(_("code"), max_length=30, blank=True)
    title = models.TextField(_("task"))
    output = models.TextField(_("output product"), blank=True)
    kpi = models.TextField(_("KPI"), blank=True)
    # In the order the plan names them (``TaskLeadUnit.order``): the first lead unit is the one
    # alerts and reports treat as responsible. Read them with
    # ``selectors.lead_units_in_order``, write them with ``services.task_create``/``task_update``.
    lead_units = models.ManyToManyField(
        Unit,
        verbose_name=_("lead units"),
        blank=True,
        related_name="led_tasks",
        through="TaskLeadUnit",
    )
    coordinating_units = models.ManyToManyField(
        Unit,
        verbose_name=_("coordinating units"),
        blank=True,
        related_name="coordinated_tasks",
        through="TaskCoordinatingUnit",
    )
    lead_units_raw = models.TextField(_("lead units as written"), blank=True)
    coordinating_units_raw = models.TextField(_("coordinating units as written"), blank=True)
    accountable = models.CharField(_("accountable head"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    deadline_text = models.TextField(_("deadline as written"), blank=True)
    deadline_kind = models.CharField(
        _("deadline kind"),
        max_length=20,
        choices=[(k.value, k.value) for k in DeadlineKind],
        default=DeadlineKind.UNKNOWN.value,
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    recurrence = models.CharField(
        _("recurrence"),
        max_length=20,
        blank=True,
        choices=[(r.value, r.value) for r in Recurrence],
        default=Recurrence.NONE.value,
    )
    deadline_first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_anchor_month = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_needs_review = models.BooleanField(_("deadline needs review"), default=False)

    # Set once, when an amendment first moves the deadline: the state follows the current
    # deadline, and "late against the original" stays visible.
    original_due_date = models.DateField(_("original due date"), null=True, blank=True)
    original_deadline_text = models.TextField(_("original deadline as written"), blank=True)
    # "" follows the plan's cycle; a task may report more or less often than its plan.
    reporting_cycle = models.CharField(
        _("reporting cycle"), max_length=20, choices=ReportingCycle.choices, blank=True
    )

    start_date = models.DateField(_("start"), null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal(1))
    order = models.PositiveIntegerField(default=0)

    # Cached results of the tracking rules (DESIGN.md §4), written only by the services that
    # record reports and reviews, so lists can filter and sort by state in the database.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    # Withdrawn, never deleted: its reports, evidence and history stay, and it leaves the counts.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CountedTaskManager()
    all_objects = EveryRowManager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "id"]
        indexes = [models.Index(fields=["plan", "due_date"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def save(self, *args, **kwargs):
        # A derived, diacritic-free index so "chu ky so" finds "chữ ký số" on every database.
        self.search_text = fold(
            " ".join([self.code, self.title, self.output, self.kpi, self.note, self.accountable])
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("task_detail", args=[self.pk])

    @property
    def cycle(self) -> str:
        """The reporting cycle this task follows: its own, else its plan's."""
        return self.reporting_cycle or self.plan.reporting_cycle

    @property
    def start(self) -> datetime.date:
        """The day the task starts: its own start, else its plan's (``Plan.start``)."""
        return self.start_date or self.plan.start

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def deadline_moved(self) -> bool:
        return self.original_due_date is not None and self.original_due_date != self.due_date


class _TaskUnit(models.Model):
    """A unit named by a task, at its place in the plan's list (0 first)."""

    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["task", "order", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.unit_id} #{self.order}"


class TaskLeadUnit(_TaskUnit):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="lead_links")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="task_lead_links")

    class Meta(_TaskUnit.Meta):
        # The table of the former implicit many-to-many relation, rows and ids unchanged.
        db_table = "plans_task_lead_units"
        unique_together = [("task", "unit")]
        verbose_name = _("task lead unit")
        verbose_name_plural = _("task lead units")


class TaskCoordinatingUnit(_TaskUnit):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="coordinating_links")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="task_coordinating_links")

    class Meta(_TaskUnit.Meta):
        db_table = "plans_task_coordinating_units"
        unique_together = [("task", "unit")]
        verbose_name = _("task coordinating unit")
        verbose_name_plural = _("task coordinating units")


class CountedIndicatorManager(models.Manager["Indicator"]):
    """The indicators that count: not of a withdrawn plan (see ``CountedTaskManager``)."""

    def get_queryset(self) -> models.QuerySet["Indicator"]:
        return super().get_queryset().exclude(plan__status=Plan.Status.ARCHIVED)


class Indicator(models.Model):
    """A target with a unit of measure (chỉ tiêu): baseline, yearly milestones and target."""

    class Rollup(models.TextChoices):
        # How a province's indicator is computed from the same indicator of its wards (linked
        # through the shared catalogue); "" for a ward's indicator or one measured directly.
        NONE = "", _("Measured directly")
        SUM = "sum", _("Sum of the wards' values")
        AVERAGE = "average", _("Average of the wards' values")

    class Comparator(models.TextChoices):
        GE = ">=", "≥"
        GT = ">", ">"
        LE = "<=", "≤"
        LT = "<", "<"
        EQ = "=", "="

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=30, blank=True)
    name = models.TextField(_("indicator"))
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices, default=Comparator.GE
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_text = models.TextField(_("target as written"), blank=True)
    is_ratio = models.BooleanField(_("numerator/denominator"), default=False)
    numerator_label = models.CharField(_("numerator"), max_length=200, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_indicators",
    )
    monitoring_unit = models.ForeignKey(
        Unit,
        verbose_name=_("monitoring unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitored_indicators",
    )
    lead_unit_raw = models.TextField(_("lead unit as written"), blank=True)
    monitoring_unit_raw = models.TextField(_("monitoring unit as written"), blank=True)
    rollup = models.CharField(
        _("computed from the wards"), max_length=10, choices=Rollup.choices, blank=True
    )
    baseline_text = models.TextField(_("baseline as written"), blank=True)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(default=0)
    # The version token of the edit page and the API: an edit made on an older version is
    # refused instead of silently overwriting a newer one.
    updated_at = models.DateTimeField(auto_now=True)

    objects = CountedIndicatorManager()
    all_objects = EveryRowManager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def lower_is_better(self) -> bool:
        return self.comparator in (self.Comparator.LE, self.Comparator.LT)


class IndicatorMilestone(models.Model):
    """The value an indicator should reach by the end of one year of the roadmap."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    text = models.TextField(_("as written"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="milestone_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class IndicatorValue(models.Model):
    """A measured value of an indicator for one reporting period, as a value or a ratio."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(_("period"), max_length=10)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "org.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="value_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.value}"


class PlanAmendment(models.Model):
    """A numbered amendment of a plan ("Điều chỉnh, bổ sung kế hoạch số …, ngày …"): a new
    version of the plan. ``changes`` lists what it did (tasks added, changed, withdrawn,
    deadlines moved); ``before`` and ``after`` are the plan's tasks as they stood on either side,
    so any version can be shown and compared with the previous one."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="amendments")
    version = models.PositiveSmallIntegerField(_("version"))
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    note = models.TextField(_("content"), blank=True)
    changes = models.JSONField(_("changes"), default=list)
    before = models.JSONField(default=list)
    after = models.JSONField(default=list)
    created_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan amendment")
        verbose_name_plural = _("plan amendments")
        ordering = ["plan", "version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="amendment_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.number or self.version}"
