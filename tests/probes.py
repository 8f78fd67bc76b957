"""Odd input for probing forms: each value a person (or a script) can send in a form field.

A form body is bytes: a lone UTF-16 half arrives as its UTF-8-like bytes (``%ED%A0%80``),
which no browser would encode but a script may; Django reads it as a replacement character.
``post_raw`` sends such a body as it is."""

from urllib.parse import quote

ODD_VALUES = [
    "²",
    "1e999",
    "NaN",
    "-1",
    "",
    " ",
    "9" * 20_000,
    "x" * 20_000,
    "%ED%A0%80",  # a lone surrogate, raw
    "%00",  # NUL, raw
    "١٢٣",  # Arabic-Indic digits: isdigit() is true
]


def body(fields: dict[str, str | list[str]]) -> str:
    """A form body; a value with a raw "%" escape is sent as it is, others are quoted."""
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            raw = value if value.startswith("%") else quote(value)
            parts.append(f"{quote(name)}={raw}")
    return "&".join(parts)


def post_raw(client, url: str, fields: dict[str, str | list[str]]):
    return client.post(url, body(fields), content_type="application/x-www-form-urlencoded")
