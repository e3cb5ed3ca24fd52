"""The ID number check: one specific problem per rule, in the order the operator meets them."""

from __future__ import annotations

import pytest

from station.identity_number import (
    IdHolderKind,
    IdNumberProblem,
    check_id_number,
    luhn_check_digit,
    luhn_sum,
)


def valid(first_nine: str) -> str:
    return first_nine + luhn_check_digit(first_nine)


def test_check_digit_makes_the_luhn_sum_a_multiple_of_ten() -> None:
    for first_nine in ("100000000", "123456789", "298765432", "199999999"):
        assert luhn_sum(valid(first_nine)) % 10 == 0


def test_check_digit_of_a_known_number() -> None:
    # Worked by hand: 1 2 3 4 5 6 7 8 9 -> doubled odd positions 2,6,10->1,14->5,18->9
    # -> 2+2+6+4+1+6+5+8+9 = 43, so the check digit is 7.
    assert luhn_check_digit("123456789") == "7"
    assert check_id_number("1234567897").ok


def test_valid_citizen_and_resident_numbers_pass_and_say_who_holds_them() -> None:
    citizen = check_id_number(valid("123456789"))
    resident = check_id_number(valid("212345678"))

    assert citizen.ok
    assert citizen.problem is None
    assert citizen.holder_kind is IdHolderKind.CITIZEN
    assert resident.holder_kind is IdHolderKind.RESIDENT
    assert "citizen" in citizen.message.en
    assert "مواطن" in citizen.message.ar


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_asks_for_the_number(text: str) -> None:
    check = check_id_number(text)

    assert check.problem is IdNumberProblem.EMPTY
    assert check.in_progress
    assert "10-digit" in check.message.en
    assert "10" in check.message.ar


def test_partial_number_says_how_many_digits_remain_without_an_error() -> None:
    check = check_id_number("1234567")

    assert check.problem is IdNumberProblem.INCOMPLETE
    assert check.in_progress  # the UI shows it neutrally while the operator types
    assert "7 of 10 digits" in check.message.en
    assert "remaining 3" in check.message.en
    assert "(3)" in check.message.ar


@pytest.mark.parametrize("text", ["12345a", "1234-567890", "1٢x"])
def test_letters_or_symbols_are_refused_at_once(text: str) -> None:
    check = check_id_number(text)

    assert check.problem is IdNumberProblem.NOT_DIGITS
    assert not check.in_progress
    assert "only digits" in check.message.en
    assert "أرقام فقط" in check.message.ar


def test_too_many_digits_is_a_wrong_length() -> None:
    check = check_id_number(valid("123456789") + "1")

    assert check.problem is IdNumberProblem.TOO_LONG
    assert "11 digits" in check.message.en
    assert "exactly 10" in check.message.en


@pytest.mark.parametrize("text", ["3", "0123456789", "9876543210"])
def test_first_digit_other_than_1_or_2_is_refused_even_while_typing(text: str) -> None:
    check = check_id_number(text)

    assert check.problem is IdNumberProblem.BAD_FIRST_DIGIT
    assert "starts with 1 (citizen) or 2 (resident)" in check.message.en
    assert "مواطن" in check.message.ar
    assert "مقيم" in check.message.ar


def test_one_mistyped_digit_breaks_the_check_digit() -> None:
    good = valid("123456789")
    typo = good[:4] + str((int(good[4]) + 1) % 10) + good[5:]

    check = check_id_number(typo)

    assert check.problem is IdNumberProblem.BAD_CHECK_DIGIT
    assert "check digit" in check.message.en
    assert "خانة التحقق" in check.message.ar


def test_arabic_indic_digits_and_grouping_spaces_are_understood() -> None:
    good = valid("123456789")
    arabic_indic = good.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    check = check_id_number(f"{arabic_indic[:4]} {arabic_indic[4:]}")

    assert check.ok
    assert check.digits == good
