"""Arabic prepared for a terminal: joined letter forms and visual order, for display only.

Terminals draw characters one cell at a time in storage order and do not join Arabic letters,
so text shown in the TUI is shaped (presentation forms) and reordered here. Data is never
stored or sent in this form: it stays in logical order everywhere else.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from arabic_reshaper import ArabicReshaper

# The pure-Python algorithm, not the Rust `bidi.get_display`: only this one mirrors brackets
# ("(" shown as ")" in right-to-left runs), as UAX #9 rule L4 requires.
from bidi.algorithm import get_display


@cache
def _reshaper() -> ArabicReshaper:
    # The Allah ligature (U+FDF2) would swallow "الله" inside names such as عبدالله, and
    # terminal fonts draw it badly or as one narrow cell; keep the letters.
    return ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": False})


def is_right_to_left(text: str) -> bool:
    """Whether the first letter with a strong direction is Arabic or Hebrew (UAX #9, P2)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def for_display(text: str, *, right_to_left: bool | None = None) -> str:
    """Shape and reorder `text` for a left-to-right terminal; plain Latin text comes back as is.

    The paragraph direction follows the first strong letter, so an Arabic sentence with a
    number or a Latin word inside reads right-to-left as a whole. Pass `right_to_left` for a
    line cut from a longer paragraph, which must keep the paragraph's direction.
    """
    if not text:
        return text
    base_dir = None if right_to_left is None else ("R" if right_to_left else "L")
    return str(get_display(_reshaper().reshape(text), base_dir=base_dir))
