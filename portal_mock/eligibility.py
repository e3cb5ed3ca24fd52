"""Who may enroll for a portal account: alive, ID card not expired, at least 15 years old,
and no account yet (docs/portal-api.md, identity lookup)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from fixtures.records import Person

MINIMUM_AGE_YEARS = 15

Eligibility = Literal["eligible", "already_registered", "not_eligible"]


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    message_ar: str


_DECEASED = Reason(
    "deceased",
    "The records show this person as deceased; no account can be created. Refer the family "
    "to the civil affairs office.",
    "تشير السجلات إلى أن هذا الشخص متوفى؛ لا يمكن إنشاء حساب. وجّه الأسرة إلى مكتب الأحوال المدنية.",
)
_ID_EXPIRED = Reason(
    "id_expired",
    "The ID card / iqama has expired. Renew it first, then come back to enroll.",
    "انتهت صلاحية بطاقة الهوية أو الإقامة. جدّدها أولًا ثم عد للتسجيل.",
)
_UNDER_AGE = Reason(
    "under_age",
    f"The person is under {MINIMUM_AGE_YEARS}. A parent or guardian manages their services "
    "from their own account.",
    f"عمر الشخص أقل من {MINIMUM_AGE_YEARS} سنة. يدير ولي الأمر خدماته من حسابه الخاص.",
)


def age_on(birth_date: date, day: date) -> int:
    """Completed years on `day`; someone born on 29 February turns a year older on 1 March."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def assess(person: Person, today: date) -> tuple[Eligibility, list[Reason]]:
    """The eligibility of `person` on `today` (Riyadh calendar day) and why not, if not."""
    reasons = []
    if person.status == "deceased":
        reasons.append(_DECEASED)
    if person.id_expiry < today:
        reasons.append(_ID_EXPIRED)
    if age_on(person.birth_date, today) < MINIMUM_AGE_YEARS:
        reasons.append(_UNDER_AGE)
    # A reason to refuse outweighs an existing account: nothing should be enrolled either way,
    # but the operator must learn why (e.g. a deceased holder's account).
    if reasons:
        return "not_eligible", reasons
    if person.has_portal_account:
        return "already_registered", []
    return "eligible", []
