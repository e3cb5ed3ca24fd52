"""Checks of a national ID / iqama number as an operator types it: one clear error per rule.

A Saudi identity number has 10 digits; the first is 1 for a citizen (national ID) or 2 for a
resident (iqama), and the last is a Luhn check digit over all ten (the digit sum is a multiple
of 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from station.bilingual import Bilingual

ID_NUMBER_LENGTH = 10

# Operators on an Arabic keyboard type Arabic-Indic digits; they mean the same number.
_TO_ASCII_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "01234567890123456789",
)


class IdNumberProblem(StrEnum):
    EMPTY = "empty"
    INCOMPLETE = "incomplete"
    NOT_DIGITS = "not_digits"
    TOO_LONG = "too_long"
    BAD_FIRST_DIGIT = "bad_first_digit"
    BAD_CHECK_DIGIT = "bad_check_digit"


class IdHolderKind(StrEnum):
    CITIZEN = "citizen"
    RESIDENT = "resident"


@dataclass(frozen=True, slots=True)
class IdNumberCheck:
    """The result of one check: the normalised digits, and at most one problem with its message."""

    digits: str
    problem: IdNumberProblem | None
    message: Bilingual

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def in_progress(self) -> bool:
        """Nothing wrong yet, only not finished: the UI shows this neutrally, not as an error."""
        return self.problem in (IdNumberProblem.EMPTY, IdNumberProblem.INCOMPLETE)

    @property
    def holder_kind(self) -> IdHolderKind | None:
        if not self.ok:
            return None
        return IdHolderKind.CITIZEN if self.digits[0] == "1" else IdHolderKind.RESIDENT


def normalize_id_number(text: str) -> str:
    """ASCII digits, without the spaces people type to group them."""
    return "".join(text.split()).translate(_TO_ASCII_DIGITS)


def luhn_sum(digits: str) -> int:
    """Luhn sum with the check digit last: double every second digit counting from the right."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def luhn_check_digit(first_nine: str) -> str:
    """The digit that completes `first_nine` into a valid identity number."""
    return str((10 - luhn_sum(first_nine + "0") % 10) % 10)


def check_id_number(text: str) -> IdNumberCheck:
    """Check an identity number, in this order: empty or partial, digits, length, first digit,
    check digit. Problems that are already certain (a letter, a wrong first digit) are reported
    while the number is still partial, so the operator sees them at the key that caused them.
    """
    digits = normalize_id_number(text)
    if not digits:
        return IdNumberCheck(
            digits,
            IdNumberProblem.EMPTY,
            Bilingual(
                "Type the 10-digit ID or iqama number from the card.",
                "اكتب رقم الهوية أو الإقامة المكوّن من 10 أرقام كما في البطاقة.",
            ),
        )
    if not digits.isascii() or not digits.isdigit():
        return IdNumberCheck(
            digits,
            IdNumberProblem.NOT_DIGITS,
            Bilingual(
                "The ID number has only digits: remove letters and symbols.",
                "رقم الهوية أرقام فقط: احذف الحروف والرموز.",
            ),
        )
    if digits[0] not in "12":
        return IdNumberCheck(
            digits,
            IdNumberProblem.BAD_FIRST_DIGIT,
            Bilingual(
                "An ID number starts with 1 (citizen) or 2 (resident): check the first digit.",
                "يبدأ رقم الهوية بـ 1 (مواطن) أو 2 (مقيم): تحقق من الرقم الأول.",
            ),
        )
    if len(digits) < ID_NUMBER_LENGTH:
        missing = ID_NUMBER_LENGTH - len(digits)
        return IdNumberCheck(
            digits,
            IdNumberProblem.INCOMPLETE,
            Bilingual(
                f"{len(digits)} of 10 digits: type the remaining {missing}.",
                f"{len(digits)} من 10 أرقام: اكتب الأرقام المتبقية ({missing}).",
            ),
        )
    if len(digits) > ID_NUMBER_LENGTH:
        return IdNumberCheck(
            digits,
            IdNumberProblem.TOO_LONG,
            Bilingual(
                f"{len(digits)} digits is too many: an ID number has exactly 10. Check the card.",
                f"{len(digits)} رقمًا أكثر من اللازم: رقم الهوية 10 أرقام بالضبط. راجع البطاقة.",
            ),
        )
    if luhn_sum(digits) % 10 != 0:
        return IdNumberCheck(
            digits,
            IdNumberProblem.BAD_CHECK_DIGIT,
            Bilingual(
                "This is not a valid ID number (check digit): one digit is mistyped. "
                "Compare each digit with the card.",
                "هذا ليس رقم هوية صحيحًا (خانة التحقق): أحد الأرقام مكتوب خطأ. "
                "قارن كل رقم بالبطاقة.",
            ),
        )
    kind = "citizen" if digits[0] == "1" else "resident"
    kind_ar = "مواطن" if digits[0] == "1" else "مقيم"
    return IdNumberCheck(
        digits,
        None,
        Bilingual(f"Valid ID number ({kind}).", f"رقم هوية صحيح ({kind_ar})."),
    )
