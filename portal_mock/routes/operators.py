"""`POST /v1/operators/sign-in`: a station signs an operator in and gets a bearer token."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from portal_mock.clock import utc_now
from portal_mock.db import DbSession
from portal_mock.operator_auth import sign_in
from portal_mock.routes.responses import problem_responses
from portal_mock.station_auth import CurrentStation

router = APIRouter(prefix="/v1/operators", tags=["operators"])


class SignInRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class SignInResponse(BaseModel):
    operator_id: str
    display_name: str
    role: str
    token: str
    expires_at: datetime


@router.post(
    "/sign-in",
    summary="Sign an operator in at this station",
    responses=problem_responses(401, 422, 423),
)
def operator_sign_in(
    request: Request,
    body: SignInRequest,
    station: CurrentStation,
    session: DbSession,
) -> SignInResponse:
    signed_in = sign_in(
        session,
        request.app.state.settings,
        username=body.username,
        password=body.password,
        station_id=station.station_id,
        now=utc_now(),
    )
    return SignInResponse(
        operator_id=signed_in.operator.username,
        display_name=signed_in.operator.display_name,
        role=signed_in.operator.role,
        token=signed_in.token,
        expires_at=signed_in.expires_at,
    )
