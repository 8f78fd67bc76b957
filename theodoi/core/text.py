"""Text helpers that make Vietnamese search and matching forgiving, and write dates and numbers
the Vietnamese way: pure functions."""

import datetime
import re
import unicodedata
from decimal import Decimal

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics, so "Chữ ký số" matches "chu ky so".

    "đ" is not a combining mark in Unicode, so it is mapped by hand.
    """
    # Vietnamese on purpose: the letters of the text being folded, not a message.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def fold_key(text: str) -> str:
    """Fold and drop punctuation: the key used to match unit names and aliases."""
    return " ".join(_NON_WORD.split(fold(text))).strip()


# --- For people to read: the alerts' messages and the exported reports write alike. ---


def format_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def format_number(value: Decimal | float | int) -> str:
    """Vietnamese style: "." groups thousands and "," marks decimals ("1.200", "2,5")."""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
