"""``theodoi scan_alerts``: the periodic job (cron) that raises and closes alerts and mails the
digests."""

from django.core.management.base import BaseCommand, CommandError

from theodoi.alerts.services import scan, send_digests
from theodoi.core import background
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

    def handle(self, *args, ward: str | None, no_email: bool, **options):
        organization = None
        if ward:
            organization = Organization.objects.filter(code=ward).first()
            if organization is None:
                raise CommandError(f"Không có phường, xã hay tỉnh nào mã {ward}.")
        result = scan(organization=organization)
        self.stdout.write(
            f"Đã quét {result.tasks} nhiệm vụ, {result.indicators} chỉ tiêu trong "
            f"{result.seconds:.1f} giây: mở {result.opened}, cập nhật {result.updated}, "
            f"đóng {result.closed} cảnh báo; đang mở {result.still_open}."
        )
        if no_email:
            self.stdout.write("Không gửi thư (--no-email).")
            return
        sent = send_digests(organization=organization)
        if background.runs_immediately():
            self.stdout.write(f"Đã gửi {sent} thư tổng hợp cảnh báo.")
        else:
            self.stdout.write(
                f"Đã xếp {sent} thư tổng hợp cảnh báo vào hàng đợi; tiến trình nền "
                "(theodoi worker) sẽ gửi đi."
            )
