"""Every action the audit trail records, registered once with its label (as Wagtail registers
its log actions).

The values are what the trail stores and what each record's hash covers: they never change,
or the records already written would no longer verify. A new action is a new member here,
with its label; ``audit_record`` refuses anything else, so a free string fails in the tests.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Plans and tasks
    PLAN_CREATE = "plan.create", _("Plan created")
    PLAN_IMPORT = "plan.import", _("Plan imported from a file")
    PLAN_UPDATE = "plan.update", _("Plan changed")
    PLAN_AMEND = "plan.amend", _("Plan amended")
    PLAN_WITHDRAW = "plan.withdraw", _("Plan withdrawn")
    PLAN_DELETE = "plan.delete", _("Plan deleted")
    SECTION_CREATE = "section.create", _("Section created")
    TASK_CREATE = "task.create", _("Task created")
    TASK_UPDATE = "task.update", _("Task changed")
    TASK_WITHDRAW = "task.withdraw", _("Task withdrawn")
    TASK_UPPER_LINK = "task.upper_link", _("Task linked to an upper-level task")
    INDICATOR_CREATE = "indicator.create", _("Indicator created")
    INDICATOR_UPDATE = "indicator.update", _("Indicator changed")
    INDICATOR_VALUE = "indicator.value", _("Indicator value reported")
    INDICATOR_CATALOGUE_LINK = "indicator.catalogue_link", _("Indicator linked to the catalogue")
    INDICATOR_CATALOGUE_UNLINK = (
        "indicator.catalogue_unlink",
        _("Indicator unlinked from the catalogue"),
    )
    CATALOGUE_CREATE = "catalogue.create", _("Catalogue indicator created")
    # Directions, reports and evidence
    DIRECTIVE_CREATE = "directive.create", _("Directive given")
    DIRECTIVE_ANSWER = "directive.answer", _("Directive answered")
    REPORT_SUBMIT = "report.submit", _("Report submitted")
    REPORT_CONFIRM = "report.confirm", _("Report confirmed by the unit head")
    REPORT_RETURNED = "report.returned", _("Report returned")
    REPORT_ACCEPTED = "report.accepted", _("Report accepted")
    REPORT_EXPORT = "report.export", _("Report exported")
    UPWARD_REPORT_SAVE = "upward_report.save", _("Periodic report saved")
    UPWARD_REPORT_SEND = "upward_report.send", _("Periodic report sent upward")
    UPWARD_REPORT_RECEIVE = "upward_report.receive", _("Periodic report received over the API")
    UPWARD_REPORT_RETURNED = "upward_report.returned", _("Periodic report returned")
    UPWARD_REPORT_ACCEPTED = "upward_report.accepted", _("Periodic report accepted")
    UPWARD_REPORT_DELIVERY = "upward_report.delivery", _("Periodic report delivered upstream")
    EVIDENCE_UPLOAD = "evidence.upload", _("Evidence attached")
    EVIDENCE_INFECTED = "evidence.infected", _("Infected file refused")
    EVIDENCE_ACCEPTED = "evidence.accepted", _("Evidence accepted")
    EVIDENCE_REJECTED = "evidence.rejected", _("Evidence rejected")
    EVIDENCE_DOWNLOAD = "evidence.download", _("Evidence downloaded")
    # Plan import drafts
    IMPORT_UPLOAD = "import.upload", _("File uploaded for import")
    IMPORT_SAVED = "import.saved", _("Import saved as a plan")
    IMPORT_DISCARDED = "import.discarded", _("Import discarded")
    IMPORT_BLOCK_ADDED = "import.block_added", _("Left-out text added to a draft as a task")
    # Budget and ranking
    BUDGET_CREATE = "budget.create", _("Budget line created")
    BUDGET_RECORD = "budget.record", _("Budget allocation and spending recorded")
    BUDGET_WARD_TOTAL = "budget.ward_total", _("Ward's total budget recorded")
    BUDGET_UPDATE = "budget.update", _("Budget line corrected")
    BUDGET_DELETE = "budget.delete", _("Budget line removed")
    RANKING_SCALE = "ranking.scale", _("Point scale changed")
    # Self-assessment
    ASSESSMENT_FRAMEWORK_IMPORT = "assessment.framework.import", _("Assessment framework imported")
    ASSESSMENT_CAMPAIGN_OPEN = "assessment.campaign.open", _("Self-assessment opened")
    ASSESSMENT_CAMPAIGN_CLOSE = "assessment.campaign.close", _("Self-assessment closed")
    ASSESSMENT_ANSWERS_SAVE = "assessment.answers.save", _("Self-assessment answers saved")
    ASSESSMENT_SOURCES_REFRESH = (
        "assessment.sources.refresh",
        _("Self-assessment answers filled from tracking data"),
    )
    ASSESSMENT_SUBMIT = "assessment.submit", _("Self-assessment submitted")
    ASSESSMENT_ACCEPTED = "assessment.accepted", _("Self-assessment accepted")
    ASSESSMENT_RETURNED = "assessment.returned", _("Self-assessment returned")
    ASSESSMENT_ADJUST = "assessment.adjust", _("Self-assessment answer adjusted")
    # Alerts
    ALERTS_SCAN = "alerts.scan", _("Alert scan")
    ALERT_ACKNOWLEDGE = "alert.acknowledge", _("Alert acknowledged")
    ALERT_SNOOZE = "alert.snooze", _("Alert snoozed")
    # Organisations, units and people
    ORGANIZATION_CREATE = "organization.create", _("Organisation created")
    ORGANIZATION_UPDATE = "organization.update", _("Organisation changed")
    ORGANIZATION_DELETE = "organization.delete", _("Organisation deleted")
    UNIT_CREATE = "unit.create", _("Unit created")
    UNIT_UPDATE = "unit.update", _("Unit changed")
    UNIT_DELETE = "unit.delete", _("Unit deleted")
    USER_CREATE = "user.create", _("User created")
    USER_UPDATE = "user.update", _("User changed")
    USER_DEACTIVATE = "user.deactivate", _("User deactivated")
    USER_PASSWORD_RESET_REQUEST = "user.password_reset.request", _("Password reset requested")
    USER_PASSWORD_RESET = "user.password_reset", _("Password reset through a link")
    USER_PASSWORD_RESET_LINK = "user.password_reset.link", _("Password reset link created")
    USER_PASSWORD_CHANGE = "user.password_change", _("Password changed by the user")
    USER_PASSWORD_LINK_EMAIL = "user.password_link.email", _("Set-password link e-mailed")
    WARD_IMPORT = "ward.import", _("Units and users imported from Excel")
    USER_TWO_FACTOR_ENABLE = "user.two_factor.enable", _("Two-step sign-in turned on")
    USER_TWO_FACTOR_DISABLE = "user.two_factor.disable", _("Two-step sign-in turned off")
    USER_NOTIFICATION_SETTINGS = "user.notification_settings", _("Notification settings changed")
    USER_PUSH_SUBSCRIBE = "user.push_subscribe", _("Device subscribed to notifications")
    # The HTTP API
    API_TOKEN_ISSUE = "api.token.issue", _("API token issued")
    API_TOKEN_REVOKE = "api.token.revoke", _("API token revoked")
    API_TOKEN_REVOKE_ALL = "api.token.revoke_all", _("All API tokens revoked")
    UPSTREAM_LINK_SET = "api.upstream.set", _("Upper-level installation set")
    # The audit trail itself
    AUDIT_EXPORT = "audit.export", _("Audit trail exported")
    AUDIT_KEYED = "audit.keyed", _("Audit trail keyed")
    # The benchmark's synthetic data
    SYNTHETIC_CREATE = "synthetic.create", _("Synthetic data created")


def action_label(value: str) -> str:
    """The label of a stored action; a value no member has (a record from an older version)
    shows as itself rather than disappearing."""
    try:
        return str(AuditAction(value).label)
    except ValueError:
        return value
