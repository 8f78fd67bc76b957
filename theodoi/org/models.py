"""The organisation tree (province → ward/commune → units) and the people in it."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from theodoi.core.access import needs_unit
from theodoi.core.roles import Role  # noqa: F401  (stored on User; imported from here by the apps)
from theodoi.core.text import fold_key


# The roles that act for one unit of a ward, and so need one.
class Organization(models.Model):
    """A node of the administrative tree: the nation, a province or city, a ward or commune.

    ``path`` is the chain of ancestor ids ("/1/7/42/") so that "everything below a province" is
    one indexed prefix query instead of a recursive walk.
    """

    class Kind(models.TextChoices):
        NATION = "nation", _("Nation")
        PROVINCE = "province", _("Province / city")
        WARD = "ward", _("Ward")
        COMMUNE = "commune", _("Commune")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The path needs the row's own id, so a new row is saved twice.
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.pk}/"
        super().save(*args, **kwargs)

    @property
    def is_local(self) -> bool:
        """True for a ward or commune: the level that owns plans and units."""
        return self.kind in (self.Kind.WARD, self.Kind.COMMUNE)

    def is_within(self, other: "Organization") -> bool:
        """True when this node is ``other`` or below it in the tree."""
        return self.path.startswith(other.path)


class Unit(models.Model):
    """A unit of a ward (a department, the police, a school, …) with a canonical name."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("ward or commune"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("canonical name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # An explicit grant, set by the admin (``core.access``, Action.RECORD_BUDGET): the unit's
    # officers and head record what was allocated and disbursed on the ward's budget lines.
    records_budget = models.BooleanField(
        _("records budget"),
        default=False,
        help_text=_(
            "Its officers and head record the amounts allocated and disbursed on the plans' "
            "budget lines (usually the economy office)."
        ),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organization", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unit_unique_name")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class UnitAlias(models.Model):
    """Another spelling of a unit's name as plans write it ("VHXH", "Phòng VH-XH")."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name="alias_unique_key")]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs):
        # The folded key is a derived index for matching, not business state.
        self.key = fold_key(self.alias)
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A person: their role, their place in the tree and, for unit roles, their unit."""

    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.UNIT_OFFICER
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The ward for ward roles; the province or city for the upper level."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    # Many ward officers have no work e-mail: the phone is how the admin hands them their
    # set-password link.
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self):
        """The rules of a person's place, checked wherever a person is created or changed (the
        admin's forms through ``full_clean``, ``org.services.user_create`` directly): a unit
        belongs to the person's own organisation, and unit roles have a unit. An installation
        superuser acts above the tree and is not held to the unit rule."""
        super().clean()
        unit = self.unit if self.unit_id else None
        if unit is not None and unit.organization_id != self.organization_id:
            raise ValidationError(
                {"unit": gettext("The unit must belong to the person's own ward or commune.")},
                code="unit_organization",
            )
        if unit is None and needs_unit(self):
            raise ValidationError(
                {"unit": gettext("A unit officer or unit head needs a unit: choose one.")},
                code="unit_required",
            )

    def delete(self, *args, **kwargs):
        """Refused: the audit trail, reports and reviews name the person, and removing them
        would blank those names and break the audit chain. Deactivate instead."""
        raise UserNotDeletable(
            gettext(
                "A user is never deleted, because the audit trail and the records name them: "
                "deactivate the account instead (untick “Active”)."
            ),
            {self},
        )


class UserNotDeletable(ProtectedError):
    """Raised by ``User.delete``: people are deactivated, never deleted."""
