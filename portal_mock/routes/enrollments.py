"""`/v1/enrollments/...`: the account step of an enrollment (credentials, SMS code) and the
submit that creates and activates the account (docs/portal-api.md, "Accounts and enrollment")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse

from portal_mock.clock import Clock
from portal_mock.data_key import DataKey
from portal_mock.db import DbSession
from portal_mock.enrollment_schemas import (
    AccountActivated,
    CodeStatus,
    CodeVerified,
    EnrollmentStarted,
    StartEnrollmentRequest,
    SubmitEnrollmentRequest,
    VerifyCodeRequest,
)
from portal_mock.enrollment_submit import (
    IDEMPOTENCY_HEADER,
    checked_idempotency_key,
    request_digest,
    submit_enrollment,
)
from portal_mock.enrollments import Outbox, resend, start_enrollment, verify_code
from portal_mock.operator_auth import CurrentOperator
from portal_mock.routes.responses import problem_responses
from portal_mock.sms_codes import code_state
from portal_mock.station_auth import request_body, request_target

router = APIRouter(prefix="/v1/enrollments", tags=["enrollments"])


def portal_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def data_key(request: Request) -> DataKey:
    key: DataKey = request.app.state.data_key
    return key


def sms_outbox(request: Request) -> Outbox:
    outbox: Outbox = request.app.state.outbox
    return outbox


PortalClock = Annotated[Clock, Depends(portal_clock)]
PortalDataKey = Annotated[DataKey, Depends(data_key)]
SmsOutbox = Annotated[Outbox, Depends(sms_outbox)]


@router.post(
    "",
    status_code=201,
    summary="Start the account step: check the credentials and mobile number, send the SMS code",
    responses=problem_responses(401, 404, 409, 422, 429),
)
def start(
    body: StartEnrollmentRequest,
    operator: CurrentOperator,
    session: DbSession,
    clock: PortalClock,
    key: PortalDataKey,
    outbox: SmsOutbox,
) -> EnrollmentStarted:
    draft = start_enrollment(session, body, operator, key, outbox, clock.now())
    return EnrollmentStarted(
        enrollment_id=draft.enrollment_id,
        id_number=draft.id_number,
        username=draft.username,
        expires_at=draft.expires_at,
        code=CodeStatus.of(code_state(draft)),
    )


@router.post(
    "/{enrollment_id}/code",
    summary="Verify the SMS code the person received",
    responses=problem_responses(401, 404, 409, 422),
)
def verify(
    enrollment_id: str,
    body: VerifyCodeRequest,
    operator: CurrentOperator,
    session: DbSession,
    clock: PortalClock,
    key: PortalDataKey,
) -> CodeVerified:
    draft = verify_code(session, enrollment_id, body.code, operator, key, clock.now())
    assert draft.code_verified_at is not None
    return CodeVerified(enrollment_id=draft.enrollment_id, verified_at=draft.code_verified_at)


@router.post(
    "/{enrollment_id}/code/resend",
    summary="Send a new SMS code (the old one stops working), after the back-off",
    responses=problem_responses(401, 404, 409, 429),
)
def resend_sms_code(
    enrollment_id: str,
    operator: CurrentOperator,
    session: DbSession,
    clock: PortalClock,
    key: PortalDataKey,
    outbox: SmsOutbox,
) -> CodeStatus:
    draft = resend(session, enrollment_id, operator, key, outbox, clock.now())
    return CodeStatus.of(code_state(draft))


@router.post(
    "/{enrollment_id}/submit",
    status_code=201,
    summary="Submit the evidence; create and activate the account (idempotent by key)",
    responses={
        201: {"model": AccountActivated},
        **problem_responses(400, 401, 404, 409, 422),
    },
    response_model=AccountActivated,
)
def submit(
    request: Request,
    enrollment_id: str,
    body: SubmitEnrollmentRequest,
    raw_body: Annotated[bytes, Depends(request_body)],
    operator: CurrentOperator,
    session: DbSession,
    clock: PortalClock,
    key: PortalDataKey,
    outbox: SmsOutbox,
    idempotency_key: Annotated[str | None, Header(alias=IDEMPOTENCY_HEADER)] = None,
) -> JSONResponse:
    answer = submit_enrollment(
        session,
        enrollment_id=enrollment_id,
        body=body,
        idempotency_key=checked_idempotency_key(idempotency_key),
        digest=request_digest(request_target(request), raw_body),
        operator=operator,
        key=key,
        outbox=outbox,
        now=clock.now(),
    )
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)
