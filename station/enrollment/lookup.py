"""The lookup step: ID number and date of birth in, the person and the operator's next step out.

Plain Python: the UI calls `look_up_person` from a worker and only renders the `LookupOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import structlog

from station.bilingual import Bilingual
from station.birth_date import BirthDate, Calendar, check_birth_date
from station.card.identity import CardIdentity
from station.identity_number import check_id_number
from station.operators import OperatorSession
from station.portal.errors import PortalError, PortalProblemError, PortalUnreachableError
from station.portal.models import Eligibility, IdentityQuery, IdentityRecord
from station.portal.protocol import Portal

log = structlog.get_logger(__name__)


class LookupKind(StrEnum):
    ELIGIBLE = "eligible"
    ALREADY_REGISTERED = "already_registered"
    NOT_ELIGIBLE = "not_eligible"
    NOT_FOUND = "not_found"
    PORTAL_UNREACHABLE = "portal_unreachable"
    REJECTED = "rejected"


HEADLINES: dict[LookupKind, Bilingual] = {
    LookupKind.ELIGIBLE: Bilingual("Eligible for enrollment", "مؤهل للتسجيل"),
    LookupKind.ALREADY_REGISTERED: Bilingual("Already registered", "مسجل مسبقًا"),
    LookupKind.NOT_ELIGIBLE: Bilingual("Not eligible", "غير مؤهل"),
    LookupKind.NOT_FOUND: Bilingual("Not found", "غير موجود"),
    LookupKind.PORTAL_UNREACHABLE: Bilingual("Portal unreachable", "البوابة غير متاحة"),
    LookupKind.REJECTED: Bilingual("Lookup refused", "رُفض البحث"),
}

_NEXT_STEPS: dict[LookupKind, Bilingual] = {
    LookupKind.ELIGIBLE: Bilingual("Continue to consent.", "تابع إلى الموافقة."),
    LookupKind.ALREADY_REGISTERED: Bilingual(
        "This person already has an account: offer a password reset at the portal "
        "instead of a new enrollment.",
        "لدى هذا الشخص حساب بالفعل: اعرض عليه إعادة تعيين كلمة المرور في البوابة "
        "بدلًا من تسجيل جديد.",
    ),
    LookupKind.NOT_FOUND: Bilingual(
        "No person matches this ID number and date of birth. Check both with the card "
        "(and the calendar: Gregorian or Hijri), then look up again.",
        "لا يوجد شخص بهذا الرقم وتاريخ الميلاد. قارن كليهما بالبطاقة "
        "(والتقويم: ميلادي أو هجري) ثم أعد البحث.",
    ),
}

_REASON_STEPS: dict[str, Bilingual] = {
    "deceased": Bilingual(
        "The record shows this person as deceased: do not enroll; refer to the civil "
        "affairs office.",
        "السجل يُظهر أن هذا الشخص متوفى: لا تسجّله؛ وأحِل الأمر إلى الأحوال المدنية.",
    ),
    "id_expired": Bilingual(
        "The ID has expired: the person must renew it (Absher or civil affairs) before enrolling.",
        "الهوية منتهية: يجب على الشخص تجديدها (أبشر أو الأحوال المدنية) قبل التسجيل.",
    ),
    "under_age": Bilingual(
        "Under 15: a parent or guardian manages this person's services from their own account.",
        "العمر أقل من 15 سنة: يدير ولي الأمر خدمات هذا الشخص من حسابه.",
    ),
}


@dataclass(frozen=True, slots=True)
class LookupOutcome:
    """What the lookup found and what the operator does next, ready to show."""

    kind: LookupKind
    next_step: Bilingual
    person: IdentityRecord | None = None
    detail: Bilingual | None = None  # why, when the portal or the form refused
    field_errors: tuple[tuple[str, Bilingual], ...] = ()

    @property
    def headline(self) -> Bilingual:
        return HEADLINES[self.kind]

    @property
    def may_continue(self) -> bool:
        return self.kind is LookupKind.ELIGIBLE


async def look_up_person(
    portal: Portal,
    session: OperatorSession,
    id_number: str,
    birth_date: str,
    calendar: Calendar,
    today: date,
) -> LookupOutcome:
    """Check the inputs, ask the portal, and turn its answer into an outcome."""
    id_check = check_id_number(id_number)
    date_check = check_birth_date(birth_date, calendar, today)
    field_errors = tuple(
        (field, check.message)
        for field, check in (("id_number", id_check), ("birth_date", date_check))
        if not check.ok
    )
    if field_errors:
        return LookupOutcome(
            LookupKind.REJECTED,
            Bilingual(
                "Correct the highlighted field, then look up again.",
                "صحّح الحقل المحدد ثم أعد البحث.",
            ),
            field_errors=field_errors,
        )
    assert date_check.value is not None
    if session.token is None:
        return await _offline_session_outcome(portal)
    return await _ask_portal(portal, session.token, id_check.digits, date_check.value)


async def look_up_card_holder(
    portal: Portal, session: OperatorSession, card: CardIdentity, today: date
) -> LookupOutcome:
    """The lookup started from a card read and verified by passive authentication: its ID
    number and (Gregorian) date of birth, nothing typed. Manual entry stays `look_up_person`."""
    return await look_up_person(
        portal, session, card.id_number, card.birth_date.isoformat(), Calendar.GREGORIAN, today
    )


async def _ask_portal(
    portal: Portal, token: str, id_number: str, birth_date: BirthDate
) -> LookupOutcome:
    query = IdentityQuery(id_number, birth_date.entered, birth_date.calendar.value)
    try:
        person = await portal.lookup(token, query)
    except PortalUnreachableError as error:
        return LookupOutcome(
            LookupKind.PORTAL_UNREACHABLE,
            Bilingual(
                "Check the network; you can retry the lookup with Enter.",
                "تحقق من الشبكة؛ يمكنك إعادة البحث بالضغط على Enter.",
            ),
            detail=error.message,
        )
    except PortalProblemError as problem:
        if problem.status == 404:
            return LookupOutcome(LookupKind.NOT_FOUND, _NEXT_STEPS[LookupKind.NOT_FOUND])
        return _refused(problem)
    except PortalError as error:
        return LookupOutcome(
            LookupKind.REJECTED,
            Bilingual(
                "Retry; if it happens again, call technical support.",
                "أعد المحاولة؛ وإن تكرر ذلك فاتصل بالدعم الفني.",
            ),
            detail=error.message,
        )
    log.info("lookup.answered", eligibility=person.eligibility.value)
    if person.eligibility is Eligibility.ELIGIBLE:
        return LookupOutcome(LookupKind.ELIGIBLE, _NEXT_STEPS[LookupKind.ELIGIBLE], person)
    if person.eligibility is Eligibility.ALREADY_REGISTERED:
        return LookupOutcome(
            LookupKind.ALREADY_REGISTERED, _NEXT_STEPS[LookupKind.ALREADY_REGISTERED], person
        )
    return LookupOutcome(LookupKind.NOT_ELIGIBLE, _not_eligible_step(person), person)


def _not_eligible_step(person: IdentityRecord) -> Bilingual:
    steps = [
        _REASON_STEPS[reason.code] for reason in person.reasons if reason.code in _REASON_STEPS
    ]
    if not steps:
        steps = [reason.message for reason in person.reasons] or [
            Bilingual(
                "The portal does not allow an enrollment for this person: do not enroll.",
                "لا تسمح البوابة بتسجيل هذا الشخص: لا تسجّله.",
            )
        ]
    return Bilingual(" ".join(step.en for step in steps), " ".join(step.ar for step in steps))


def _refused(problem: PortalProblemError) -> LookupOutcome:
    if problem.kind == "validation":
        return LookupOutcome(
            LookupKind.REJECTED,
            Bilingual(
                "Correct the highlighted field, then look up again.",
                "صحّح الحقل المحدد ثم أعد البحث.",
            ),
            detail=problem.title.join(problem.detail, ": "),
            field_errors=tuple((item.field, item.message) for item in problem.field_problems),
        )
    if problem.kind == "operator-unauthorized":
        step = Bilingual(
            "Your portal session has ended: sign out (ctrl+o) and sign in again.",
            "انتهت جلستك في البوابة: سجّل الخروج (ctrl+o) ثم سجّل الدخول مجددًا.",
        )
    elif problem.kind == "rate-limited":
        step = Bilingual("Wait a minute, then look up again.", "انتظر دقيقة ثم أعد البحث.")
    else:
        step = Bilingual(
            "Retry; if it happens again, call technical support.",
            "أعد المحاولة؛ وإن تكرر ذلك فاتصل بالدعم الفني.",
        )
    return LookupOutcome(LookupKind.REJECTED, step, detail=problem.title.join(problem.detail, ": "))


async def _offline_session_outcome(portal: Portal) -> LookupOutcome:
    # An offline sign-in has no portal session. If the portal is back, the fix is to sign in
    # again; if not, say so, as for any lookup while the portal is down.
    try:
        await portal.health()
    except PortalError as error:
        return LookupOutcome(
            LookupKind.PORTAL_UNREACHABLE,
            Bilingual(
                "You are signed in offline. Check the network; once the portal is back, sign "
                "out and sign in again to look people up.",
                "أنت مسجل دون اتصال. تحقق من الشبكة؛ وعند عودة البوابة سجّل الخروج ثم "
                "الدخول مجددًا لتتمكن من البحث.",
            ),
            detail=error.message,
        )
    return LookupOutcome(
        LookupKind.REJECTED,
        Bilingual(
            "The portal is reachable again: sign out (ctrl+o) and sign in again, then look up.",
            "البوابة متاحة الآن: سجّل الخروج (ctrl+o) ثم الدخول مجددًا، ثم ابحث.",
        ),
        detail=Bilingual(
            "You signed in offline, so the portal has not given you a session.",
            "سجّلت الدخول دون اتصال، لذلك لم تمنحك البوابة جلسة.",
        ),
    )
