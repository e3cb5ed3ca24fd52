"""Dates of birth typed by the operator, in Gregorian or Hijri (Umm al-Qura) as the card shows.

Saudi cards print the Hijri date for citizens and often the Gregorian one for residents, so the
form takes either and keeps both: Gregorian is what is stored, Hijri is shown beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hijridate import Gregorian, Hijri

from station.bilingual import Bilingual

# hijridate's Umm al-Qura table covers 1343-1500 AH (1924-2077 CE).
HIJRI_FIRST_YEAR = 1343
HIJRI_LAST_YEAR = 1500
GREGORIAN_FIRST_YEAR = 1900

_TO_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DATE_SHAPE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


class Calendar(StrEnum):
    GREGORIAN = "gregorian"
    HIJRI = "hijri"

    @property
    def label(self) -> Bilingual:
        if self is Calendar.GREGORIAN:
            return Bilingual("Gregorian", "ميلادي")
        return Bilingual("Hijri", "هجري")

    def other(self) -> Calendar:
        return Calendar.HIJRI if self is Calendar.GREGORIAN else Calendar.GREGORIAN


class BirthDateProblem(StrEnum):
    EMPTY = "empty"
    INCOMPLETE = "incomplete"
    BAD_FORMAT = "bad_format"
    NOT_A_DATE = "not_a_date"
    OUT_OF_RANGE = "out_of_range"
    WRONG_CALENDAR = "wrong_calendar"
    IN_FUTURE = "in_future"


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A valid date of birth: as entered (for the portal), and in both calendars (for display)."""

    calendar: Calendar
    entered: str  # normalised YYYY-MM-DD in `calendar`
    gregorian: date
    hijri: str  # YYYY-MM-DD, Umm al-Qura


@dataclass(frozen=True, slots=True)
class BirthDateCheck:
    value: BirthDate | None
    problem: BirthDateProblem | None
    message: Bilingual

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def in_progress(self) -> bool:
        return self.problem in (BirthDateProblem.EMPTY, BirthDateProblem.INCOMPLETE)


def _problem(problem: BirthDateProblem, en: str, ar: str) -> BirthDateCheck:
    return BirthDateCheck(None, problem, Bilingual(en, ar))


def check_birth_date(text: str, calendar: Calendar, today: date) -> BirthDateCheck:
    """Parse `text` (YYYY-MM-DD; `/` also accepted) as a date of birth in `calendar`."""
    cleaned = "".join(text.split()).translate(_TO_ASCII_DIGITS)
    if not cleaned:
        return _problem(
            BirthDateProblem.EMPTY,
            f"Type the date of birth as YYYY-MM-DD ({calendar.label.en}).",
            f"اكتب تاريخ الميلاد بصيغة YYYY-MM-DD ({calendar.label.ar}).",
        )
    match = _DATE_SHAPE.fullmatch(cleaned)
    if match is None:
        if re.fullmatch(r"\d{0,4}([-/]\d{0,2}){0,2}", cleaned):
            return _problem(
                BirthDateProblem.INCOMPLETE,
                "Keep typing: year-month-day, e.g. 1990-05-17.",
                "تابع الكتابة: السنة-الشهر-اليوم، مثل 1990-05-17.",
            )
        return _problem(
            BirthDateProblem.BAD_FORMAT,
            "Write the date as YYYY-MM-DD with digits and dashes, e.g. 1990-05-17.",
            "اكتب التاريخ بصيغة YYYY-MM-DD بالأرقام والشرطات، مثل 1990-05-17.",
        )
    year, month, day = (int(part) for part in match.groups())
    if calendar is Calendar.GREGORIAN:
        return _check_gregorian(year, month, day, today)
    return _check_hijri(year, month, day, today)


def _check_gregorian(year: int, month: int, day: int, today: date) -> BirthDateCheck:
    if HIJRI_FIRST_YEAR - 20 <= year <= HIJRI_LAST_YEAR:
        return _problem(
            BirthDateProblem.WRONG_CALENDAR,
            f"Year {year} looks like a Hijri date: switch the calendar to Hijri (ctrl+t).",
            f"السنة {year} تبدو تاريخًا هجريًا: بدّل التقويم إلى هجري (ctrl+t).",
        )
    try:
        born = date(year, month, day)
    except ValueError:
        return _problem(
            BirthDateProblem.NOT_A_DATE,
            f"{year:04d}-{month:02d}-{day:02d} is not a real Gregorian date: check month and day.",
            f"{year:04d}-{month:02d}-{day:02d} ليس تاريخًا ميلاديًا صحيحًا: راجع الشهر واليوم.",
        )
    if year < GREGORIAN_FIRST_YEAR:
        return _problem(
            BirthDateProblem.OUT_OF_RANGE,
            f"Year {year} is too far back: check the year on the card.",
            f"السنة {year} قديمة جدًا: راجع السنة في البطاقة.",
        )
    return _finish(born, Calendar.GREGORIAN, born.isoformat(), today)


def _check_hijri(year: int, month: int, day: int, today: date) -> BirthDateCheck:
    if year > HIJRI_LAST_YEAR + 100:
        return _problem(
            BirthDateProblem.WRONG_CALENDAR,
            f"Year {year} looks like a Gregorian date: switch the calendar to Gregorian (ctrl+t).",
            f"السنة {year} تبدو تاريخًا ميلاديًا: بدّل التقويم إلى ميلادي (ctrl+t).",
        )
    if not HIJRI_FIRST_YEAR <= year <= HIJRI_LAST_YEAR:
        return _problem(
            BirthDateProblem.OUT_OF_RANGE,
            f"Hijri year {year} is outside {HIJRI_FIRST_YEAR}-{HIJRI_LAST_YEAR}: "
            "check the year on the card.",
            f"السنة الهجرية {year} خارج النطاق {HIJRI_FIRST_YEAR}-{HIJRI_LAST_YEAR}: "
            "راجع السنة في البطاقة.",
        )
    entered = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        born = Hijri(year, month, day).to_gregorian().datetuple()
    except (ValueError, OverflowError):
        # Umm al-Qura months have 29 or 30 days depending on the year: 1445-02-30 does not exist.
        return _problem(
            BirthDateProblem.NOT_A_DATE,
            f"{entered} is not a real Hijri (Umm al-Qura) date: check month and day.",
            f"{entered} ليس تاريخًا هجريًا صحيحًا (أم القرى): راجع الشهر واليوم.",
        )
    return _finish(date(*born), Calendar.HIJRI, entered, today)


def _finish(born: date, calendar: Calendar, entered: str, today: date) -> BirthDateCheck:
    if born > today:
        return _problem(
            BirthDateProblem.IN_FUTURE,
            f"{entered} is in the future: check the year on the card.",
            f"{entered} تاريخ في المستقبل: راجع السنة في البطاقة.",
        )
    hijri = hijri_of(born)
    return BirthDateCheck(
        BirthDate(calendar, entered, born, hijri),
        None,
        Bilingual(f"{born.isoformat()} = {hijri} AH", f"{born.isoformat()} م = {hijri} هـ"),
    )


def hijri_of(day: date) -> str:
    """The Umm al-Qura date as YYYY-MM-DD, or "" outside the table's range."""
    try:
        return str(Gregorian(day.year, day.month, day.day).to_hijri().isoformat())
    except (ValueError, OverflowError):
        return ""
