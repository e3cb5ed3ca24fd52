"""A mobile number as the customer display may show it: "05X XXX X123", never the whole number
(a person standing behind the citizen must not learn it)."""

from __future__ import annotations

import re

_SHOWN_DIGITS = 3
# "05X XXX X123" shows the leading 0, the 5 every Saudi mobile starts with, and the last three.
_MOST_DIGITS_SHOWN = 2 + _SHOWN_DIGITS


def mask_mobile(number: str) -> str:
    """`+966 5X XXX XXXX`, `9665...` or `05...` as `05X XXX X123`; any other text keeps only
    its last three digits."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("966"):
        digits = "0" + digits[3:]
    elif digits.startswith("5") and len(digits) == 9:
        digits = "0" + digits
    if len(digits) == 10 and digits.startswith("05"):
        return f"05X XXX X{digits[-_SHOWN_DIGITS:]}"
    return "X" * max(len(digits) - _SHOWN_DIGITS, 0) + digits[-_SHOWN_DIGITS:]


def safe_to_show(masked: str) -> str:
    """`masked` itself when it hides the number; masked again when a caller passed too much."""
    if sum(char.isdigit() for char in masked) <= _MOST_DIGITS_SHOWN:
        return masked
    return mask_mobile(masked)
