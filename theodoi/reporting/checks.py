"""Checks an evidence file gets when it comes in: a document number's form under Decree
30/2020/NĐ-CP (Nghị định 30/2020 on administrative documents), a document's date against the
period it proves, and a photo's EXIF date and place. Pure functions over values and bytes.

They are aids for the reviewer, never reasons to refuse a file: each returns what it found
(a verdict code and the facts) and ``explain`` says it in the interface language. The codes
and facts are what is stored, so the words follow the reader's language and can be improved
later without recomputing anything.
"""

import datetime
import io
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext

# The document-kind abbreviations of Decree 30/2020's Appendix III, with the letter kinds
# wards use beside them (certificates, confirmations, travel orders, "CV" for an official
# letter some offices still write). Vietnamese on purpose: the abbreviations and names as the
# decree writes them on documents.
DOCUMENT_KINDS: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "GN": "Bản ghi nhớ",
    "TTh": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "GXN": "Giấy xác nhận",
    "GCN": "Giấy chứng nhận",
    "GĐ": "Giấy đi đường",
    "GNV": "Giấy nhận việc",
    "CV": "Công văn",
    "SY": "Bản sao y",
    "TS": "Bản trích sao",
    "SL": "Bản sao lục",
}
_KINDS_UPPER = {kind.upper(): kind for kind in DOCUMENT_KINDS}

# An issuer's or a drafting unit's abbreviation: capitals (Vietnamese ones included, such as
# the Đ of HĐND) and digits, e.g. UBND, HĐND, BCĐ, VP, ĐU, UBMTTQ, BCĐ389.
_PART_RE = re.compile(r"^[^\W\d_a-zđ][^\W_]*$")
_NUMBER_RE = re.compile(r"^\d{1,6}$")
_YEAR_RE = re.compile(r"^\d{4}$")


def _is_capital_part(part: str) -> bool:
    return bool(_PART_RE.match(part)) and part == part.upper()


@dataclass(frozen=True)
class NumberCheck:
    """What the form of a document number says.

    ``verdict``: "ok" (number/kind-issuer, as Decree 30/2020 writes it), "letter" (no known
    kind: the number/issuer-unit form of an official letter, "công văn"), "bad" (another
    form: ``problem`` says which rule it breaks) or "empty"."""

    verdict: str
    number: str
    problem: str = ""
    kind: str = ""
    issuer: str = ""
    year: int | None = None
    detail: str = ""  # the offending part, for the explanation


def _normalized(text: str) -> str:
    # Composed letters (a Mac types them decomposed), and the Icelandic eth that keyboards and
    # fonts pass off as the Vietnamese Đ. Vietnamese on purpose: letters of typed numbers.
    text = unicodedata.normalize("NFC", text).strip().replace("Ð", "Đ").replace("ð", "đ")
    text = re.sub(r"^(số|so)\s*:?\s*", "", text, flags=re.IGNORECASE)
    text = text.replace("–", "-").replace("—", "-").replace("‐", "-")
    return re.sub(r"\s*([/-])\s*", r"\1", text)


def check_number(text: str, *, document_date: datetime.date | None = None) -> NumberCheck:
    """Check a document number ("Số: 15/BC-UBND", "12/2026/NQ-HĐND") against the form of
    Decree 30/2020: an Arabic number (below 10 written with a leading 0), for legal documents
    the year, then the kind's abbreviation and the issuer's, joined by a hyphen."""
    number = _normalized(text or "")
    if not number:
        return NumberCheck("empty", "")
    parts = number.split("/")
    if len(parts) == 1:
        return NumberCheck("bad", number, "no_slash")
    if len(parts) > 3:
        return NumberCheck("bad", number, "too_many_slashes")
    head, sign = parts[0], parts[-1]
    if not _NUMBER_RE.match(head):
        return NumberCheck("bad", number, "number_not_digits", detail=head)
    if len(head) == 1 or int(head) == 0:
        return NumberCheck("bad", number, "leading_zero", detail=head)
    year = None
    if len(parts) == 3:
        if not _YEAR_RE.match(parts[1]):
            return NumberCheck("bad", number, "bad_year", detail=parts[1])
        year = int(parts[1])
        if document_date is not None and year != document_date.year:
            return NumberCheck("bad", number, "year_differs", year=year, detail=parts[1])
    pieces = sign.split("-")
    if any(not piece for piece in pieces):
        return NumberCheck("bad", number, "empty_piece", detail=sign)
    kind = _KINDS_UPPER.get(pieces[0].upper())
    if kind is not None and pieces[0] != kind:
        # "QYĐ" or "qđ": the kind is known but written in other capitals than the Decree's.
        return NumberCheck("bad", number, "kind_case", kind=kind, detail=pieces[0])
    if kind is not None:
        if len(pieces) < 2:
            return NumberCheck("bad", number, "no_issuer", kind=kind)
        rest = pieces[1:]
    else:
        rest = pieces
    for piece in rest:
        if not _is_capital_part(piece):
            return NumberCheck("bad", number, "issuer_letters", kind=kind or "", detail=piece)
    if kind is None:
        if len(pieces) < 2:
            return NumberCheck("bad", number, "unknown_kind", detail=pieces[0])
        return NumberCheck("letter", number, kind="", issuer=pieces[0], year=year)
    return NumberCheck("ok", number, kind=kind, issuer="-".join(rest), year=year)


def explain_number(check: dict[str, Any]) -> str:
    return str(_explain_number(check))


def _explain_number(check: dict[str, Any]) -> Any:
    """The stored result of ``check_number`` said to the reviewer."""
    verdict, problem, detail = check.get("verdict"), check.get("problem", ""), check.get("detail")
    number, kind = check.get("number", ""), check.get("kind", "")
    if verdict == "ok":
        return gettext(
            "Document number %(number)s follows Decree 30/2020 (%(kind)s of %(issuer)s)."
        ) % {"number": number, "kind": DOCUMENT_KINDS.get(kind, kind), "issuer": check["issuer"]}
    if verdict == "letter":
        return gettext(
            "Document number %(number)s has no document-kind abbreviation of Decree 30/2020: "
            "it reads as an official letter (công văn) of %(issuer)s."
        ) % {"number": number, "issuer": check.get("issuer", "")}
    if verdict != "bad":
        return ""
    reasons = {
        "no_slash": gettext("it needs the number, a slash and the abbreviations, as in 15/BC-UBND"),
        "too_many_slashes": gettext(
            "it has too many slashes (at most number/year/abbreviations, as in 12/2026/NQ-HĐND)"
        ),
        "number_not_digits": gettext("the number «%(detail)s» is not written in digits"),
        "leading_zero": gettext(
            "the number «%(detail)s» must start from 01 and have two digits at least (05, not 5)"
        ),
        "bad_year": gettext("the year «%(detail)s» must have four digits"),
        "year_differs": gettext("the year %(detail)s in the number is not the document's year"),
        "empty_piece": gettext("«%(detail)s» has an empty part around a hyphen"),
        "kind_case": gettext("the kind «%(detail)s» is written %(kind)s in Decree 30/2020"),
        "no_issuer": gettext("the issuing body's abbreviation is missing after the kind"),
        "issuer_letters": gettext(
            "«%(detail)s» must be written in capital letters without other signs"
        ),
        "unknown_kind": gettext(
            "«%(detail)s» is not a document-kind abbreviation of Decree 30/2020, and no issuing "
            "body follows it"
        ),
    }
    reason = reasons.get(problem, "") % {"detail": detail, "kind": kind}
    return gettext("Document number %(number)s does not follow Decree 30/2020: %(reason)s.") % {
        "number": number,
        "reason": reason,
    }


@dataclass(frozen=True)
class DateCheck:
    """Where a document's date falls against the window it should fall in.

    ``verdict``: "inside", "before", "after" (the window), "future" (after the upload day),
    or "none" (no date, or no window to compare with)."""

    verdict: str
    date: str = ""
    start: str = ""
    end: str = ""


def check_date(
    document_date: datetime.date | None,
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    uploaded_on: datetime.date | None = None,
) -> DateCheck:
    """Compare a document's date with its window (a report's period up to the day its report
    is due, or a task's start and due days): a report on a quarter is written after it."""
    if document_date is None:
        return DateCheck("none")
    date = document_date.isoformat()
    bounds = {"start": start.isoformat() if start else "", "end": end.isoformat() if end else ""}
    if uploaded_on is not None and document_date > uploaded_on:
        return DateCheck("future", date, **bounds)
    if start is not None and document_date < start:
        return DateCheck("before", date, **bounds)
    if end is not None and document_date > end:
        return DateCheck("after", date, **bounds)
    if start is None and end is None:
        return DateCheck("none", date)
    return DateCheck("inside", date, **bounds)


def _day(text: str) -> str:
    return datetime.date.fromisoformat(text).strftime("%d/%m/%Y") if text else "…"


def explain_date(check: dict[str, Any]) -> str:
    return str(_explain_date(check))


def _explain_date(check: dict[str, Any]) -> Any:
    values = {
        "date": _day(check.get("date", "")),
        "start": _day(check.get("start", "")),
        "end": _day(check.get("end", "")),
    }
    verdict = check.get("verdict")
    if verdict == "future":
        return gettext("The document is dated %(date)s, after the day it was uploaded.") % values
    if verdict in ("before", "after"):
        return (
            gettext(
                "The document is dated %(date)s, outside the reporting period "
                "(%(start)s – %(end)s)."
            )
            % values
        )
    if verdict == "inside":
        return gettext("The document's date %(date)s is within the reporting period.") % values
    return ""


# --- Photos -----------------------------------------------------------------------------------

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATETIME_ORIGINAL = 0x9003
_DATETIME_DIGITIZED = 0x9004
_DATETIME = 0x0132


@dataclass(frozen=True)
class PhotoCheck:
    """The date and place a photo's EXIF data says it was taken (None when absent)."""

    taken_at: str | None = None  # "2026-03-14T09:12:00", the camera's local time
    latitude: float | None = None
    longitude: float | None = None
    read: bool = True  # False when the image could not be read at all


def _exif_datetime(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.strptime(value.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return moment.isoformat()


def _degrees(value: Any, ref: Any, negative: str) -> float | None:
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if isinstance(ref, str) and ref.strip("\x00 ").upper() == negative:
        degrees = -degrees
    return round(degrees, 6)


def check_photo(data: bytes) -> PhotoCheck:
    """Read a photo's EXIF date and GPS place. Only the header is read (no pixel is decoded),
    and a broken or hostile file gives an empty answer, never an error."""
    from PIL import Image  # imported here: only photos need it

    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            taken = None
            if exif:
                sub = exif.get_ifd(_EXIF_IFD)
                taken = (
                    _exif_datetime(sub.get(_DATETIME_ORIGINAL))
                    or _exif_datetime(sub.get(_DATETIME_DIGITIZED))
                    or _exif_datetime(exif.get(_DATETIME))
                )
                gps = exif.get_ifd(_GPS_IFD)
            else:
                gps = {}
    except Exception:  # Pillow raises many kinds on broken files; a check never refuses
        return PhotoCheck(read=False)
    latitude = _degrees(gps.get(2), gps.get(1), "S") if gps else None
    longitude = _degrees(gps.get(4), gps.get(3), "W") if gps else None
    if (
        latitude is None
        or longitude is None
        or not (-90 <= latitude <= 90)
        or not -180 <= longitude <= 180
    ):
        latitude = longitude = None
    return PhotoCheck(taken_at=taken, latitude=latitude, longitude=longitude)


def explain_photo(check: dict[str, Any]) -> str:
    return str(_explain_photo(check))


def _explain_photo(check: dict[str, Any]) -> Any:
    if not check.get("read", True):
        return gettext("The photo's EXIF data could not be read.")
    taken = check.get("taken_at")
    latitude, longitude = check.get("latitude"), check.get("longitude")
    when = datetime.datetime.fromisoformat(taken).strftime("%d/%m/%Y %H:%M") if taken else None
    where = f"({latitude:.5f}, {longitude:.5f})" if latitude is not None else None
    if when and where:
        return gettext("Photo taken on %(when)s at %(where)s.") % {"when": when, "where": where}
    if when:
        return gettext("Photo taken on %(when)s (no place recorded).") % {"when": when}
    if where:
        return gettext("Photo taken at %(where)s (no date recorded).") % {"where": where}
    return gettext("The photo carries no date or place (EXIF).")


# --- The stored record --------------------------------------------------------------------------

# Bumped when the stored shape changes, so that ``check_evidence`` knows what to recompute.
VERSION = 1


def as_dict(result: Any) -> dict[str, Any]:
    return asdict(result)
