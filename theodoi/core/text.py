"""Text helpers that make Vietnamese search and matching forgiving: pure functions."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics, so "Chữ ký số" matches "chu ky so".

    "đ" is not a combining mark in Unicode, so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def fold_key(text: str) -> str:
    """Fold and drop punctuation: the key used to match unit names and aliases."""
    return " ".join(_NON_WORD.split(fold(text))).strip()
