"""Export of the audit trail as CSV, for installation-wide admins and a ward's admin."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone

from theodoi.audit.actions import AuditAction, action_label
from theodoi.audit.models import AuditEvent
from theodoi.audit.services import audit_record
from theodoi.core.access import Action, can, org_scope
from theodoi.core.spreadsheet import csv_row

COLUMNS = [
    "id",
    "at",
    "actor",
    "organization",
    "action",
    "action_label",
    "object_type",
    "object_id",
    "summary",
    "before",
    "after",
    "prev_hash",
    "hash",
]


class _Echo:
    def write(self, value):
        return value


def _rows(events):
    yield COLUMNS
    for event in events:
        yield [
            event.pk,
            timezone.localtime(event.at).isoformat(),
            event.actor.username if event.actor else "",
            event.organization.name if event.organization else "",
            event.action,
            action_label(event.action),
            event.object_type,
            event.object_id,
            event.summary,
            "" if event.before is None else json.dumps(event.before, ensure_ascii=False),
            "" if event.after is None else json.dumps(event.after, ensure_ascii=False),
            event.prev_hash,
            event.hash,
        ]


@login_required
def audit_export(request):
    """Every audit record the admin may see, oldest first (the chain's order)."""
    if not can(request.user, Action.EXPORT_AUDIT, None):
        raise PermissionDenied
    events = (
        AuditEvent.objects.filter(org_scope(request.user))
        .select_related("actor", "organization")
        .order_by("id")
    )
    audit_record(
        actor=request.user,
        action=AuditAction.AUDIT_EXPORT,
        obj=request.user,
        organization=request.user.organization,
        summary="audit.csv",
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(csv_row(row)) for row in _rows(events.iterator(chunk_size=2000))),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
