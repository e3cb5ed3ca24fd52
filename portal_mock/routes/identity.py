"""`POST /v1/identity/lookup`: find a person by ID number and date of birth, and say whether
they can enroll."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import select

from fixtures.records import Person
from portal_mock.audit import record_event
from portal_mock.clock import riyadh_date, utc_now
from portal_mock.db import DbSession
from portal_mock.eligibility import assess
from portal_mock.identity_schemas import EligibilityReason, LookupRequest, LookupResponse
from portal_mock.operator_auth import CurrentOperator
from portal_mock.problems import not_found_problem
from portal_mock.routes.responses import problem_responses

router = APIRouter(prefix="/v1/identity", tags=["identity"])


@router.post(
    "/lookup",
    summary="Look a person up by ID number and date of birth",
    responses=problem_responses(401, 404, 422),
)
def lookup_identity(
    body: LookupRequest,
    operator: CurrentOperator,
    session: DbSession,
) -> LookupResponse:
    now = utc_now()
    # One query on both keys: an unknown ID and a wrong date of birth take the same path and
    # give the same 404, so the lookup does not reveal which ID numbers exist.
    person = session.exec(
        select(Person).where(
            Person.id_number == body.id_number,
            Person.birth_date == body.gregorian_birth_date(),
        )
    ).first()
    if person is None:
        record_event(
            session,
            at=now,
            action="identity.lookup",
            outcome="not_found",
            station_id=operator.station_id,
            operator=operator.username,
            subject_id_number=body.id_number,
        )
        raise not_found_problem()
    eligibility, reasons = assess(person, riyadh_date(now))
    # Built before the audit commit, which would expire `person` and cost a reload.
    answer = LookupResponse.model_validate(
        {
            "id_number": person.id_number,
            "kind": person.kind,
            "name_ar": person.name_ar,
            "name_en": person.name_en,
            "sex": person.sex,
            "nationality": person.nationality,
            "birth_date": person.birth_date,
            "birth_date_hijri": person.birth_date_hijri,
            "id_expiry": person.id_expiry,
            "status": person.status,
            "has_portal_account": person.has_portal_account,
            "eligibility": eligibility,
            "reasons": [
                EligibilityReason.model_validate(
                    {"code": r.code, "message": r.message, "message_ar": r.message_ar}
                )
                for r in reasons
            ],
        }
    )
    record_event(
        session,
        at=now,
        action="identity.lookup",
        outcome=eligibility,
        station_id=operator.station_id,
        operator=operator.username,
        subject_id_number=answer.id_number,
    )
    return answer
