"""Dates of birth in Gregorian or Hijri (Umm al-Qura), with one clear message per problem."""

from __future__ import annotations

from datetime import date

import pytest

from station.birth_date import BirthDateProblem, Calendar, check_birth_date, hijri_of

TODAY = date(2025, 3, 1)


def test_gregorian_date_is_kept_with_its_hijri_equivalent() -> None:
    check = check_birth_date("1990-05-17", Calendar.GREGORIAN, TODAY)

    assert check.ok
    assert check.value is not None
    assert check.value.gregorian == date(1990, 5, 17)
    assert check.value.hijri == "1410-10-22"
    assert check.value.entered == "1990-05-17"
    assert "1410-10-22" in check.message.en
    assert "هـ" in check.message.ar


def test_hijri_date_converts_to_gregorian_by_umm_al_qura() -> None:
    check = check_birth_date("1410-10-22", Calendar.HIJRI, TODAY)

    assert check.ok
    assert check.value is not None
    assert check.value.gregorian == date(1990, 5, 17)
    assert check.value.calendar is Calendar.HIJRI
    assert check.value.entered == "1410-10-22"  # sent to the portal as entered, with its calendar


def test_hijri_of_is_the_inverse_of_the_hijri_parse() -> None:
    for day in (date(1950, 2, 1), date(2000, 1, 1), date(2024, 3, 11)):
        hijri = hijri_of(day)
        back = check_birth_date(hijri, Calendar.HIJRI, TODAY)
        assert back.value is not None
        assert back.value.gregorian == day


def test_slashes_single_digits_and_arabic_indic_digits_are_accepted() -> None:
    check = check_birth_date("١٤١٠/١٠/٢٢", Calendar.HIJRI, TODAY)
    single = check_birth_date("1990-5-7", Calendar.GREGORIAN, TODAY)

    assert check.value is not None
    assert check.value.entered == "1410-10-22"
    assert single.value is not None
    assert single.value.entered == "1990-05-07"


def test_empty_and_partial_dates_are_in_progress_not_errors() -> None:
    empty = check_birth_date("", Calendar.GREGORIAN, TODAY)
    partial = check_birth_date("1990-0", Calendar.GREGORIAN, TODAY)

    assert empty.problem is BirthDateProblem.EMPTY
    assert empty.in_progress
    assert partial.problem is BirthDateProblem.INCOMPLETE
    assert partial.in_progress


def test_other_shapes_are_a_format_error() -> None:
    check = check_birth_date("17.05.1990", Calendar.GREGORIAN, TODAY)

    assert check.problem is BirthDateProblem.BAD_FORMAT
    assert "YYYY-MM-DD" in check.message.en
    assert "YYYY-MM-DD" in check.message.ar


@pytest.mark.parametrize(
    ("text", "calendar"),
    [("1990-02-30", Calendar.GREGORIAN), ("1990-13-01", Calendar.GREGORIAN)],
)
def test_impossible_gregorian_day_or_month(text: str, calendar: Calendar) -> None:
    check = check_birth_date(text, calendar, TODAY)

    assert check.problem is BirthDateProblem.NOT_A_DATE
    assert "not a real Gregorian date" in check.message.en


def test_hijri_month_of_29_days_has_no_30th() -> None:
    # In Umm al-Qura, month 2 of 1410 has 29 days (hijridate's month-length table).
    check = check_birth_date("1410-02-30", Calendar.HIJRI, TODAY)

    assert check.problem is BirthDateProblem.NOT_A_DATE
    assert "Umm al-Qura" in check.message.en
    assert "أم القرى" in check.message.ar


def test_hijri_year_outside_the_umm_al_qura_table() -> None:
    check = check_birth_date("1300-01-01", Calendar.HIJRI, TODAY)

    assert check.problem is BirthDateProblem.OUT_OF_RANGE
    assert "1343-1500" in check.message.en


def test_hijri_looking_year_in_gregorian_mode_suggests_switching() -> None:
    check = check_birth_date("1410-10-22", Calendar.GREGORIAN, TODAY)

    assert check.problem is BirthDateProblem.WRONG_CALENDAR
    assert "switch the calendar to Hijri" in check.message.en
    assert "هجري" in check.message.ar


def test_gregorian_looking_year_in_hijri_mode_suggests_switching() -> None:
    check = check_birth_date("1990-05-17", Calendar.HIJRI, TODAY)

    assert check.problem is BirthDateProblem.WRONG_CALENDAR
    assert "switch the calendar to Gregorian" in check.message.en


def test_a_date_after_today_is_refused() -> None:
    check = check_birth_date("2025-03-02", Calendar.GREGORIAN, TODAY)

    assert check.problem is BirthDateProblem.IN_FUTURE
    assert "future" in check.message.en
    assert "المستقبل" in check.message.ar
