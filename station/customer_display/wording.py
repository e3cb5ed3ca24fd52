"""What the customer display says for each `DisplayUpdate`, in English and Arabic.

The words live here, in Python, so they are typed, tested and shared; the web page only lays
them out and draws the arrows and icons. Arabic stays in logical order: the browser shapes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from station.bilingual import Bilingual
from station.customer_display.consent import CONSENT
from station.customer_display.mobile_mask import safe_to_show
from station.customer_display.model import DisplayScreen, DisplayUpdate

# Unicode isolates (UAX #9): a left-to-right number inside an Arabic sentence keeps its own
# order ("05X XXX X123") and does not pull the sentence's punctuation around.
_LRI, _PDI = "\u2066", "\u2069"

_HANDS = {"right": ("right", "اليمنى"), "left": ("left", "اليسرى")}
# ISO/IEC 19794-2 finger positions by name; Arabic as "<finger> of the <side> hand".
_FINGERS = {
    "thumb": ("thumb", "إبهام"),
    "index": ("index finger", "سبابة"),
    "middle": ("middle finger", "وسطى"),
    "ring": ("ring finger", "بنصر"),
    "little": ("little finger", "خنصر"),
}

CHALLENGES: dict[str, Bilingual] = {
    # The person's own left and right: on a screen facing them that is also the screen's.
    "turn_left": Bilingual("Turn your head to your left", "أدر رأسك إلى اليسار"),
    "turn_right": Bilingual("Turn your head to your right", "أدر رأسك إلى اليمين"),
    "look_up": Bilingual("Look up", "انظر إلى الأعلى"),
    "blink": Bilingual("Blink your eyes", "ارمش بعينيك"),
    "smile": Bilingual("Smile", "ابتسم"),
}


@dataclass(frozen=True, slots=True)
class DisplayText:
    title: Bilingual
    lines: tuple[Bilingual, ...] = ()
    note: Bilingual | None = None  # the update's own message, e.g. "press a little harder"

    def as_json(self) -> dict[str, Any]:
        def pair(text: Bilingual) -> dict[str, str]:
            return {"en": text.en, "ar": text.ar}

        return {
            "title": pair(self.title),
            "lines": [pair(line) for line in self.lines],
            "note": None if self.note is None else pair(self.note),
        }


def finger_name(finger: str | None) -> Bilingual:
    """`right_index` as "right index finger" / "سبابة اليد اليمنى"."""
    side, _, which = (finger or "right_index").lower().partition("_")
    if side not in _HANDS or which not in _FINGERS:
        side, which = "right", "index"
    side_en, side_ar = _HANDS[side]
    which_en, which_ar = _FINGERS[which]
    return Bilingual(f"{side_en} {which_en}", f"{which_ar} اليد {side_ar}")


def _isolated(text: str) -> str:
    return f"{_LRI}{text}{_PDI}"


def _welcome(update: DisplayUpdate) -> DisplayText:
    if update.name_en or update.name_ar:
        title = Bilingual(
            f"Welcome, {update.name_en or update.name_ar}",
            f"أهلاً وسهلاً، {update.name_ar or update.name_en}",
        )
    else:
        title = Bilingual("Welcome", "أهلاً وسهلاً")
    return DisplayText(
        title,
        (
            Bilingual(
                "The operator will guide you. Registration takes a few minutes.",
                "سيرشدك الموظف خلال التسجيل، ويستغرق بضع دقائق.",
            ),
        ),
    )


def _face(update: DisplayUpdate) -> DisplayText:
    if update.challenge is None:
        return DisplayText(
            Bilingual("Look at the camera", "انظر إلى الكاميرا"),
            (
                Bilingual(
                    "Keep your face inside the frame and follow the arrows.",
                    "أبقِ وجهك داخل الإطار واتبع الأسهم.",
                ),
            ),
        )
    challenge = CHALLENGES.get(
        update.challenge, Bilingual("Follow the operator's instructions", "اتبع تعليمات الموظف")
    )
    return DisplayText(challenge)


def _enter_code(update: DisplayUpdate) -> DisplayText:
    number = safe_to_show(update.masked_mobile) if update.masked_mobile else None
    if number is None:
        title = Bilingual("Enter the code sent to your mobile", "أدخل الرمز المرسل إلى جوالك")
    else:
        title = Bilingual(
            f"Enter the code sent to {number}", f"أدخل الرمز المرسل إلى {_isolated(number)}"
        )
    return DisplayText(
        title,
        (
            Bilingual(
                "Show the operator the 6-digit code in the text message.",
                "أطلع الموظف على الرمز المكوّن من ٦ أرقام في الرسالة النصية.",
            ),
        ),
    )


def text_for(update: DisplayUpdate) -> DisplayText:
    """The words of `update`'s screen; the update's message, if any, becomes the note."""
    note = None
    if update.message_en or update.message_ar:
        note = Bilingual(update.message_en or "", update.message_ar or "")
    screen = DisplayScreen(update.screen)  # a plain "welcome" from a caller is fine too
    if screen is DisplayScreen.WELCOME:
        text = _welcome(update)
    elif screen is DisplayScreen.CONSENT:
        text = DisplayText(CONSENT.title, (*CONSENT.paragraphs, CONSENT.question))
    elif screen is DisplayScreen.PLACE_FINGER:
        finger = finger_name(update.finger)
        text = DisplayText(
            Bilingual(f"Place your {finger.en} on the scanner", f"ضع {finger.ar} على الماسح"),
            (Bilingual("Press gently and keep it still.", "اضغط برفق وأبقِ إصبعك ثابتاً."),),
        )
    elif screen is DisplayScreen.FACE:
        text = _face(update)
    elif screen is DisplayScreen.ENTER_CODE:
        text = _enter_code(update)
    elif screen is DisplayScreen.SUCCESS:
        text = DisplayText(
            Bilingual("Your account is active", "تم تفعيل حسابك"),
            (
                Bilingual(
                    "You can now sign in to the e-services portal from anywhere.",
                    "يمكنك الآن الدخول إلى بوابة الخدمات الإلكترونية من أي مكان.",
                ),
            ),
        )
    elif screen is DisplayScreen.FAILURE:
        text = DisplayText(
            Bilingual("Registration could not be completed", "تعذّر إكمال التسجيل"),
            (
                Bilingual(
                    "The operator will explain what to do next.",
                    "سيوضح لك الموظف الخطوة التالية.",
                ),
            ),
        )
    else:
        text = DisplayText(
            Bilingual("Please wait for the operator", "يرجى انتظار الموظف"),
            (Bilingual("Digital identity registration", "التسجيل في الهوية الرقمية"),),
        )
    return DisplayText(text.title, text.lines, note)
