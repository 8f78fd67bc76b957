"""Checking the audit trail's hash chain from the first record to the last."""

from dataclasses import dataclass

from theodoi.audit.models import AuditEvent, AuditHead
from theodoi.audit.services import event_digest


@dataclass
class ChainReport:
    ok: bool
    count: int
    message: str
    event_id: int | None = None


def verify_chain() -> ChainReport:
    """Recompute every hash in order. The first problem found is reported, in Vietnamese:
    a record whose content changed, a record missing or moved (its predecessor's hash does not
    match), or records cut off at the end (the head no longer matches)."""
    previous = ""
    count = 0
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    for event in events:
        if event.prev_hash != previous:
            return ChainReport(
                False,
                count,
                f"Nhật ký bị đứt trước bản ghi #{event.pk} ({event.at:%d/%m/%Y %H:%M}): "
                "có bản ghi bị xóa, chèn thêm hoặc đổi thứ tự.",
                event.pk,
            )
        if event_digest(event) != event.hash:
            return ChainReport(
                False,
                count,
                f"Bản ghi nhật ký #{event.pk} ({event.at:%d/%m/%Y %H:%M}) đã bị sửa: "
                "nội dung không khớp với mã băm.",
                event.pk,
            )
        previous = event.hash
        count += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != previous or head.count != count):
        return ChainReport(
            False,
            count,
            f"Nhật ký thiếu bản ghi: đầu chuỗi ghi {head.count} bản ghi nhưng chỉ còn {count} "
            "(bản ghi cuối đã bị xóa hoặc thay).",
        )
    return ChainReport(True, count, f"OK, {count} records")
