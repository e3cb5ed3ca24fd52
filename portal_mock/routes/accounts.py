"""`GET /v1/accounts/username-available`: live feedback while the person picks a username."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from portal_mock.credentials import username_errors, username_taken_error
from portal_mock.db import DbSession
from portal_mock.enrollment_schemas import UsernameAvailability
from portal_mock.enrollments import username_is_taken
from portal_mock.operator_auth import CurrentOperator
from portal_mock.routes.responses import problem_responses

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])


@router.get(
    "/username-available",
    summary="Whether a username follows the rules and is free",
    responses=problem_responses(401, 422),
)
def username_available(
    operator: CurrentOperator,
    session: DbSession,
    username: Annotated[str, Query(max_length=64)],
    id_number: Annotated[str | None, Query(pattern=r"^[12][0-9]{9}$")] = None,
) -> UsernameAvailability:
    errors = username_errors(username, id_number)
    if not errors and username_is_taken(session, username):
        errors.append(username_taken_error())
    return UsernameAvailability(
        username=username,
        available=not errors,
        problems=[{"message": e.message, "message_ar": e.message_ar} for e in errors],
    )
