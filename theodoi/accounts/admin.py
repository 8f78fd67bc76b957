"""The user admin's action on sign-in: a password reset link to hand over. org registers the
user admin; accounts, which sits above org, registers this subclass in its place."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from theodoi.accounts import services as account_services
from theodoi.org.admin import UserAdmin as OrgUserAdmin
from theodoi.org.models import User

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(OrgUserAdmin):
    actions = [*OrgUserAdmin.actions, "password_reset_link"]

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
