"""The user admin's action on sign-in: a password reset link to hand over. org registers the
user admin; accounts, which sits above org, registers this subclass in its place."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OtpTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from theodoi.accounts import services as account_services
from theodoi.org.admin import UserAdmin as OrgUserAdmin
from theodoi.org.models import User

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(OrgUserAdmin):
    actions = [*OrgUserAdmin.actions, "password_reset_link"]

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return _with_permission_labels(
            super().formfield_for_manytomany(db_field, request, **kwargs)
        )

    @admin.action(description=_("Create a password reset link"), permissions=["change"])
    def password_reset_link(self, request, queryset):
        """A one-time link for one person without e-mail, to hand over by phone or message."""
        people = list(queryset[:2])
        if len(people) != 1:
            self.message_user(
                request, _("Select exactly one user to create a link for."), messages.ERROR
            )
            return None
        person = people[0]
        try:
            link = account_services.reset_link_issue(
                actor=request.user, user=person, request=request
            )
        except PermissionDenied:
            self.message_user(
                request, _("You do not manage this person's account."), messages.ERROR
            )
            return None
        except account_services.AccountError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        return TemplateResponse(
            request,
            "admin/org/user/password_reset_link.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Password reset link"),
                "person": person,
                "link": link,
                "hours": hours,
            },
        )


# django-otp's admin titles its sections and search box in plain English: the same admin with
# those words translated.
admin.site.unregister(TOTPDevice)

_TOTP_SECTIONS = {
    "Identity": _("Identity"),
    "Timestamps": _("Times"),
    "Configuration": _("Configuration"),
    "State": _("State"),
    "Throttling": _("Wrong codes"),
}


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(OtpTOTPDeviceAdmin):
    search_help_text = _("Search by the user's username or e-mail address")

    def get_fieldsets(self, request, obj=None):
        return [
            (_TOTP_SECTIONS.get(title, title) if title else title, options)
            for title, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("QR code"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("QR code"))


# A permission's name is stored in English when its table is created ("Can add task"), so the
# user and group forms would list hundreds of English lines: they are named from the app's
# and the model's translated names instead.
_PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    opts = model._meta
    template = _PERMISSION_ACTIONS.get(action) if model_name == opts.model_name else None
    name = template % {"model": opts.verbose_name} if template else permission.name
    return f"{opts.app_config.verbose_name} | {opts.verbose_name} | {name}"


def _with_permission_labels(field):
    queryset = getattr(field, "queryset", None)
    if queryset is not None and queryset.model is Permission:
        field.label_from_instance = permission_label
    return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return _with_permission_labels(
            super().formfield_for_manytomany(db_field, request, **kwargs)
        )
