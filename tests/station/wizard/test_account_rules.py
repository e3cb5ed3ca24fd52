"""The account form's live checks: wrong at once when certain, neutral while still typing."""

from __future__ import annotations

from station.ui.wizard.account_rules import (
    check_email,
    check_mobile,
    check_password,
    check_username,
)


def test_a_short_username_is_still_being_typed() -> None:
    check = check_username("moh")
    assert not check.ok
    assert check.in_progress


def test_a_username_with_the_id_number_is_refused() -> None:
    assert check_username("ali1234567897", "1234567897").failed


def test_a_username_starting_with_a_digit_is_refused_at_once() -> None:
    assert check_username("9lives").failed


def test_passwords_need_eight_characters_and_nothing_else() -> None:
    assert check_password("short").in_progress
    assert check_password("all lower case words").ok


def test_saudi_mobile_numbers_both_ways() -> None:
    assert check_mobile("0512345123").ok
    assert check_mobile("+966 51 234 5123").ok
    assert check_mobile("0512").in_progress
    assert check_mobile("0612345123").failed


def test_email_is_optional_but_checked_when_given() -> None:
    assert check_email("").ok
    assert check_email("name@example.com").ok
    assert check_email("name@example").failed
