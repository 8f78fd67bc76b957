"""Django admin for organisations, units and users, scoped like every other read: an admin of a
ward manages that ward only; changes are written to the audit trail."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record, snapshot
from theodoi.core.access import (
    can_manage_organizations,
    can_use_admin,
    is_global,
    org_scope,
    users_managed_by,
)
from theodoi.org.models import Organization, Unit, UnitAlias, User
from theodoi.org.selectors import organizations_for_user


class ScopedOrganizationFilter(admin.RelatedFieldListFilter):
    """The organisation filter offers only the organisations the admin may manage: the names
    of other provinces and wards are not theirs to see."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        allowed = organizations_for_user(request.user).values("pk")
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to={"pk__in": allowed}
        )


# What the audit trail calls each save and delete made here. People are deactivated, never
# deleted, so a person has no delete action.
_CREATED = {
    Organization: AuditAction.ORGANIZATION_CREATE,
    Unit: AuditAction.UNIT_CREATE,
    User: AuditAction.USER_CREATE,
}
_CHANGED = {
    Organization: AuditAction.ORGANIZATION_UPDATE,
    Unit: AuditAction.UNIT_UPDATE,
    User: AuditAction.USER_UPDATE,
}
_DELETED = {Organization: AuditAction.ORGANIZATION_DELETE, Unit: AuditAction.UNIT_DELETE}


class ScopedAdmin(admin.ModelAdmin):
    """Show only rows of the admin's own part of the tree, and audit every save and delete."""

    scope_field = "organization"

    def _is_admin(self, request) -> bool:
        return can_use_admin(request.user)

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_admin(request)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(org_scope(request.user, self.scope_field))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organization and not is_global(request.user):
            kwargs["queryset"] = Organization.objects.filter(org_scope(request.user, ""))
        if db_field.related_model is Unit and not is_global(request.user):
            kwargs["queryset"] = Unit.objects.filter(org_scope(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _organization_of(self, obj):
        return obj if isinstance(obj, Organization) else getattr(obj, "organization", None)

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        after.pop("password", None)
        if before:
            before.pop("password", None)
        audit_record(
            actor=request.user,
            action=(_CHANGED if change else _CREATED)[type(obj)],
            obj=obj,
            organization=self._organization_of(obj),
            summary=str(obj),
            before=before,
            after=after,
        )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        before.pop("password", None)
        audit_record(
            actor=request.user,
            action=_DELETED[type(obj)],
            obj=obj,
            organization=self._organization_of(obj),
            summary=str(obj),
            before=before,
        )
        super().delete_model(request, obj)


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    scope_field = ""

    # A ward admin sees the tree but may not reshape it: moving a node changes who sees it.
    def has_add_permission(self, request):
        return can_manage_organizations(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_organizations(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_organizations(request.user)

    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1

    # Inlines check Django's model permissions by default; the admin role decides here too.
    def has_view_permission(self, request, obj=None):
        return can_use_admin(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "organization", "order", "is_active", "records_budget"]
    list_filter = [("organization", ScopedOrganizationFilter), "is_active", "records_budget"]
    search_fields = ["name", "short_name", "aliases__alias"]
    inlines = [UnitAliasInline]


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "organization",
        "unit",
        "is_active",
    ]
    list_filter = ["role", ("organization", ScopedOrganizationFilter), "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Place in theodoi"), {"fields": ("role", "organization", "unit", "position")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Place in theodoi"), {"fields": ("role", "organization", "unit")}),
    )

    # accounts/admin.py adds the password reset link (accounts sits above org).
    actions = ["deactivate"]

    # People are deactivated, never deleted: the audit trail and the records name them, and
    # deleting one would blank those names and break the audit chain (User.delete refuses too).
    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Deactivate the selected users (they can no longer sign in)"),
        permissions=["change"],
    )
    def deactivate(self, request, queryset):
        count = 0
        # The queryset is already scoped to the admin's part of the tree.
        for user in queryset.filter(is_active=True):
            if user.pk == request.user.pk:
                continue  # an admin does not lock themselves out by mistake
            before = snapshot(user)
            user.is_active = False
            user.save(update_fields=["is_active"])
            after = snapshot(user)
            before.pop("password", None)
            after.pop("password", None)
            audit_record(
                actor=request.user,
                action=AuditAction.USER_DEACTIVATE,
                obj=user,
                organization=user.organization,
                summary=str(user),
                before=before,
                after=after,
            )
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_readonly_fields(self, request, obj=None):
        # Only an installation-wide admin may hand out superuser or staff rights.
        fields = list(super().get_readonly_fields(request, obj))
        if not is_global(request.user):
            fields += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return fields

    def get_queryset(self, request):
        users = super().get_queryset(request)
        # A ward admin never manages a superuser, even one placed in the ward.
        return users.filter(users_managed_by(request.user))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if is_global(request.user):
            return form

        class WardUserForm(form):
            def clean(self):
                data = super().clean()
                # Without an organisation an admin would see every ward: a ward admin may only
                # create people inside their own part of the tree.
                if not data.get("organization"):
                    raise ValidationError(_("Choose the user's ward (within what you administer)."))

                return data

        return WardUserForm
