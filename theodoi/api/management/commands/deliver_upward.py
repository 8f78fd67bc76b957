"""``theodoi deliver_upward``: deliver the ward's periodic reports that are due to the
province's installation, then fetch the province's answers. Run it from cron (every few minutes)
where the worker is not running, or to retry at once after the province's server is back."""

from django.core.management.base import BaseCommand

from theodoi.api.upstream import answers_fetch, deliver_due


class Command(BaseCommand):
    help = (
        "Deliver the periodic reports waiting for the province's installation (those due now) "
        "and fetch the province's answers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="try every report not yet delivered now, failed ones included",
        )

    def handle(self, *args, **options):
        delivered = deliver_due(everything=options["all"])
        answers = answers_fetch()
        self.stdout.write(
            "deliveries: "
            + (", ".join(f"{k} {v}" for k, v in sorted(delivered.items())) or "none")
            + "; answers: "
            + (", ".join(f"{k} {v}" for k, v in sorted(answers.items())) or "none")
        )
