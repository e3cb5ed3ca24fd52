"""What the customer display says: every screen in both languages, finger names, challenges the
simulated subject understands, the consent text's version and digest, masked mobile numbers."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from simulator.subject.prompts import Prompt, parse_prompt
from station.bilingual import Bilingual
from station.customer_display import DisplayScreen, DisplayUpdate
from station.customer_display.consent import CONSENT
from station.customer_display.mobile_mask import mask_mobile, safe_to_show
from station.customer_display.wording import CHALLENGES, finger_name, text_for

ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.mark.parametrize("screen", list(DisplayScreen))
def test_every_screen_speaks_both_languages(screen: DisplayScreen) -> None:
    text = text_for(DisplayUpdate(screen))
    for part in (text.title, *text.lines):
        assert part.en
        assert not ARABIC.search(part.en)
        assert ARABIC.search(part.ar), part
    assert text.note is None


def test_the_update_message_becomes_a_note_in_both_languages() -> None:
    update = DisplayUpdate(DisplayScreen.FAILURE, message_en="Card expired.", message_ar="انتهت")
    assert text_for(update).note == Bilingual("Card expired.", "انتهت")


def test_welcome_greets_the_person_by_name_in_each_language() -> None:
    update = DisplayUpdate(DisplayScreen.WELCOME, name_en="Sara Al-Harbi", name_ar="سارة الحربي")
    assert text_for(update).title == Bilingual("Welcome, Sara Al-Harbi", "أهلاً وسهلاً، سارة الحربي")


@pytest.mark.parametrize(
    ("finger", "expected"),
    [
        ("right_index", Bilingual("right index finger", "سبابة اليد اليمنى")),
        ("left_thumb", Bilingual("left thumb", "إبهام اليد اليسرى")),
        ("right_little", Bilingual("right little finger", "خنصر اليد اليمنى")),
        ("LEFT_RING", Bilingual("left ring finger", "بنصر اليد اليسرى")),
        (None, Bilingual("right index finger", "سبابة اليد اليمنى")),
        ("toe", Bilingual("right index finger", "سبابة اليد اليمنى")),
    ],
)
def test_finger_names(finger: str | None, expected: Bilingual) -> None:
    assert finger_name(finger) == expected


def test_the_finger_screen_names_the_finger() -> None:
    text = text_for(DisplayUpdate(DisplayScreen.PLACE_FINGER, finger="left_middle"))
    assert text.title.en == "Place your left middle finger on the scanner"
    assert text.title.ar == "ضع وسطى اليد اليسرى على الماسح"


@pytest.mark.parametrize("prompt", [p for p in Prompt if p is not Prompt.CLEAR])
def test_every_challenge_the_subject_follows_has_words(prompt: Prompt) -> None:
    assert str(prompt) in CHALLENGES
    # What the display sends for it is understood by the simulated subject as that prompt.
    assert parse_prompt("challenge", f'{{"challenge": "{prompt}"}}') is prompt
    text = text_for(DisplayUpdate(DisplayScreen.FACE, challenge=str(prompt)))
    assert text.title == CHALLENGES[str(prompt)]


def test_an_unknown_challenge_falls_back_to_the_operator() -> None:
    text = text_for(DisplayUpdate(DisplayScreen.FACE, challenge="wink"))
    assert text.title.en == "Follow the operator's instructions"


def test_the_code_screen_keeps_the_number_left_to_right_inside_arabic() -> None:
    text = text_for(DisplayUpdate(DisplayScreen.ENTER_CODE, masked_mobile="05X XXX X123"))
    assert text.title.en == "Enter the code sent to 05X XXX X123"
    assert "\u206605X XXX X123\u2069" in text.title.ar  # LRI ... PDI


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+966 51 234 5678", "05X XXX X678"),
        ("966512345678", "05X XXX X678"),
        ("0512345678", "05X XXX X678"),
        ("512345678", "05X XXX X678"),
        ("12345", "XX345"),
        ("", ""),
    ],
)
def test_mask_mobile(number: str, masked: str) -> None:
    assert mask_mobile(number) == masked


def test_an_already_masked_number_is_shown_as_it_is() -> None:
    assert safe_to_show("05X XXX X123") == "05X XXX X123"
    assert safe_to_show("0512345678") == "05X XXX X678"


def test_the_consent_has_a_version_and_a_digest_of_its_exact_words() -> None:
    assert CONSENT.version
    assert len(CONSENT.sha256()) == 64
    assert CONSENT.sha256() == CONSENT.sha256()
    changed = replace(CONSENT, question=Bilingual("Do you agree?", CONSENT.question.ar))
    assert changed.sha256() != CONSENT.sha256()
    text = text_for(DisplayUpdate(DisplayScreen.CONSENT))
    assert text.title == CONSENT.title
    assert text.lines == (*CONSENT.paragraphs, CONSENT.question)
