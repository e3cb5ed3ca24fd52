"""Arabic shaped for display only: data stays in logical order; the shaped copy is for drawing."""

from __future__ import annotations

import unicodedata

from station.bidi_text import for_display, is_right_to_left
from station.ui.widgets.right_to_left_text import display_lines

NAME = "محمد عبدالله سعد القحطاني"


def _presentation_forms(text: str) -> list[str]:
    # Arabic Presentation Forms-B (U+FE70-U+FEFF) and -A (U+FB50-U+FDFF).
    return [c for c in text if 0xFE70 <= ord(c) <= 0xFEFF or 0xFB50 <= ord(c) <= 0xFDFF]


def test_shaping_returns_a_new_string_and_leaves_the_data_in_logical_order() -> None:
    stored = NAME

    shown = for_display(stored)

    assert stored == "محمد عبدالله سعد القحطاني"  # untouched
    assert shown != stored
    assert all(0x0600 <= ord(c) <= 0x06FF or c == " " for c in stored)


def test_shaped_text_uses_joined_presentation_forms() -> None:
    shown = for_display(NAME)

    forms = _presentation_forms(shown)
    assert len(forms) >= len(NAME.replace(" ", "")) - 2  # lam-alef may fuse two letters into one
    assert "ARABIC LETTER MEEM INITIAL FORM" in {unicodedata.name(c) for c in forms}


def test_words_come_out_in_visual_order_for_a_left_to_right_terminal() -> None:
    shown = for_display(NAME)

    # The first word (محمد) is drawn rightmost: its final-form dal ends up at the far right.
    assert unicodedata.name(shown[-1]).startswith("ARABIC LETTER MEEM")
    assert unicodedata.name(shown[0]).startswith("ARABIC LETTER YEH")  # end of القحطاني


def test_the_allah_ligature_is_not_used_in_names() -> None:
    shown = for_display("عبدالله")

    assert "\ufdf2" not in shown  # ARABIC LIGATURE ALLAH ISOLATED FORM
    assert len(shown) == len("عبدالله")


def test_latin_text_is_unchanged() -> None:
    assert for_display("Mohammed Abdullah") == "Mohammed Abdullah"
    assert for_display("") == ""


def test_brackets_are_mirrored_in_right_to_left_runs() -> None:
    shown = for_display("اضغط (ctrl+t)")

    assert shown.startswith("(ctrl+t)")  # the Latin run keeps its own brackets readable


def test_paragraph_direction_follows_the_first_strong_letter() -> None:
    assert is_right_to_left("10 أرقام")
    assert not is_right_to_left("ID رقم")
    assert not is_right_to_left("123")


def test_wrapped_lines_keep_the_sentence_order_from_top_to_bottom() -> None:
    sentence = "السطر الأول هنا ثم السطر الثاني بعده"

    lines = display_lines(sentence, 16)

    assert len(lines) > 1
    # The first logical words are on the first line (drawn at its right end).
    assert for_display("السطر") in lines[0]
    assert for_display("بعده") in lines[-1]
