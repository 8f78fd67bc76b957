"""``theodoi vapid_keys``: a new VAPID key pair for Web Push, printed as the settings to set."""

from django.core.management.base import BaseCommand

from theodoi.notifications.vapid import key_pair


class Command(BaseCommand):
    help = (
        "Generate a VAPID key pair for Web Push and print the environment settings to add. "
        "Keep the private key secret; changing the pair makes every browser subscribe again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--subject",
            default="mailto:admin@example.org",
            help="how push services reach the operator: mailto:address or an https:// address",
        )

    def handle(self, *args, subject: str, **options):
        keys = key_pair()
        self.stdout.write(f"THEODOI_VAPID_PUBLIC_KEY={keys.public}")
        self.stdout.write(f"THEODOI_VAPID_PRIVATE_KEY={keys.private}")
        self.stdout.write(f"THEODOI_VAPID_SUBJECT={subject}")
