"""An amount of money as the office types it, read into million VND (the unit of every budget
line). Pure: no database, so the rules are tested on their own.

A bare number is in million VND and written the Vietnamese way ("1.200.000" is one million two
hundred thousand, "12,5" is twelve and a half). A unit may follow, since documents and people
say "1,5 tỷ" or "200 triệu đồng" as often as they convert: the unit is read on the folded text
(no diacritics), so "tỷ", "ty" and "TỶ" are the same word.
"""

import re
from decimal import Decimal

from theodoi.core.numbers import parse_typed_number
from theodoi.core.text import fold

_MILLION = Decimal(1)
# The folded unit words and what one of each is worth in million VND.
UNITS: dict[str, Decimal] = {
    "ty": Decimal(1000),
    "ty dong": Decimal(1000),
    "trieu": _MILLION,
    "trieu dong": _MILLION,
    "tr": _MILLION,
    "trd": _MILLION,
    "dong": Decimal("0.000001"),
    "d": Decimal("0.000001"),
    "vnd": Decimal("0.000001"),
}
_AMOUNT_RE = re.compile(r"(?P<number>[-+]?\d[\d., ]*?)\s*(?P<unit>[a-z][a-z. ]*)?")


def parse_amount(text: str) -> Decimal | None:
    """``text`` in million VND, or None unless it is one number, with at most one known unit
    after it ("1.200.000", "12,5", "1,5 tỷ", "200 triệu đồng", "1.200.000 đ").

    The result is exact (Decimal); whether it has too many decimals, is negative or too large
    is the form's to say, with its own message.
    """
    folded = fold(text or "")
    match = _AMOUNT_RE.fullmatch(folded)
    if match is None:
        return None
    factor = _MILLION
    if match.group("unit"):
        unit = " ".join(match.group("unit").replace(".", " ").split())
        if unit not in UNITS:
            return None
        factor = UNITS[unit]
    number = parse_typed_number(match.group("number"))
    if number is None:
        return None
    return number * factor


def format_amount(value: Decimal) -> str:
    """An amount in million VND for people to read, the Vietnamese way: "." groups thousands,
    "," marks decimals, at most three of them and no trailing zeros ("1.200.000", "12,5")."""
    text = f"{value.quantize(Decimal('0.001')):,.3f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
