import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from theodoi.demo import data
from theodoi.demo.synthetic import Config, generate, user_prefix


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError("--today must be a date written YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = (
        "Build a synthetic province for measuring scale: N wards with their units and people, "
        "plans shaped like the seed plans, weekly reports over Y years with lateness, evidence "
        "files and reviews, indicator values, then the alert scan. Same --seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wards", type=int, required=True)
        parser.add_argument("--tasks-per-ward", type=int, required=True)
        parser.add_argument("--years", type=float, required=True, help="of weekly reports")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--province-code", default="SYN")
        parser.add_argument(
            "--plans-per-ward",
            type=int,
            default=None,
            help="plans sharing a ward's tasks (default: one per 200 tasks)",
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="the last day of the data (default: the system's today, THEODOI_TODAY)",
        )
        parser.add_argument("--no-scan", action="store_true", help="skip the alert scan")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, **options):
        if options["wards"] < 1 or options["tasks_per_ward"] < 1 or options["years"] <= 0:
            raise CommandError("--wards and --tasks-per-ward must be ≥ 1, --years > 0")
        config = Config(
            wards=options["wards"],
            tasks_per_ward=options["tasks_per_ward"],
            years=options["years"],
            seed=options["seed"],
            province_code=options["province_code"],
            plans_per_ward=options["plans_per_ward"],
            today=options["today"],
            scan_alerts=not options["no_scan"],
        )
        log = (lambda _line: None) if options["json"] else self.stdout.write
        try:
            result = generate(config, log=log)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        summary = {
            "province": {"id": result.province.pk, "code": result.province.code},
            "counts": result.counts,
            "seconds": {name: round(value, 1) for name, value in result.seconds.items()},
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Province {result.province.code}: "
                + ", ".join(f"{count} {name}" for name, count in result.counts.items())
            )
        )
        self.stdout.write(
            "Seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items())
        )
        first = user_prefix(config.province_code, 1, config.wards)
        self.stdout.write(
            f"Users (password {data.PASSWORD}): {config.province_code.lower()}_tinh (province), "
            f"{first}_lanhdao, {first}_vanphong, {first}_canbo_vhxh, {first}_truong_vhxh, …"
        )
