import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from theodoi.core.access import can_administer_ward
from theodoi.demo import data
from theodoi.demo import province as demo_province
from theodoi.demo.services import load_demo
from theodoi.org.models import User


class Command(BaseCommand):
    help = "Create the demo province, ward, users and plan, then serve on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the demo data and exit (for scripts)."
        )
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve: bool, addrport: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        ward, created = load_demo()
        verb = "Created" if created else "Already present:"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo ward {ward.name}"))
        self.stdout.write(f"Demo users (password: {data.PASSWORD}):")
        rows = [*data.USERS, demo_province.USER]
        people = User.objects.in_bulk([row[0] for row in rows], field_name="username")
        for username, role, unit, _full_name, _position in rows:
            where = unit or ("whole installation" if username == "admin" else "")
            if username != "admin" and can_administer_ward(people[username], ward):
                where = f"{ward.name} (units, people, plans)"
            self.stdout.write(f"  {username:<14} {role:<16} {where}")
        if no_serve:
            return
        # The background worker beside the server: the Word/PDF reports and the alert e-mails
        # (printed on this console by the demo's e-mail backend) are its work. Ctrl+C reaches
        # both (one process group); the worker is also stopped when the server stops alone.
        worker = subprocess.Popen([sys.executable, "-m", "theodoi.cli", "worker"])
        self.stdout.write(f"Background worker started (process {worker.pid}).")
        self.stdout.write(f"Serving on http://{addrport}/ (Ctrl+C to stop)")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            _stop(worker)


def _stop(worker: subprocess.Popen) -> None:
    """SIGTERM: the worker finishes the task under way, then exits; killed past 30 s."""
    if worker.poll() is None:
        worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
