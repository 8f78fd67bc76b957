"""The audit actions are one vocabulary: every write names an ``AuditAction`` member, every
member has a label, and the pages that show the trail use that label."""

import ast
import csv
import io
from pathlib import Path

import pytest
from django.utils import translation

import theodoi
from theodoi.audit.actions import AuditAction, action_label
from theodoi.audit.models import AuditEvent
from theodoi.audit.services import audit_record
from theodoi.audit.verify import verify_chain
from theodoi.core.access import SYSTEM

PACKAGE = Path(theodoi.__file__).parent


def _sources(root: Path):
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or path.relative_to(root).as_posix() == "audit/actions.py":
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_free_string(node: ast.expr) -> bool:
    """A string written or built on the spot, rather than a member looked up."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, (ast.JoinedStr, ast.BinOp)):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join")
    if isinstance(node, ast.IfExp):
        return _is_free_string(node.body) or _is_free_string(node.orelse)
    return False


def free_audit_actions(root: Path = PACKAGE) -> list[str]:
    """Each place under ``root`` that hands the audit trail an action that is not an
    ``AuditAction`` member: a string literal or f-string given to ``audit_record``, or a
    literal spelling a registered action given to any call (a helper that passes it on, a
    filter on the trail)."""
    values = set(AuditAction.values)
    found = []
    for path, tree in _sources(root):
        where = path.relative_to(root).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
                for keyword in node.keywords:
                    if name == "audit_record" and keyword.arg == "action":
                        arguments.remove(keyword.value)
                        if _is_free_string(keyword.value):
                            found.append(f"{where}:{keyword.value.lineno} audit_record")
                for arg in arguments:
                    if isinstance(arg, ast.Constant) and arg.value in values:
                        found.append(f"{where}:{arg.lineno} {arg.value!r}")
            elif (
                isinstance(node, ast.Attribute)
                and getattr(node.value, "id", None) == "AuditAction"
                and node.attr.isupper()
                and node.attr not in AuditAction.names
            ):
                found.append(f"{where}:{node.lineno} AuditAction.{node.attr} does not exist")
    return sorted(set(found))


def test_every_audit_action_in_the_code_is_a_member():
    # 52 places on the code before the enum: 41 literals and 6 f-strings given to audit_record,
    # 4 literals given to the password helper of accounts, and the chain's sealing record.
    assert free_audit_actions() == []


def test_the_scan_finds_a_free_string(tmp_path):
    (tmp_path / "services.py").write_text(
        "audit_record(actor=None, action='task.update', obj=x)\n"
        "audit_record(actor=None, action=f'report.{status}', obj=x)\n"
        "audit_record(actor=None, action=AuditAction.NO_SUCH_THING, obj=x)\n"
        "audit_record(actor=None, action=AuditAction.TASK_UPDATE, obj=x)\n"
    )
    (tmp_path / "helpers.py").write_text("_audit(user, 'user.password_change', actor=user)\n")
    assert free_audit_actions(tmp_path) == [
        "helpers.py:1 'user.password_change'",
        "services.py:1 audit_record",
        "services.py:2 audit_record",
        "services.py:3 AuditAction.NO_SUCH_THING does not exist",
    ]


def test_every_action_has_its_own_vietnamese_label():
    with translation.override("vi"):
        labels = {member: str(member.label) for member in AuditAction}
    for member, label in labels.items():
        assert label and label != member.value
    with translation.override("en"):
        untranslated = [m for m in AuditAction if str(m.label) == labels[m]]
    assert untranslated == []
    assert len(set(labels.values())) == len(labels), "two actions read the same"


def test_stored_values_never_change():
    # Each record's hash covers its action: renaming a value would break the verification of
    # every record already written with it. Only new members may be added.
    before_the_enum = {
        "plan.create", "plan.import", "section.create", "task.create", "task.update",
        "indicator.create", "indicator.value", "indicator.catalogue_link",
        "indicator.catalogue_unlink", "catalogue.create", "directive.create",
        "directive.answer", "report.submit", "report.confirm", "report.returned",
        "report.accepted", "report.export", "evidence.upload", "evidence.infected",
        "evidence.accepted", "evidence.rejected", "evidence.download", "import.upload",
        "import.saved", "import.discarded", "budget.create", "budget.record",
        "budget.ward_total", "ranking.scale", "assessment.framework.import",
        "assessment.campaign.open", "assessment.campaign.close", "assessment.answers.save",
        "assessment.sources.refresh", "assessment.submit", "assessment.accepted",
        "assessment.returned", "assessment.adjust", "alerts.scan", "organization.create",
        "organization.update", "organization.delete", "unit.create", "unit.update",
        "unit.delete", "user.create", "user.update", "user.deactivate",
        "user.password_reset.request", "user.password_reset", "user.password_reset.link",
        "user.password_change", "api.token.issue", "api.token.revoke", "api.token.revoke_all",
        "audit.export", "audit.keyed", "synthetic.create",
    }  # fmt: skip
    assert before_the_enum <= set(AuditAction.values)


@pytest.mark.parametrize("action", ["task.update", "made.up", ""])
def test_audit_record_refuses_a_free_string(world, action):
    with pytest.raises(ValueError, match="AuditAction"):
        audit_record(actor=SYSTEM, action=action, obj=world.task_vhxh)
    assert not AuditEvent.objects.exists()


def test_a_member_is_stored_as_its_plain_value(world):
    event = audit_record(actor=SYSTEM, action=AuditAction.REPORT_RETURNED, obj=world.task_vhxh)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "report.returned" and type(event.action) is str
    assert verify_chain().ok


def test_an_unknown_stored_action_shows_its_code():
    assert action_label("older.action") == "older.action"
    with translation.override("vi"):
        assert action_label("report.returned") == "Trả lại báo cáo"


def _record(world, action):
    return audit_record(
        actor=world.people.office,
        action=action,
        obj=world.task_vhxh,
        organization=world.ward_a,
        summary="ghi chú",
    )


def test_task_history_shows_the_label(world, client):
    _record(world, AuditAction.REPORT_RETURNED)
    client.force_login(world.people.office)
    page = client.get(world.task_vhxh.get_absolute_url()).content.decode()
    history = page.split('id="history"', 1)[1]
    assert ">Trả lại báo cáo<" in history
    assert "report.returned" not in history


def test_audit_export_has_the_label_beside_the_code(world, client):
    _record(world, AuditAction.EVIDENCE_DOWNLOAD)
    client.force_login(world.people.ward_admin)
    response = client.get("/audit/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, data = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert header[header.index("action") + 1] == "action_label"
    (download,) = [row for row in data if row["action"] == "evidence.download"]
    assert download["action_label"] == "Tải minh chứng"


def test_admin_lists_and_filters_by_label(world, client):
    _record(world, AuditAction.REPORT_ACCEPTED)
    client.force_login(world.people.ward_admin)
    listing = client.get("/admin/audit/auditevent/").content.decode()
    assert "Chấp nhận báo cáo" in listing
    assert "Người dùng tự đổi mật khẩu" in listing  # offered by the filter by its label
    filtered = client.get("/admin/audit/auditevent/", {"action": "report.accepted"})
    assert filtered.status_code == 200
    assert "ghi chú" in filtered.content.decode()
    other = client.get("/admin/audit/auditevent/", {"action": "task.update"}).content.decode()
    assert "ghi chú" not in other
