"""The account form's live checks, as the operator types: the same rules the portal applies
(username 6-20 characters from a letter, password at least 8 characters, a Saudi mobile
number, an optional email), so most mistakes show before the portal is asked. The portal stays
the judge: its field errors (a taken username, a breached password, a mobile number not in the
person's name) are shown under the same fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

from station.bilingual import Bilingual

USERNAME_MIN, USERNAME_MAX = 6, 20
PASSWORD_MIN, PASSWORD_MAX = 8, 128
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
_USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9._-]*")
_MOBILE = re.compile(r"(?:05|\+9665)[0-9]{8}")
_MOBILE_SEPARATORS = re.compile(r"[\s-]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class FieldCheck:
    ok: bool
    message: Bilingual | None = None
    in_progress: bool = False  # not wrong yet, just not finished: no red while typing

    @property
    def failed(self) -> bool:
        return not self.ok and not self.in_progress


_GOOD = FieldCheck(True)


def check_username(username: str, id_number: str | None = None) -> FieldCheck:
    if not username:
        return FieldCheck(
            False,
            Bilingual(
                f"{USERNAME_MIN} to {USERNAME_MAX} characters: English letters, digits, . _ -",
                f"من {USERNAME_MIN} إلى {USERNAME_MAX} حرفًا: حروف إنجليزية وأرقام و . _ -",
            ),
            in_progress=True,
        )
    if not _USERNAME_CHARACTERS.fullmatch(username):
        return FieldCheck(
            False,
            Bilingual(
                "Use only English letters, digits, '.', '_' and '-'.",
                "استخدم الحروف الإنجليزية والأرقام و'.' و'_' و'-' فقط.",
            ),
        )
    if not _USERNAME.fullmatch(username):
        return FieldCheck(
            False,
            Bilingual("Start with an English letter.", "ابدأ بحرف إنجليزي."),
        )
    if id_number and id_number in username:
        return FieldCheck(
            False,
            Bilingual("Do not use the ID number in it.", "لا تستخدم رقم الهوية فيه."),
        )
    if len(username) > USERNAME_MAX:
        return FieldCheck(
            False,
            Bilingual(
                f"At most {USERNAME_MAX} characters (it has {len(username)}).",
                f"{USERNAME_MAX} حرفًا على الأكثر (فيه {len(username)}).",
            ),
        )
    if len(username) < USERNAME_MIN:
        return FieldCheck(
            False,
            Bilingual(
                f"At least {USERNAME_MIN} characters (it has {len(username)}).",
                f"{USERNAME_MIN} أحرف على الأقل (فيه {len(username)}).",
            ),
            in_progress=True,
        )
    return _GOOD


def check_password(password: str) -> FieldCheck:
    if len(password) > PASSWORD_MAX:
        return FieldCheck(
            False,
            Bilingual(f"At most {PASSWORD_MAX} characters.", f"{PASSWORD_MAX} حرفًا على الأكثر."),
        )
    if len(password) < PASSWORD_MIN:
        return FieldCheck(
            False,
            Bilingual(
                f"At least {PASSWORD_MIN} characters ({len(password)} so far); a phrase of a few "
                "words is best.",
                f"{PASSWORD_MIN} أحرف على الأقل ({len(password)} حتى الآن)؛ الأفضل عبارة من بضع "
                "كلمات.",
            ),
            in_progress=True,
        )
    return FieldCheck(
        True,
        Bilingual(
            "Long enough; the portal checks it against breached passwords.",
            "طولها كافٍ؛ تفحصها البوابة مقابل كلمات المرور المسرّبة.",
        ),
    )


def normalised_mobile(mobile: str) -> str:
    return _MOBILE_SEPARATORS.sub("", mobile)


def check_mobile(mobile: str) -> FieldCheck:
    compact = normalised_mobile(mobile)
    if _MOBILE.fullmatch(compact):
        return _GOOD
    message = Bilingual(
        "A Saudi mobile number: 05XXXXXXXX or +9665XXXXXXXX, in the person's name.",
        "رقم جوال سعودي: 05XXXXXXXX أو ‎+9665XXXXXXXX، مسجّل باسم الشخص.",
    )
    typing = (
        compact == ""
        or ("05".startswith(compact[:2]) and len(compact) < 10 and compact.isdigit())
        or ("+9665".startswith(compact[:5]) and len(compact) < 13 and compact[1:].isdigit())
    )
    return FieldCheck(False, message, in_progress=typing)


def check_email(email: str) -> FieldCheck:
    if not email.strip():
        return FieldCheck(True, Bilingual("Optional.", "اختياري."))
    if len(email) <= 254 and _EMAIL.fullmatch(email.strip()):
        return _GOOD
    return FieldCheck(
        False,
        Bilingual(
            "Not an email address (name@example.com); correct it or leave it empty.",
            "ليس بريدًا إلكترونيًا صحيحًا (name@example.com)؛ صحّحه أو اتركه فارغًا.",
        ),
        in_progress="@" not in email,
    )
