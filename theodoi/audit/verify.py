"""Checking the audit trail's hash chain from the first record to the last."""

from dataclasses import dataclass

from theodoi.audit.anchor import Anchor
from theodoi.audit.keys import keyring
from theodoi.audit.models import AuditEvent, AuditHead
from theodoi.audit.services import event_digest


@dataclass
class ChainReport:
    ok: bool
    count: int
    message: str
    event_id: int | None = None


def verify_chain(anchor: Anchor | None = None) -> ChainReport:
    """Recompute every hash in order, with the configured keys. The first problem found is
    reported, in Vietnamese: a record whose content changed, a record missing or moved (its
    predecessor's hash does not match), an unkeyed record where only keyed ones may stand, or
    records cut off at the end (the head, or the ``anchor`` written down earlier, no longer
    matches)."""
    ring = keyring()
    previous = ""
    count = 0
    keyed = False
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    for event in events:
        where = f"#{event.pk} ({event.at:%d/%m/%Y %H:%M})"
        if event.prev_hash != previous:
            return ChainReport(
                False,
                count,
                f"Nhật ký bị đứt trước bản ghi {where}: "
                "có bản ghi bị xóa, chèn thêm hoặc đổi thứ tự.",
                event.pk,
            )
        if keyed and not event.key_id:
            return ChainReport(
                False,
                count,
                f"Bản ghi nhật ký {where} không được ký bằng khóa bí mật dù đứng sau bản ghi đã "
                "ký: nhật ký đã bị viết lại.",
                event.pk,
            )
        if event.key_id and event.key_id not in ring.keys:
            return ChainReport(
                False,
                count,
                f"Bản ghi nhật ký {where} được ký bằng khóa «{event.key_id}» không có trong "
                "THEODOI_AUDIT_KEY. Nếu đã đổi khóa, hãy ghi khóa cũ sau khóa mới (cách nhau "
                "bằng dấu phẩy); nếu không, bản ghi đã bị giả mạo.",
                event.pk,
            )
        if event_digest(event, ring) != event.hash:
            return ChainReport(
                False,
                count,
                f"Bản ghi nhật ký {where} đã bị sửa: nội dung không khớp với mã băm.",
                event.pk,
            )
        keyed = keyed or bool(event.key_id)
        previous = event.hash
        count += 1
        if (
            anchor is not None
            and count == anchor.count
            and not previous.startswith(anchor.hash_prefix)
        ):
            return ChainReport(
                False,
                count,
                f"Bản ghi thứ {count} ({where}) không khớp mốc {anchor}: nhật ký đến thời điểm "
                "lập mốc đã bị viết lại (sửa, xóa hoặc chèn bản ghi).",
                event.pk,
            )
    if count and not keyed:
        return ChainReport(
            False,
            count,
            "Không bản ghi nào trong nhật ký được ký bằng khóa bí mật: nhật ký đã bị viết lại "
            "(mỗi cài đặt đã ký nhật ký cũ của mình khi nâng cấp).",
        )
    if anchor is not None and count < anchor.count:
        return ChainReport(
            False,
            count,
            f"Nhật ký chỉ còn {count} bản ghi nhưng mốc {anchor} ghi {anchor.count}: "
            "các bản ghi cuối đã bị xóa.",
        )
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != previous or head.count != count):
        return ChainReport(
            False,
            count,
            f"Nhật ký thiếu bản ghi: đầu chuỗi ghi {head.count} bản ghi nhưng chỉ còn {count} "
            "(bản ghi cuối đã bị xóa hoặc thay).",
        )
    if anchor is not None:
        return ChainReport(True, count, f"OK, {count} records; anchor {anchor} holds")
    return ChainReport(True, count, f"OK, {count} records")
