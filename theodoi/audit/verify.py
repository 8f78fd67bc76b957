"""Checking the audit trail's hash chain from the first record to the last."""

from dataclasses import dataclass

from django.apps import apps

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
    matches), a record signed with an older key than a record before it, or an empty trail in an
    installation that has data."""
    ring = keyring()
    # Lower is newer. Rotation only ever moves to a newer key, so once a newer key has signed,
    # an older one may not sign again: a leaked retired key cannot sign after that point.
    age = {kid: position for position, kid in enumerate(ring.keys)}
    newest = ""
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
                "bằng dấu phẩy); nếu bản ghi được ký khi chưa đặt THEODOI_AUDIT_KEY, khóa được "
                "suy ra từ SECRET_KEY: hãy dùng lại SECRET_KEY của lúc đó; nếu không, bản ghi "
                "đã bị giả mạo.",
                event.pk,
            )
        if event.key_id and newest and age[event.key_id] > age[newest]:
            return ChainReport(
                False,
                count,
                f"Bản ghi nhật ký {where} được ký bằng khóa cũ «{event.key_id}» dù đứng sau bản "
                f"ghi đã ký bằng khóa mới hơn «{newest}»: khóa đã thay không còn ký bản ghi mới, "
                "nên bản ghi này đã bị giả mạo (khóa cũ có thể đã lộ).",
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
        if event.key_id and (not newest or age[event.key_id] < age[newest]):
            newest = event.key_id
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
    if not count and _has_audited_data():
        return ChainReport(
            False,
            count,
            "Nhật ký trống nhưng cài đặt đã có dữ liệu (tổ chức, kế hoạch, báo cáo hoặc minh "
            "chứng): mọi thay đổi đều được ghi nhật ký, nên các bản ghi nhật ký đã bị xóa. Hãy "
            "khôi phục từ bản sao lưu và kiểm tra bằng verify_audit --anchor-from-backup.",
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


# Rows that are only ever created through audited writes (services, admin, the demo data): where
# one exists, the trail cannot be empty. People are not counted: createsuperuser writes none.
_AUDITED_MODELS = (
    ("org", "Organization"),
    ("plans", "Plan"),
    ("reporting", "ProgressReport"),
    ("reporting", "Evidence"),
)


def _has_audited_data() -> bool:
    return any(apps.get_model(*name)._base_manager.exists() for name in _AUDITED_MODELS)
