"""The rules an e-services account's username, password, mobile number and email follow, each
failure a bilingual field error (docs/portal-api.md, "Accounts").

Passwords follow NIST SP 800-63B 5.1.1.2: at least 8 characters, up to 128 accepted, any
characters (spaces and Arabic too), no composition rules and no hints; refused when common or
breached, repetitive or sequential, or when they contain the username, the ID number or one of
the person's names.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from fixtures.records import Person
from portal_mock.common_passwords import is_common_password, normalise
from portal_mock.validation import FieldError

USERNAME_MIN, USERNAME_MAX = 6, 20
PASSWORD_MIN, PASSWORD_MAX = 8, 128
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
_USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9._-]*")
_INTERNATIONAL_MOBILE = re.compile(r"\+9665[0-9]{8}")
_LOCAL_MOBILE = re.compile(r"05[0-9]{8}")
_MOBILE_SEPARATORS = re.compile(r"[\s-]")
# Deliberately plain: one @, a local part, a domain with a dot, no spaces. Whether the address
# exists is for the confirmation email to find out, not for a regular expression.
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
_MIN_NAME_IN_PASSWORD = 3
_FAMILY_PREFIXES = ("al-", "el-", "al ", "abu ", "bin ", "ال")


def username_key(username: str) -> str:
    """The form usernames are compared in: "Sara.Q" and "sara.q" are the same account."""
    return username.casefold()


def username_errors(username: str, id_number: str | None = None) -> list[FieldError]:
    """What is wrong with `username` as a choice (format only; uniqueness is the database's)."""
    problems: list[tuple[str, str]] = []
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        problems.append(
            (
                f"The username must be {USERNAME_MIN} to {USERNAME_MAX} characters long "
                f"(it has {len(username)}).",
                f"يجب أن يتكون اسم المستخدم من {USERNAME_MIN} إلى {USERNAME_MAX} حرفًا "
                f"(عدد أحرفه الآن {len(username)}).",
            )
        )
    if not _USERNAME_CHARACTERS.fullmatch(username):
        problems.append(
            (
                "Use only English letters, digits, '.', '_' and '-' in the username.",
                "استخدم في اسم المستخدم الحروف الإنجليزية والأرقام و'.' و'_' و'-' فقط.",
            )
        )
    elif username and not _USERNAME.fullmatch(username):
        problems.append(
            (
                "The username must start with an English letter.",
                "يجب أن يبدأ اسم المستخدم بحرف إنجليزي.",
            )
        )
    if id_number and id_number in username:
        problems.append(
            (
                "The username must not contain the ID number; choose another.",
                "يجب ألا يحتوي اسم المستخدم على رقم الهوية؛ اختر اسمًا آخر.",
            )
        )
    return [FieldError(field="username", message=en, message_ar=ar) for en, ar in problems]


def username_taken_error() -> FieldError:
    return FieldError(
        field="username",
        message="This username is already taken; choose another.",
        message_ar="اسم المستخدم هذا مستخدم من قبل؛ اختر اسمًا آخر.",
    )


def names_of(person: Person) -> list[str]:
    """The person's names as they might appear in a password, Arabic and Latin."""
    parts = [
        person.given_name_en,
        person.father_name_en,
        person.grandfather_name_en,
        person.family_name_en,
        person.given_name_ar,
        person.father_name_ar,
        person.grandfather_name_ar,
        person.family_name_ar,
    ]
    names: set[str] = set()
    for part in parts:
        name = normalise(part)
        names.add(name)
        for prefix in _FAMILY_PREFIXES:
            if name.startswith(prefix):
                names.add(name.removeprefix(prefix))
        names.update(word for word in re.split(r"[\s-]+", name))
    return sorted(name for name in names if len(name) >= _MIN_NAME_IN_PASSWORD)


def password_errors(
    password: str, *, username: str, id_number: str, names: Iterable[str]
) -> list[FieldError]:
    """What is wrong with `password` for this person (SP 800-63B; no composition rules)."""
    problems: list[tuple[str, str]] = []
    if len(password) < PASSWORD_MIN:
        problems.append(
            (
                f"The password must have at least {PASSWORD_MIN} characters; a phrase of a few "
                "words is easy to remember and hard to guess.",
                f"يجب أن تتكون كلمة المرور من {PASSWORD_MIN} أحرف على الأقل؛ عبارة من بضع "
                "كلمات سهلة التذكر وصعبة التخمين.",
            )
        )
    elif len(password) > PASSWORD_MAX:
        problems.append(
            (
                f"The password may have at most {PASSWORD_MAX} characters.",
                f"يجب ألا تزيد كلمة المرور على {PASSWORD_MAX} حرفًا.",
            )
        )
    candidate = normalise(password)
    if len(password) >= PASSWORD_MIN and (is_common_password(password) or _is_trivial(candidate)):
        problems.append(
            (
                "This password is too common (it appears in lists of leaked or frequently used "
                "passwords, or is a simple sequence). Choose another.",
                "كلمة المرور هذه شائعة جدًا (تظهر في قوائم كلمات المرور المسربة أو الأكثر "
                "استخدامًا، أو هي تسلسل بسيط). اختر كلمة أخرى.",
            )
        )
    if username and normalise(username) in candidate:
        problems.append(
            (
                "The password must not contain the username.",
                "يجب ألا تحتوي كلمة المرور على اسم المستخدم.",
            )
        )
    if id_number in candidate:
        problems.append(
            (
                "The password must not contain the ID number.",
                "يجب ألا تحتوي كلمة المرور على رقم الهوية.",
            )
        )
    if any(name in candidate for name in names):
        problems.append(
            (
                "The password must not contain your name.",
                "يجب ألا تحتوي كلمة المرور على اسمك.",
            )
        )
    return [FieldError(field="password", message=en, message_ar=ar) for en, ar in problems]


def _is_trivial(candidate: str) -> bool:
    """One character repeated, or a run of consecutive characters up or down ("abcdefgh")."""
    if len(set(candidate)) == 1:
        return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(candidate)}
    return steps in ({1}, {-1})


def normalise_mobile(mobile: str) -> str | None:
    """`+9665XXXXXXXX` for a Saudi mobile number written either way, else None."""
    compact = _MOBILE_SEPARATORS.sub("", mobile)
    if _INTERNATIONAL_MOBILE.fullmatch(compact):
        return compact
    if _LOCAL_MOBILE.fullmatch(compact):
        return "+966" + compact[1:]
    return None


def mobile_error() -> FieldError:
    return FieldError(
        field="mobile",
        message="Write the mobile number as 05XXXXXXXX or +9665XXXXXXXX (a Saudi mobile number).",
        message_ar="اكتب رقم الجوال بالصيغة 05XXXXXXXX أو ‎+9665XXXXXXXX (رقم جوال سعودي).",
    )


def mask_mobile(mobile: str) -> str:
    """ "05X XXX X123": enough for the citizen to recognise their number, no more."""
    return f"05X XXX X{mobile[-3:]}"


def email_errors(email: str | None) -> list[FieldError]:
    if email is None or (len(email) <= 254 and _EMAIL.fullmatch(email)):
        return []
    return [
        FieldError(
            field="email",
            message="This is not an email address (name@example.com). Correct it, or leave "
            "the email empty: it is optional.",
            message_ar="هذا ليس عنوان بريد إلكتروني صحيحًا (name@example.com). صحّحه أو اترك "
            "الحقل فارغًا: البريد الإلكتروني اختياري.",
        )
    ]
