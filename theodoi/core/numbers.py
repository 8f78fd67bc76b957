"""Vietnamese numbers: "." groups thousands and "," marks decimals ("1.200" = 1200, "2,5" = 2.5).
Pure functions returning Decimal, never float (money and rates must add up exactly)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_NUMBER_RE = re.compile(r"[-+]?\d[\d.,\s]*")
_GROUPED_RE = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_number(text: str) -> Decimal | None:
    """The first number in ``text`` read the Vietnamese way, or None when there is none.

    "3.792" → 3792, "1.010" → 1010, "2,5" → 2.5, "1.234,5" → 1234.5, "85%" → 85, "01" → 1.
    A lone dot followed by one or two digits ("0.5", "12.75") is read as a decimal point,
    because thousands groups always have three digits.
    """
    match = _NUMBER_RE.search(text.replace("\u00a0", " "))
    if not match:
        return None
    raw = match.group(0).strip().rstrip(".,").replace(" ", "")
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        # "2,5" decimal; "1,200,000" written the English way still reads as thousands.
        parts = raw.split(",")
        raw = (
            "".join(parts)
            if all(len(p) == 3 for p in parts[1:]) and len(parts) > 2
            else (raw.replace(",", "."))
        )
    elif "." in raw:
        if _GROUPED_RE.match(raw.lstrip("+-")):
            raw = raw.replace(".", "")
        elif raw.count(".") > 1:
            return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


_TYPED_NUMBER_RE = re.compile(r"\s*[-+]?\d[\d.,\s]*")


def parse_typed_number(text: str) -> Decimal | None:
    """A number a person typed into a field, read the Vietnamese way; None unless the whole
    text is one finite number ("12,5 ha", "²", "1e999" and "NaN" are not).

    ``parse_number`` finds the first number inside a sentence of a document; a field holds
    nothing else, so anything around the number is a mistake to point out, not to skip.
    """
    text = text.replace("\u00a0", " ")
    if not text.isascii() or not _TYPED_NUMBER_RE.fullmatch(text):
        return None
    number = parse_number(text)
    return number if number is not None and number.is_finite() else None


def format_number(value: Decimal | int | float, places: int | None = None) -> str:
    """A number written the Vietnamese way: "." groups thousands and "," marks decimals
    (1234.5 → "1.234,5"). ``places`` rounds to that many decimals and keeps them ("0,0");
    without it the number is written as exact as it is, trailing zeros dropped ("2,5", "3")."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"
