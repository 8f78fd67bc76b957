"""``theodoi scan_alerts``: the periodic job (cron) that raises and closes alerts and mails the
digests."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from theodoi.alerts.services import scan, scan_queued, send_digests
from theodoi.core import background
from theodoi.notifications.events import deadlines_near
from theodoi.notifications.services import send_daily_digests
from theodoi.org.models import Organization


class Command(BaseCommand):
    help = (
        "Evaluate the alert rules over the tasks and indicators of active plans, then email each "
        "person the new alerts that concern them. Meant to run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ward", help="code of a ward, commune or province: scan only that part of the tree"
        )
        parser.add_argument("--no-email", action="store_true", help="scan without sending email")
        parser.add_argument(
            "--full",
            action="store_true",
            help="evaluate every task and indicator, not only what changed since the last scan",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help=(
                "queue one background job per ward for the workers (theodoi worker) instead of "
                "scanning here; the last job sends the reminders and digests"
            ),
        )

    def handle(
        self,
        *args,
        ward: str | None,
        no_email: bool,
        full: bool = False,
        queue: bool = False,
        **options,
    ):
        organization = None
        if ward:
            organization = Organization.objects.filter(code=ward).first()
            if organization is None:
                raise CommandError(
                    gettext("No ward, commune or province has the code %(code)s.") % {"code": ward}
                )
        if queue:
            run = scan_queued(organization=organization, full=full, send_email=not no_email)
            self.stdout.write(
                gettext(
                    "Queued the scan of %(count)s ward(s) for the background workers; the last "
                    "one sends the reminders and digests."
                )
                % {"count": run.pending}
            )
            return
        result = scan(organization=organization, full=full)
        self.stdout.write(
            gettext(
                "Scanned %(tasks)s tasks and %(indicators)s indicators in %(seconds)s seconds: "
                "opened %(opened)s, updated %(updated)s, closed %(closed)s alerts; "
                "%(still_open)s still open."
            )
            % {
                "tasks": result.tasks,
                "indicators": result.indicators,
                "seconds": f"{result.seconds:.1f}",
                "opened": result.opened,
                "updated": result.updated,
                "closed": result.closed,
                "still_open": result.still_open,
            }
        )
        # The lead units are reminded of deadlines 7 days and 1 day ahead, each once.
        near = deadlines_near(organization=organization)
        self.stdout.write(
            gettext("Made %(count)s deadline-near notification(s).") % {"count": near}
        )
        if no_email:
            self.stdout.write(gettext("No email sent (--no-email)."))
            return
        digests = send_daily_digests(organization=organization)
        self.stdout.write(gettext("Queued %(count)s notification digest(s).") % {"count": digests})
        sent = send_digests(organization=organization)
        if background.runs_immediately():
            self.stdout.write(gettext("Sent %(count)s alert digest(s).") % {"count": sent})
        else:
            self.stdout.write(
                gettext(
                    "Queued %(count)s alert digest(s); the background worker (theodoi worker) "
                    "will send them."
                )
                % {"count": sent}
            )
