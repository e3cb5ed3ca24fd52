"""`/v1/simulation/...`: what only a simulated portal offers: the SMS gateway's outbox (the
simulated citizen's phone reads its messages there) and the enrollment clock (tests advance it
instead of waiting). Both answer 404 unless HAWIYA_PORTAL_SIMULATION_ENDPOINTS is on.

They need the station CA's client certificate (the TLS handshake) but no station signature:
the simulated phone is not a station.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from portal_mock.account_tables import SmsMessage
from portal_mock.clock import Clock
from portal_mock.credentials import normalise_mobile
from portal_mock.db import DbSession
from portal_mock.enrollment_problems import simulation_only
from portal_mock.problems import validation_problem
from portal_mock.routes.responses import problem_responses
from portal_mock.settings import PortalSettings
from portal_mock.validation import FieldError

_MAX_ADVANCE_SECONDS = 30 * 24 * 3600


def require_simulation(request: Request) -> None:
    settings: PortalSettings = request.app.state.settings
    if not settings.simulation_endpoints:
        raise simulation_only()


router = APIRouter(
    prefix="/v1/simulation", tags=["simulation"], dependencies=[Depends(require_simulation)]
)


class OutboxMessage(BaseModel):
    id: int
    to: str
    sent_at: datetime
    kind: str  # "activation_code" | "account_activated"
    enrollment_id: str
    text: str  # Arabic line, then English line


class Outbox(BaseModel):
    messages: list[OutboxMessage] = Field(description="newest first")


class AdvanceClock(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advance_seconds: float = Field(gt=0, le=_MAX_ADVANCE_SECONDS)


class ClockNow(BaseModel):
    now: datetime


@router.get(
    "/sms-outbox",
    summary="Text messages sent to a mobile number, newest first (simulation only)",
    responses=problem_responses(404, 422),
)
def sms_outbox(
    session: DbSession,
    to: Annotated[str, Query(max_length=32, description="+9665XXXXXXXX or 05XXXXXXXX")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Outbox:
    number = normalise_mobile(to)
    if number is None:
        raise validation_problem(
            [
                FieldError(
                    field="to",
                    message="Give a Saudi mobile number: 05XXXXXXXX or +9665XXXXXXXX.",
                    message_ar="أدخل رقم جوال سعوديًا: 05XXXXXXXX أو ‎+9665XXXXXXXX.",
                )
            ]
        )
    rows = session.exec(
        select(SmsMessage)
        .where(SmsMessage.to == number)
        .order_by(col(SmsMessage.id).desc())
        .limit(limit)
    ).all()
    return Outbox(
        messages=[OutboxMessage.model_validate(row, from_attributes=True) for row in rows]
    )


@router.post(
    "/clock",
    summary="Move the enrollment clock forward (SMS code expiry, resend back-off)",
    responses=problem_responses(404, 422),
)
def advance_clock(request: Request, body: AdvanceClock) -> ClockNow:
    clock: Clock = request.app.state.clock
    return ClockNow(now=clock.advance(body.advance_seconds))
