"""The audit trail in the admin site: read-only, and scoped to the admin's part of the tree."""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from theodoi.audit.actions import AuditAction, action_label
from theodoi.audit.models import AuditEvent
from theodoi.core.access import can_use_admin, org_scope


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, offered by label (the stored codes mean nothing to a ward's admin)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return AuditAction.choices

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


def _record_kind(object_type: str) -> str:
    """ "plans.task" → the model's name in the interface language ("nhiệm vụ")."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


class RecordKindFilter(admin.SimpleListFilter):
    """Filter by the kind of record, offered by the model's name, not its code."""

    title = _("kind of record")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        kinds = model_admin.get_queryset(request).values_list("object_type", flat=True)
        return sorted(((kind, _record_kind(kind)) for kind in set(kinds)), key=lambda k: k[1])

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor",
        "organization",
        "action_label",
        "record_kind",
        "object_id",
        "summary",
    )
    list_filter = (ActionFilter, RecordKindFilter)
    search_fields = ("summary", "object_id", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor", "organization")
    ordering = ("-id",)
    readonly_fields = [
        "action_label",
        "record_kind",
        *(field.name for field in AuditEvent._meta.fields),
    ]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj):
        return action_label(obj.action)

    @admin.display(description=_("kind of record"), ordering="object_type")
    def record_kind(self, obj):
        return _record_kind(obj.object_type)

    def has_module_permission(self, request):
        return can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        if not can_use_admin(request.user):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(org_scope(request.user))
