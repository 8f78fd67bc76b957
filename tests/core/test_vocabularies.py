"""One label source per vocabulary: a task state or an alert rule is named in one place, next to
its enum, and every page, chart, export and e-mail reads it there."""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

import theodoi
from theodoi.alerts import rules
from theodoi.alerts.models import Alert
from theodoi.alerts.services import digest_message
from theodoi.dashboards.views import _state_charts
from theodoi.exports import report
from theodoi.plans.states import TaskState

PACKAGE = Path(theodoi.__file__).parent

# The official Vietnamese names (DESIGN.md §4) and the rule names the pages showed before the
# labels were gathered in one place: none of them may change.
STATE_NAMES_VI = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "open_not_due": "Chưa hoàn thành trong hạn",
    "open_overdue": "Chưa hoàn thành quá hạn",
}
RULE_NAMES_VI = {
    "overdue": "Quá hạn",
    "behind_schedule": "Chậm tiến độ",
    "evidence_rejected": "Minh chứng không hợp lệ",
    "missing_report": "Thiếu báo cáo",
    "due_soon": "Sắp đến hạn",
    "indicator_off_track": "Chỉ tiêu chậm so với lộ trình",
    "no_lead_unit": "Chưa giao đơn vị chủ trì",
    "upward_report_late": "Chưa gửi báo cáo định kỳ",
    "upward_report_due_soon": "Sắp đến hạn gửi báo cáo định kỳ",
}
HOMES = {"TaskState": "plans/states.py", "Rule": "alerts/rules.py"}


def _render(text: str, **context) -> str:
    return Template("{% load plans %}" + text).render(Context(context))


def test_a_state_reads_the_same_on_every_page_chart_and_export():
    board = SimpleNamespace(
        counts={s.value: 0 for s in TaskState}, trend_days=[], trend={s: [] for s in TaskState}
    )
    with translation.override("vi"):
        doughnut, trend = _state_charts(board)
        choices = _render("{% state_choices as c %}{% for v, l in c %}{{ v }}={{ l }};{% endfor %}")
        for number, state in enumerate(TaskState):
            name = STATE_NAMES_VI[state.value]
            assert state.label == name
            assert _render("{{ s|state_label }}", s=state.value) == name
            assert f"{state.value}={name};" in choices
            assert doughnut["labels"][number] == trend["series"][number]["label"] == name
            assert report.STATE_LABELS_VI[state.value] == name


def test_the_report_names_states_in_vietnamese_from_an_english_page():
    with translation.override("en"):
        assert _render("{{ s|state_label }}", s="done_late") == "Done late"
        assert dict(report.STATE_LABELS_VI) == STATE_NAMES_VI
        counts = report.state_counts([])
    assert [c.label for c in counts] == list(STATE_NAMES_VI.values())


def test_a_rule_reads_the_same_in_the_model_the_pages_and_the_digest(world):
    with translation.override("vi"):
        assert dict(Alert.Rule.choices) == RULE_NAMES_VI == {r.value: r.label for r in rules.Rule}
    assert Alert.Rule.values == [r.value for r in rules.Rule]
    alert = Alert(organization=world.ward_a, rule=Alert.Rule.INDICATOR_OFF_TRACK, message="m")
    with translation.override("en"):
        assert alert.get_rule_display() == "Indicator off track"
        # The digest's sentences are Vietnamese, so is the rule's name in it.
        _subject, body = digest_message(world.people.office, [alert])
    assert "1. Chỉ tiêu chậm so với lộ trình – " in body


def _label_like(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return not node.value.isascii() or " " in node.value
    return isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "gettext_lazy")


def second_label_sources(root: Path = PACKAGE) -> list[str]:
    """Places under ``root`` that name task states or alert rules again: a mapping from the
    members to texts outside the enum's module, a mapping to hard-coded Vietnamese anywhere,
    or a choices class restating the rules' values with labels."""
    rule_values = {r.value for r in rules.Rule}
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        where = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                enums = {
                    key.value.id
                    for key in node.keys
                    if isinstance(key, ast.Attribute) and isinstance(key.value, ast.Name)
                }
                for enum in enums & set(HOMES):
                    hard_coded = any(isinstance(v, ast.Constant) for v in node.values)
                    if any(map(_label_like, node.values)) and (where != HOMES[enum] or hard_coded):
                        found.append(f"{where}:{node.lineno} {enum}")
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    value = getattr(item, "value", None)
                    if (
                        isinstance(value, ast.Tuple)
                        and value.elts
                        and getattr(value.elts[0], "value", None) in rule_values
                        and any(map(_label_like, value.elts[1:]))
                    ):
                        found.append(f"{where}:{item.lineno} {node.name}")
    return sorted(found)


def test_states_and_rules_are_named_in_one_place():
    # 9 places before (the template tags' and the Word report's state names, the digest's rule
    # names, and the six labelled members of Alert.Rule).
    assert second_label_sources() == []


def test_the_scan_finds_a_second_source(tmp_path):
    (tmp_path / "views.py").write_text(
        'LABELS = {TaskState.DONE_LATE: _("Done late")}\n'
        'COLOURS = {TaskState.DONE_LATE: "info"}\n'
        "class Alert:\n"
        '    OVERDUE = "overdue", _("Overdue")\n'
    )
    (tmp_path / "alerts").mkdir()
    (tmp_path / "alerts" / "rules.py").write_text('VI = {Rule.OVERDUE: "Quá hạn"}\n')
    assert second_label_sources(tmp_path) == [
        "alerts/rules.py:1 Rule",
        "views.py:1 TaskState",
        "views.py:4 Alert",
    ]


@pytest.mark.parametrize("state", list(TaskState))
def test_a_state_label_is_translated(state):
    with translation.override("en"):
        english = state.label
    with translation.override("vi"):
        assert state.label != english
