"""A synthetic province for measuring scale (issue 6): wards, units, people, plans shaped like the
five seed plans, weekly reports over years with realistic lateness, evidence files and their
reviews, indicator values, directives, and the alerts the periodic scan raises on all of it.

The rows are written in bulk (``bulk_create`` in batches) rather than through the services, which
would take hours for a province, but they are the rows the services would have written: the
cached ``Task.progress`` and ``Task.completed_on`` follow ``reporting.services.task_refresh``,
evidence files are stored once per SHA-256 in the default storage at the service's path, a
task's first lead unit is its first through row, and alerts come from ``alerts.services.scan``.
The same ``seed`` gives the same data (ids aside), whatever the database.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import random
import re
import time
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from theodoi.alerts.models import Alert
from theodoi.alerts.services import scan
from theodoi.audit.actions import AuditAction
from theodoi.audit.services import audit_record
from theodoi.core.access import SYSTEM
from theodoi.core.clock import today as clock_today
from theodoi.core.samplepdf import tiny_pdf
from theodoi.core.text import fold, fold_key
from theodoi.demo import data
from theodoi.importer.draft import Draft, DraftIndicator, DraftTask
from theodoi.importer.pipeline import draft_from_bytes
from theodoi.org.matching import match_units
from theodoi.org.models import Organization, Role, Unit, UnitAlias, User
from theodoi.plans.models import (
    Indicator,
    IndicatorMilestone,
    IndicatorValue,
    Plan,
    ReportingCycle,
    Section,
    Task,
    TaskCoordinatingUnit,
    TaskLeadUnit,
    WardAssignment,
)
from theodoi.plans.periods import Period, period_of, periods_between
from theodoi.plans.services import _deadline_fields, task_rollup_refresh
from theodoi.reporting.models import Directive, Evidence, EvidenceReview, ProgressReport
from theodoi.reporting.services import _store

# The demo's seed plans, installed with the package (theodoi/demo/seeds/).
SEEDS_DIR = Path(data.__file__).resolve().parent / "seeds"

# Short, ASCII names of the standard units (data.UNITS, same order) for predictable usernames:
# w001_canbo_vhxh is an officer of Phòng Văn hóa - Xã hội of ward 1, w001_truong_vhxh its head.
UNIT_SLUGS = [
    "ubnd",
    "vp",
    "vhxh",
    "kthtdt",
    "hcc",
    "dvth",
    "congan",
    "quansu",
    "vpdu",
    "mttq",
    "yte",
    "cns",
]
OFFICE_UNIT = 2  # Phòng Văn hóa - Xã hội is the standing office, as in the demo
PARTY_UNIT = 8  # Văn phòng Đảng ủy

REPORT_DUE_DAYS = 5
BATCH_SIZE = 2000
EVIDENCE_FILES = 64  # distinct small PDFs; every evidence row points at one of them

_YEAR_RE = re.compile(r"20\d\d")
_QUARTER_RE = re.compile(r"\b(Quý|quý) (IV|III|II|I)\b")
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]
_THROUGH_RE = re.compile(r"^\s*(UBND|Ủy ban nhân dân)[^()]*\((?P<inner>.+)\)\s*$", re.IGNORECASE)

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
_MIDDLE = ["Văn", "Thị", "Thanh", "Minh", "Quang", "Hữu", "Ngọc", "Đức", "Thu"]
_GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam"]
_PLACES = [
    "An Bình",
    "Bình Minh",
    "Đông Hải",
    "Hòa Lạc",
    "Kim Sơn",
    "Long Biên",
    "Minh Khai",
    "Nam Sơn",
    "Phú Lợi",
    "Quang Trung",
    "Tân Phong",
    "Thống Nhất",
    "Trung Hòa",
    "Vĩnh Niệm",
    "Xuân Đỉnh",
]
_RESULTS = [
    "Đã triển khai theo kế hoạch, tổ chức họp triển khai với các bộ phận liên quan.",
    "Hoàn thành khảo sát hiện trạng, đang tổng hợp số liệu.",
    "Đã ban hành văn bản hướng dẫn, đang theo dõi thực hiện.",
    "Tiếp tục thực hiện, cập nhật dữ liệu lên hệ thống.",
    "Đã tổ chức tuyên truyền trên cổng thông tin điện tử và mạng xã hội của phường.",
    "Đang phối hợp với doanh nghiệp viễn thông triển khai.",
    "Hoàn thành nội dung theo kế hoạch, đã gửi báo cáo kèm minh chứng.",
]
_DIFFICULTIES = [
    "Thiếu nhân lực có chuyên môn công nghệ thông tin.",
    "Kinh phí chưa được bố trí kịp thời.",
    "Hạ tầng mạng tại một số khu dân cư chưa đáp ứng.",
    "Chờ hướng dẫn của cấp trên.",
]
_RETURN_REASONS = [
    "Tỷ lệ hoàn thành chưa khớp với kết quả nêu trong báo cáo.",
    "Đề nghị bổ sung số liệu cụ thể.",
]
_REJECT_REASONS = [
    "Văn bản chưa có chữ ký, đóng dấu.",
    "Minh chứng không đúng nhiệm vụ được giao.",
    "Tệp không đọc được nội dung, đề nghị tải lại bản scan rõ hơn.",
    "Thiếu phụ lục số liệu kèm theo.",
]
_FILE_NAMES = [
    "Bao-cao-ket-qua-thuc-hien",
    "Quyet-dinh-ban-hanh",
    "Cong-van-trien-khai",
    "Bien-ban-hop",
    "Ke-hoach-chi-tiet",
    "Danh-sach-tham-gia",
]


@dataclass
class Config:
    wards: int
    tasks_per_ward: int
    years: float
    seed: int = 1
    province_code: str = "SYN"
    plans_per_ward: int | None = None  # default: one plan per 200 tasks (at least one)
    today: datetime.date | None = None  # default: the system's today (THEODOI_TODAY)
    scan_alerts: bool = True
    batch_size: int = BATCH_SIZE
    # The province's own plan: this many tasks assigned to every ward, each carried out by the
    # wards' tasks of the same title (0: no province plan).
    province_tasks: int = 30

    def plans(self) -> int:
        if self.plans_per_ward:
            return max(1, min(self.plans_per_ward, self.tasks_per_ward))
        return max(1, -(-self.tasks_per_ward // 200))


@dataclass
class Result:
    province: Organization
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


# --- Templates from the seeds -------------------------------------------------------------------


@dataclass
class _Block:
    """One section of a seed plan with its tasks, in document order (parents before subtasks)."""

    seed: int
    title: str
    tasks: list[DraftTask]
    indicators: list[DraftIndicator]


@dataclass
class _Templates:
    blocks: list[_Block]
    deadlines: list[str]  # every non-empty deadline text of the seeds
    issuer_kinds: list[str]


_TEMPLATES: _Templates | None = None


def templates() -> _Templates:
    """The seeds read once by the importer (about half a second), cut into section blocks."""
    global _TEMPLATES
    if _TEMPLATES is None:
        blocks: list[_Block] = []
        deadlines: list[str] = []
        kinds: list[str] = []
        for seed_index, path in enumerate(sorted(SEEDS_DIR.glob("*.txt"))):
            draft: Draft = draft_from_bytes(path.read_bytes(), name=path.name)
            kinds.append(draft.plan.issuer_kind or Plan.Issuer.PEOPLES_COMMITTEE)
            titles = {s.code: s.title for s in draft.sections}
            order: list[str] = []
            by_section: dict[str, list[DraftTask]] = {}
            for task in draft.tasks:
                if task.section not in by_section:
                    order.append(task.section)
                    by_section[task.section] = []
                by_section[task.section].append(task)
                if task.deadline_text.strip():
                    deadlines.append(task.deadline_text.strip())
            seed_blocks = [
                _Block(
                    seed_index, titles.get(code) or f"Nhóm nhiệm vụ {code}", by_section[code], []
                )
                for code in order
            ]
            # The seed's indicators travel with its first block.
            if seed_blocks:
                seed_blocks[0].indicators = list(draft.indicators)
            blocks.extend(seed_blocks)
        _TEMPLATES = _Templates(blocks=blocks, deadlines=deadlines, issuer_kinds=kinds)
    return _TEMPLATES


def _unit_catalogue() -> dict[str, int]:
    catalogue: dict[str, int] = {}
    for index, (name, short_name, aliases) in enumerate(data.UNITS):
        for spelling in (name, short_name, *aliases):
            catalogue.setdefault(spelling, index)
    return catalogue


_RESOLVED: dict[str, tuple[list[int], bool]] = {}


def _resolve(raw: str) -> tuple[list[int], bool]:
    """The standard units (indexes into data.UNITS) a plan's unit text names, and whether it
    names every unit; the same matching the importer does, once per distinct text."""
    if raw not in _RESOLVED:
        through = _THROUGH_RE.match(raw)
        text = through.group("inner") if through else raw
        match = match_units(text, _unit_catalogue())
        _RESOLVED[raw] = (list(match.unit_ids), match.all_units)
    return _RESOLVED[raw]


# --- Small valid PDFs -------------------------------------------------------------------------


@dataclass(frozen=True)
class _StoredFile:
    name: str
    sha256: str
    size: int


def _evidence_files(seed: int) -> list[_StoredFile]:
    """A pool of distinct small PDFs, each stored once under its SHA-256 like an upload."""
    files = []
    for number in range(EVIDENCE_FILES):
        content = tiny_pdf(f"Minh chung so {number + 1} - bo du lieu tong hop {seed}")
        digest = hashlib.sha256(content).hexdigest()
        files.append(_StoredFile(_store(content, digest), digest, len(content)))
    return files


def user_prefix(province_code: str, index: int, wards: int) -> str:
    """The start of the usernames of ward ``index``: "w001" in the default province SYN,
    "hp_w001" in province HP, so that several provinces can share one database."""
    ward = f"w{index:0{max(3, len(str(wards)))}d}"
    return ward if province_code == "SYN" else f"{province_code.lower()}_{ward}"


# --- Helpers ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _keep_given_times() -> Iterator[None]:
    """Let bulk_create keep the timestamps we give instead of stamping "now" on them."""
    fields = [
        Evidence._meta.get_field("uploaded_at"),
        EvidenceReview._meta.get_field("reviewed_at"),
        IndicatorValue._meta.get_field("recorded_at"),
        Directive._meta.get_field("created_at"),
    ]
    saved = [f.auto_now_add for f in fields]
    try:
        for f in fields:
            f.auto_now_add = False
        yield
    finally:
        for f, value in zip(fields, saved, strict=True):
            f.auto_now_add = value


def _insert(model: Any, rows: list[Any], batch_size: int) -> list[Any]:
    if rows:
        model.objects.bulk_create(rows, batch_size=batch_size)
    return rows


def _person(rng: random.Random) -> tuple[str, str]:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)}", rng.choice(_GIVEN)


def _vary_deadline(text: str, rng: random.Random, pool: Sequence[str]) -> str:
    """The seed's deadline as written, or a variation of it: another year, another quarter,
    or (for a task the seed left without a deadline) one of the seeds' deadlines."""
    if not text.strip():
        return rng.choice(pool) if rng.random() < 0.6 else ""
    roll = rng.random()
    if roll < 0.25:
        shift = rng.choice((-1, 1))
        return _YEAR_RE.sub(lambda m: str(min(2030, max(2025, int(m.group()) + shift))), text)
    if roll < 0.35:
        return _QUARTER_RE.sub(lambda m: f"{m.group(1)} {rng.choice(_ROMAN[:4])}", text)
    return text


def _rounded(value: float) -> int:
    """A percentage as people report it: a multiple of 5 between 0 and 100."""
    return max(0, min(100, int(round(value / 5.0)) * 5))


# --- The generator --------------------------------------------------------------------------


class _Ward:
    """Everything generated for one ward, inserted ward by ward to keep memory flat."""

    def __init__(self, gen: _Generator, index: int, ward: Organization) -> None:
        self.gen = gen
        self.index = index
        self.ward = ward
        self.rng = random.Random(f"{gen.config.seed}:{index}")
        self.units: list[Unit] = []
        self.officers: dict[int, User] = {}  # unit index → officer
        self.heads: dict[int, User] = {}
        self.office: User | None = None
        self.leader: User | None = None

    @property
    def prefix(self) -> str:
        return user_prefix(self.gen.config.province_code, self.index, self.gen.config.wards)


class _Generator:
    def __init__(self, config: Config, log: Callable[[str], None]) -> None:
        self.config = config
        self.log = log
        self.today = config.today or clock_today()
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.width = max(3, len(str(config.wards)))
        self.password = make_password(data.PASSWORD)
        self.templates = templates()
        self.result: Result | None = None
        self.start = self.today - datetime.timedelta(days=round(365.25 * config.years))
        self.files: list[_StoredFile] = []

    # Timestamps on the system's clock: an aware datetime at a working hour of ``day``.
    def at(self, day: datetime.date, rng: random.Random) -> datetime.datetime:
        return datetime.datetime.combine(
            day, datetime.time(rng.randint(7, 17), rng.randint(0, 59), rng.randint(0, 59))
        ).replace(tzinfo=self.tz)

    def run(self) -> Result:
        config = self.config
        started = time.monotonic()
        if Organization.objects.filter(code=config.province_code).exists():
            raise ValueError(
                f"Tỉnh mã {config.province_code} đã có trong cơ sở dữ liệu: hãy chọn mã khác "
                "(--province-code) hoặc dùng cơ sở dữ liệu mới."
            )
        province = Organization.objects.create(
            name=f"Tỉnh Tổng Hợp {config.province_code}",
            code=config.province_code,
            kind=Organization.Kind.PROVINCE,
        )
        result = self.result = Result(province=province)
        self.files = _evidence_files(config.seed)
        User.objects.bulk_create(
            [
                User(
                    username=f"{config.province_code.lower()}_tinh",
                    password=self.password,
                    role=Role.UPPER_LEVEL,
                    organization=province,
                    first_name="Đỗ Thanh",
                    last_name="Tùng",
                    position="Chuyên viên Sở KH&CN",
                )
            ]
        )
        result.add("users", 1)
        result.seconds["setup"] = time.monotonic() - started
        phase = time.monotonic()
        with _keep_given_times():
            for index in range(1, config.wards + 1):
                with transaction.atomic():
                    self._ward(index, province)
                if index % 10 == 0 or index == config.wards:
                    elapsed = time.monotonic() - phase
                    self.log(
                        f"  {index}/{config.wards} wards, {result.counts.get('reports', 0)} "
                        f"reports, {elapsed:.0f} s"
                    )
        result.seconds["rows"] = time.monotonic() - phase
        if config.province_tasks:
            phase = time.monotonic()
            with transaction.atomic():
                self._province_plan(province)
            result.seconds["province_plan"] = time.monotonic() - phase
        # Fresh statistics after a bulk load, as after a restore: without them PostgreSQL
        # plans the scan's report lookups as sequential scans of the whole table (20× slower).
        phase = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        result.seconds["analyze"] = time.monotonic() - phase
        if config.scan_alerts:
            phase = time.monotonic()
            scanned = scan(organization=province)
            result.seconds["scan"] = time.monotonic() - phase
            result.add("alerts_open", scanned.still_open)
            # The scan has just written the alerts table: without statistics of it PostgreSQL
            # counts the province page's open alerts ward by ward through the index.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Alert._meta.db_table}")
        with transaction.atomic():
            audit_record(
                actor=SYSTEM,
                action=AuditAction.SYNTHETIC_CREATE,
                obj=province,
                organization=province,
                summary=(
                    f"Dữ liệu tổng hợp: {config.wards} phường × {config.tasks_per_ward} nhiệm "
                    f"vụ × {config.years} năm (seed {config.seed})"
                ),
                after={"counts": result.counts, "seed": config.seed},
            )
        result.seconds["total"] = time.monotonic() - started
        return result

    # --- one ward -------------------------------------------------------------------------

    def _ward(self, index: int, province: Organization) -> None:
        config = self.config
        rng = random.Random(f"{config.seed}:{index}:org")
        kind = Organization.Kind.WARD if rng.random() < 0.7 else Organization.Kind.COMMUNE
        word = "Phường" if kind == Organization.Kind.WARD else "Xã"
        ward = Organization.objects.create(
            name=f"{word} {rng.choice(_PLACES)} {index:0{self.width}d}",
            code=f"{config.province_code}-W{index:0{self.width}d}",
            kind=kind,
            parent=province,
        )
        w = _Ward(self, index, ward)
        self._people(w)
        for plan_number in range(config.plans()):
            self._plan(w, plan_number)
        self._directives(w)

    def _people(self, w: _Ward) -> None:
        result, rng = self.result, w.rng
        w.units = _insert(
            Unit,
            [
                Unit(
                    organization=w.ward,
                    name=name,
                    short_name=short,
                    order=order,
                    records_budget=name == data.BUDGET_UNIT,
                )
                for order, (name, short, _aliases) in enumerate(data.UNITS)
            ],
            self.config.batch_size,
        )
        aliases = []
        for unit, (_name, _short, spellings) in zip(w.units, data.UNITS, strict=True):
            distinct = {fold_key(a): a for a in reversed(spellings)}
            aliases += [UnitAlias(unit=unit, alias=a, key=k) for k, a in distinct.items()]
        _insert(UnitAlias, aliases, self.config.batch_size)
        users = []

        def user(username: str, role: str, unit: Unit | None, position: str) -> User:
            first, last = _person(rng)
            person = User(
                username=f"{w.prefix}_{username}",
                password=self.password,
                role=role,
                organization=w.ward,
                unit=unit,
                first_name=first,
                last_name=last,
                position=position,
            )
            users.append(person)
            return person

        for number, (unit, slug) in enumerate(zip(w.units, UNIT_SLUGS, strict=True)):
            w.officers[number] = user(f"canbo_{slug}", Role.UNIT_OFFICER, unit, "Công chức")
            w.heads[number] = user(f"truong_{slug}", Role.UNIT_HEAD, unit, "Trưởng đơn vị")
        w.office = user("vanphong", Role.STANDING_OFFICE, w.units[OFFICE_UNIT], "Chuyên viên")
        w.leader = user("lanhdao", Role.LEADER, None, "Chủ tịch UBND")
        _insert(User, users, self.config.batch_size)
        result.add("units", len(w.units))
        result.add("users", len(users))

    # --- plans ----------------------------------------------------------------------------

    def _plan(self, w: _Ward, number: int) -> None:
        config, rng, result = self.config, w.rng, self.result
        plans = config.plans()
        quota = config.tasks_per_ward // plans + (
            1 if number < config.tasks_per_ward % plans else 0
        )
        blocks = self.templates.blocks
        offset = (w.index * 3 + number * 7) % len(blocks)
        first_seed = blocks[offset].seed
        kind = self.templates.issuer_kinds[first_seed]
        issued = self.start - datetime.timedelta(days=rng.randint(0, 20))
        end = datetime.date(max(2030, self.today.year + 1), 12, 31)
        party = kind == Plan.Issuer.PARTY
        plan = Plan.objects.create(
            organization=w.ward,
            number=f"{10 + number + w.index}-KH/ĐU" if party else f"{100 + number}/KH-UBND",
            title=(
                "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công "
                f"nghệ, đổi mới sáng tạo và chuyển đổi số giai đoạn {issued.year}-{end.year}"
            ),
            issuer=f"{'Đảng ủy' if party else 'UBND'} {w.ward.name}",
            issuer_kind=kind,
            issued_on=issued,
            period_start=issued,
            period_end=end,
            reporting_cycle=ReportingCycle.WEEKLY,
            report_due_days=REPORT_DUE_DAYS,
            status=Plan.Status.ACTIVE,
        )
        result.add("plans", 1)
        chosen: list[tuple[_Block, list[DraftTask]]] = []
        taken = 0
        position = offset
        while taken < quota:
            block = blocks[position % len(blocks)]
            part = block.tasks[: quota - taken]
            chosen.append((block, part))
            taken += len(part)
            position += 1
        sections = _insert(
            Section,
            [
                Section(
                    plan=plan,
                    code=_ROMAN[i] if i < len(_ROMAN) else str(i + 1),
                    title=block.title,
                    order=i,
                )
                for i, (block, _part) in enumerate(chosen)
            ],
            config.batch_size,
        )
        result.add("sections", len(sections))
        tasks = self._tasks(w, plan, sections, chosen)
        self._indicators(w, plan, chosen)
        self._activity(w, plan, tasks)

    def _tasks(
        self,
        w: _Ward,
        plan: Plan,
        sections: list[Section],
        chosen: list[tuple[_Block, list[DraftTask]]],
    ) -> list[_TaskPlan]:
        rng, config = w.rng, self.config
        pool = self.templates.deadlines
        parents: list[Task] = []
        children: list[tuple[Task, str]] = []
        plans: list[_TaskPlan] = []
        order = 0
        for section, (_block, part) in zip(sections, chosen, strict=True):
            codes: set[str] = set()
            parent_of: dict[str, Task] = {}
            for draft_task in part:
                code = draft_task.code or str(order + 1)
                while code in codes:
                    code += "'"
                codes.add(code)
                deadline = _vary_deadline(draft_task.deadline_text, rng, pool)
                leads, all_leads = _resolve(draft_task.lead_units_raw)
                if all_leads:
                    leads = list(range(len(w.units)))
                elif not leads:
                    # The seed names no unit or one outside the standard list: the office
                    # assigns one, most often itself.
                    leads = [OFFICE_UNIT if rng.random() < 0.4 else rng.randrange(len(w.units))]
                coordinators, all_coordinators = _resolve(draft_task.coordinating_units_raw)
                if all_coordinators:
                    coordinators = list(range(len(w.units)))
                elif not coordinators and rng.random() < 0.5:
                    coordinators = rng.sample(range(len(w.units)), rng.randint(1, 2))
                coordinators = [u for u in coordinators if u not in leads]
                task = Task(
                    plan=plan,
                    section=section,
                    code=code[:30],
                    title=draft_task.title,
                    output=draft_task.output,
                    kpi=draft_task.kpi,
                    lead_units_raw=draft_task.lead_units_raw
                    or ", ".join(w.units[u].name for u in leads),
                    coordinating_units_raw=draft_task.coordinating_units_raw
                    or ", ".join(w.units[u].name for u in coordinators),
                    accountable=draft_task.accountable[:200],
                    note=draft_task.note,
                    order=order,
                    **_deadline_fields(deadline, plan=plan),
                )
                task.search_text = fold(
                    " ".join(
                        [task.code, task.title, task.output, task.kpi, task.note, task.accountable]
                    )
                )
                order += 1
                parent = parent_of.get(draft_task.parent) if draft_task.parent else None
                if parent is not None:
                    children.append((task, draft_task.parent))
                    task.parent = parent
                else:
                    parents.append(task)
                parent_of.setdefault(draft_task.code, task)
                plans.append(_TaskPlan(task, leads, coordinators))
        _insert(Task, parents, config.batch_size)
        for task, _code in children:
            task.parent_id = task.parent.pk
        _insert(Task, [task for task, _code in children], config.batch_size)
        lead_rows, coordinating_rows = [], []
        for item in plans:
            # In the plan's order of writing: the first lead unit is the one that must act.
            lead_rows += [
                TaskLeadUnit(task_id=item.task.pk, unit_id=w.units[u].pk, order=place)
                for place, u in enumerate(item.leads)
            ]
            coordinating_rows += [
                TaskCoordinatingUnit(task_id=item.task.pk, unit_id=w.units[u].pk, order=place)
                for place, u in enumerate(item.coordinators)
            ]
        _insert(TaskLeadUnit, lead_rows, config.batch_size)
        _insert(TaskCoordinatingUnit, coordinating_rows, config.batch_size)
        parent_ids = {task.parent_id for task, _code in children}
        for item in plans:
            item.is_parent = item.task.pk in parent_ids
        self.result.add("tasks", len(plans))
        return plans

    def _indicators(
        self, w: _Ward, plan: Plan, chosen: list[tuple[_Block, list[DraftTask]]]
    ) -> None:
        rng, config = w.rng, self.config
        indicators, milestones, values = [], [], []
        templates = [item for block, _part in chosen for item in block.indicators][:40]
        for order, item in enumerate(templates):
            leads, _all = _resolve(item.lead_unit)
            lead = w.units[leads[0]] if leads else w.units[rng.randrange(len(w.units))]
            indicator = Indicator(
                plan=plan,
                code=item.code[:30],
                name=item.name,
                unit_of_measure=item.unit[:100],
                comparator=item.comparator or Indicator.Comparator.GE,
                baseline=item.baseline,
                baseline_year=item.baseline_year,
                baseline_text=item.baseline_text,
                target=item.target,
                target_year=item.target_year,
                target_text=item.target_text,
                lead_unit=lead,
                lead_unit_raw=item.lead_unit,
                monitoring_unit_raw=item.monitoring_unit,
                note=item.note,
                order=order,
            )
            indicators.append((indicator, item))
        _insert(Indicator, [i for i, _item in indicators], config.batch_size)
        quarter_ends = [
            p.end for p in periods_between(self.start, self.today, ReportingCycle.QUARTERLY)
        ]
        for indicator, item in indicators:
            for year, value in sorted(item.milestones.items()):
                milestones.append(
                    IndicatorMilestone(
                        indicator=indicator,
                        year=year,
                        value=value,
                        text=item.milestone_texts.get(year, ""),
                    )
                )
            if indicator.target is None:
                continue
            # Values at each quarter's end, moving from the baseline towards the target; about
            # one indicator in four lags well behind.
            target = float(indicator.target)
            base = float(indicator.baseline) if indicator.baseline is not None else target * 0.5
            lag = rng.random() < 0.25
            officer = w.officers[w.units.index(lead)] if lead in w.units else None
            seen: set[str] = set()
            for step, day in enumerate(quarter_ends, start=1):
                recorded = day + datetime.timedelta(days=rng.randint(1, 12))
                if recorded > self.today or rng.random() < 0.1:
                    continue
                period = str(period_of(day, ReportingCycle.WEEKLY))
                if period in seen:
                    continue
                seen.add(period)
                share = step / max(1, len(quarter_ends))
                share *= 0.5 if lag else rng.uniform(0.9, 1.15)
                value = base + (target - base) * min(share, 1.2)
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        period=period,
                        value=Decimal(str(round(value, 2))),
                        recorded_by=officer,
                        recorded_at=self.at(recorded, rng),
                    )
                )
        _insert(IndicatorMilestone, milestones, config.batch_size)
        _insert(IndicatorValue, values, config.batch_size)
        self.result.add("indicators", len(indicators))
        self.result.add("indicator_values", len(values))

    # --- reports, evidence, reviews -------------------------------------------------------

    def _activity(self, w: _Ward, plan: Plan, tasks: list[_TaskPlan]) -> None:
        config = self.config
        periods = periods_between(plan.period_start, self.today, plan.reporting_cycle)
        # Each unit has its habits: how often it forgets a week, how often it is late.
        habits = {
            u: (w.rng.uniform(0.01, 0.08), w.rng.uniform(0.03, 0.2)) for u in range(len(w.units))
        }
        reports: list[ProgressReport] = []
        files: list[tuple[_TaskPlan, list[_Upload]]] = []
        for item in tasks:
            if item.is_parent:
                continue
            self._task_reports(w, plan, item, periods, habits[item.leads[0]])
            reports += item.reports
            files.append((item, item.uploads))
        _insert(ProgressReport, reports, config.batch_size)
        evidence, reviews = [], []
        for _item, uploads in files:
            for upload in uploads:
                evidence.append(upload.evidence)
                upload.evidence.report_id = upload.report.pk if upload.report else None
        _insert(Evidence, evidence, config.batch_size)
        for _item, uploads in files:
            reviews += [u.review for u in uploads if u.review is not None]
        _insert(EvidenceReview, reviews, config.batch_size)
        self._refresh(tasks)
        self.result.add("reports", len(reports))
        self.result.add("evidence", len(evidence))
        self.result.add("reviews", len(reviews))

    def _task_reports(
        self,
        w: _Ward,
        plan: Plan,
        item: _TaskPlan,
        periods: list[Period],
        habit: tuple[float, float],
    ) -> None:
        rng, today = w.rng, self.today
        task = item.task
        unit_index = item.leads[0]
        unit, officer, head = w.units[unit_index], w.officers[unit_index], w.heads[unit_index]
        miss_rate, late_rate = habit
        start = plan.period_start
        due = task.due_date or start + datetime.timedelta(days=rng.randint(120, 900))
        span = max(14, (due - start).days)
        roll = rng.random()
        if roll < 0.55:  # done on time
            finish = start + datetime.timedelta(days=int(span * rng.uniform(0.55, 0.98)))
            cap = 100
        elif roll < 0.8:  # done late
            finish = due + datetime.timedelta(days=rng.randint(7, 150))
            cap = 100
        else:  # stalls short of done
            finish = due + datetime.timedelta(days=rng.randint(0, 60))
            cap = rng.choice((20, 30, 40, 50, 60, 70, 80, 90))
        total = max(7, (finish - start).days)
        current = period_of(today, plan.reporting_cycle)
        uploads, reports = item.uploads, item.reports
        accepted_on: datetime.date | None = None  # the office accepted a file on that day
        percent = 0
        for period in periods:
            if accepted_on is not None and period.start > accepted_on:
                break  # complete: the unit stops reporting
            if rng.random() < miss_rate:
                continue
            if rng.random() < late_rate:
                day = period.end + datetime.timedelta(days=rng.randint(REPORT_DUE_DAYS + 1, 20))
            else:
                day = period.end + datetime.timedelta(days=rng.randint(-2, REPORT_DUE_DAYS))
            if period == current:
                day = min(day, today)
            if day > today or day < max(period.start, start):
                continue
            elapsed = (day - start).days
            percent = max(percent, min(cap, _rounded(100 * elapsed / total)))
            report = ProgressReport(
                task=task,
                unit=unit,
                period=str(period),
                percent=percent,
                result=rng.choice(_RESULTS),
                difficulties=rng.choice(_DIFFICULTIES) if rng.random() < 0.1 else "",
                status=ProgressReport.Status.SUBMITTED,
                submitted_by=officer,
                submitted_at=self.at(day, rng),
                submitted_on=day,
            )
            reviewed = day + datetime.timedelta(days=rng.randint(1, 10))
            if reviewed <= today:
                report.reviewed_by = w.office
                report.reviewed_at = self.at(reviewed, rng)
                report.version = 2
                if rng.random() < 0.02:
                    report.status = ProgressReport.Status.RETURNED
                    report.return_reason = rng.choice(_RETURN_REASONS)
                else:
                    report.status = ProgressReport.Status.ACCEPTED
            elif rng.random() < 0.4:
                report.status = ProgressReport.Status.CONFIRMED
                report.confirmed_by = head
                report.confirmed_at = self.at(day, rng)
            reports.append(report)
            if report.status == ProgressReport.Status.RETURNED:
                continue
            halfway = 40 <= percent < 100 and not uploads and rng.random() < 0.15
            if percent == 100 and not any(u.final for u in uploads) or halfway:
                accepted = self._uploads(w, task, report, day, officer, uploads, final=not halfway)
                if not halfway:
                    accepted_on = accepted

    def _uploads(
        self,
        w: _Ward,
        task: Task,
        report: ProgressReport,
        day: datetime.date,
        officer: User,
        uploads: list[_Upload],
        *,
        final: bool,
    ) -> datetime.date | None:
        """The unit's evidence for a report, and the office's reviews of it; a rejected file is
        replaced by another a few days later. Returns the day a file was accepted, if any."""
        rng, today = w.rng, self.today
        for attempt in range(3):
            stored = rng.choice(self.files)
            kind = Evidence.Kind.SIGNED_DOCUMENT if rng.random() < 0.7 else Evidence.Kind.OTHER
            name = f"{rng.choice(_FILE_NAMES)}-{task.code or 'nv'}-{day:%d%m%Y}"
            evidence = Evidence(
                task=task,
                file=stored.name,
                sha256=stored.sha256,
                original_name=f"{re.sub(r'[^0-9A-Za-z.-]+', '-', name)[:120]}.pdf",
                content_type="application/pdf",
                size=stored.size,
                kind=kind,
                document_number=f"{rng.randint(1, 300)}/BC-UBND"
                if kind == "signed_document"
                else "",
                document_date=day - datetime.timedelta(days=rng.randint(0, 5)),
                uploaded_by=officer,
                uploaded_at=self.at(day, rng),
                uploaded_on=day,
            )
            upload = _Upload(evidence, report, final)
            uploads.append(upload)
            reviewed = day + datetime.timedelta(days=rng.randint(1, 12))
            if reviewed > today:
                return None  # waits in the office's review queue
            rejected = rng.random() < (0.15 if attempt == 0 else 0.08)
            upload.review = EvidenceReview(
                evidence=evidence,
                decision=(
                    EvidenceReview.Decision.REJECTED
                    if rejected
                    else EvidenceReview.Decision.ACCEPTED
                ),
                reason=rng.choice(_REJECT_REASONS) if rejected else "",
                reviewer=w.office,
                reviewed_at=self.at(reviewed, rng),
                reviewed_on=reviewed,
            )
            if not rejected:
                return reviewed
            day = reviewed + datetime.timedelta(days=rng.randint(2, 45))
            if day > today:
                return None
        return None

    def _refresh(self, tasks: list[_TaskPlan]) -> None:
        """Set the cached progress and completion day as ``reporting.services.task_refresh``
        would after the last report and review, leaves first and then their parents."""
        by_pk = {item.task.pk: item for item in tasks}
        for item in tasks:
            if item.is_parent:
                continue
            task = item.task
            counted = [r for r in item.reports if r.status != ProgressReport.Status.RETURNED]
            latest = max(counted, key=lambda r: (r.period, r.submitted_at, r.pk), default=None)
            task.progress = latest.percent if latest else 0
            accepted = [
                u.evidence.uploaded_on
                for u in item.uploads
                if u.review is not None and u.review.decision == EvidenceReview.Decision.ACCEPTED
            ]
            task.completed_on = None
            if task.progress == 100 and accepted:
                first = min(accepted)
                task.completed_on = max(latest.submitted_on or first, first)
        children: dict[int, list[Task]] = {}
        for item in tasks:
            if item.task.parent_id:
                children.setdefault(item.task.parent_id, []).append(item.task)
        for parent_id, subtasks in children.items():
            parent = by_pk[parent_id].task
            weights = sum((s.weight for s in subtasks), Decimal(0)) or Decimal(1)
            mean = sum((s.weight * s.progress for s in subtasks), Decimal(0)) / weights
            parent.progress = int(mean.to_integral_value())
            done = all(s.completed_on for s in subtasks)
            parent.completed_on = max(s.completed_on for s in subtasks) if done else None
        Task.objects.bulk_update(
            [item.task for item in tasks], ["progress", "completed_on"], batch_size=500
        )

    def _province_plan(self, province: Organization) -> None:
        """The province's plan: its first ``province_tasks`` distinct seed titles, each assigned
        to every ward and carried out by every ward task of that title (``upper_task``), their
        roll-up cached as the progress chain leaves it."""
        titles: list[str] = []
        for block in self.templates.blocks:
            for draft_task in block.tasks:
                if not draft_task.parent and draft_task.title not in titles:
                    titles.append(draft_task.title)
        titles = titles[: self.config.province_tasks]
        plan = Plan.objects.create(
            organization=province,
            number="49/KH-UBND",
            title="Kế hoạch triển khai Nghị quyết số 57-NQ/TW trên địa bàn tỉnh",
            issuer=f"UBND {province.name}",
            issued_on=self.start,
            period_start=self.start,
            period_end=datetime.date(max(2030, self.today.year + 1), 12, 31),
            status=Plan.Status.ACTIVE,
        )
        upper = _insert(
            Task,
            [
                Task(
                    plan=plan,
                    code=str(n + 1),
                    title=title,
                    order=n,
                    ward_assignment=WardAssignment.ALL_WARDS,
                    search_text=fold(title),
                    **_deadline_fields("Năm 2027", plan=plan),
                )
                for n, title in enumerate(titles)
            ],
            self.config.batch_size,
        )
        by_title = {task.title: task for task in upper}
        linked: dict[int, list[int]] = {}
        for pk, title in Task.objects.filter(
            plan__organization__parent=province, parent__isnull=True, title__in=titles
        ).values_list("pk", "title"):
            linked.setdefault(by_title[title].pk, []).append(pk)
        for upper_id, ids in linked.items():
            Task.objects.filter(pk__in=ids).update(upper_task_id=upper_id)
        for task in upper:
            task_rollup_refresh(task)
        self.result.add("province_tasks", len(upper))
        self.result.add("linked_ward_tasks", sum(len(ids) for ids in linked.values()))

    def _directives(self, w: _Ward) -> None:
        rng = w.rng
        overdue = list(
            Task.objects.filter(
                plan__organization=w.ward, completed_on__isnull=True, due_date__lt=self.today
            )
            .order_by("due_date", "id")
            .values_list("pk", flat=True)[:20]
        )
        rows = []
        for task_id in rng.sample(overdue, min(3, len(overdue))):
            created = self.today - datetime.timedelta(days=rng.randint(1, 40))
            answered = created + datetime.timedelta(days=rng.randint(1, 10))
            directive = Directive(
                task_id=task_id,
                author=w.leader,
                text="Đề nghị đơn vị chủ trì khẩn trương hoàn thành nhiệm vụ, báo cáo kết quả.",
                created_at=self.at(created, rng),
            )
            if answered <= self.today and rng.random() < 0.6:
                directive.answer = "Đơn vị đã tiếp thu, sẽ hoàn thành trong tháng."
                directive.answered_by = w.office
                directive.answered_at = self.at(answered, rng)
            rows.append(directive)
        _insert(Directive, rows, self.config.batch_size)
        self.result.add("directives", len(rows))


@dataclass
class _TaskPlan:
    task: Task
    leads: list[int]
    coordinators: list[int]
    is_parent: bool = False
    reports: list[ProgressReport] = field(default_factory=list)
    uploads: list[_Upload] = field(default_factory=list)


@dataclass
class _Upload:
    evidence: Evidence
    report: ProgressReport | None
    final: bool
    review: EvidenceReview | None = None


def generate(config: Config, *, log: Callable[[str], None] = lambda _line: None) -> Result:
    """Build the province of ``config``; returns its counts and the seconds of each phase."""
    return _Generator(config, log).run()
