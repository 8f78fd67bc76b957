"""Build a synthetic province for measuring scale: `python bench/make_synthetic.py --wards N
--tasks-per-ward T --years Y` (with the installation's settings: DATABASE_URL, THEODOI_DATA_DIR).

The generator lives in bench/, outside the installed package: an installation never needs it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("--today must be a date written YYYY-MM-DD") from exc


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make_synthetic",
        description=(
            "Build a synthetic province for measuring scale: N wards with their units and "
            "people, plans shaped like the seed plans, weekly reports over Y years with lateness, "
            "evidence files and reviews, indicator values, then the alert scan. Same --seed, "
            "same data."
        ),
    )
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
    parser.add_argument(
        "--province-tasks",
        type=int,
        default=30,
        help="tasks of the province's own plan assigned to every ward (0: none)",
    )
    parser.add_argument("--no-scan", action="store_true", help="skip the alert scan")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout) -> None:
    """Run with Django set up (by the block at the end, or by the caller)."""
    # Imported once Django is set up: the generator reads the models.
    from bench.synthetic import Config, generate, user_prefix
    from theodoi.demo import data

    options = parser().parse_args(argv)
    if options.wards < 1 or options.tasks_per_ward < 1 or options.years <= 0:
        raise SystemExit("--wards and --tasks-per-ward must be ≥ 1, --years > 0")
    config = Config(
        wards=options.wards,
        tasks_per_ward=options.tasks_per_ward,
        years=options.years,
        seed=options.seed,
        province_code=options.province_code,
        plans_per_ward=options.plans_per_ward,
        today=options.today,
        scan_alerts=not options.no_scan,
        province_tasks=max(0, options.province_tasks),
    )

    def write(line: str) -> None:
        stdout.write(line + "\n")

    log = (lambda _line: None) if options.json else write
    try:
        result = generate(config, log=log)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc
    summary = {
        "province": {"id": result.province.pk, "code": result.province.code},
        "counts": result.counts,
        "seconds": {name: round(value, 1) for name, value in result.seconds.items()},
    }
    if options.json:
        write(json.dumps(summary, ensure_ascii=False))
        return
    write(
        f"Province {result.province.code}: "
        + ", ".join(f"{count} {name}" for name, count in result.counts.items())
    )
    write("Seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items()))
    first = user_prefix(config.province_code, 1, config.wards)
    write(
        f"Users (password {data.PASSWORD}): {config.province_code.lower()}_tinh (province), "
        f"{first}_lanhdao, {first}_vanphong, {first}_canbo_vhxh, {first}_truong_vhxh, …"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theodoi.settings")
    import django

    django.setup()
    main()
