"""`GET /v1/identity/{id_number}/reference-photo`: the record's portrait, for matching the face
of a person enrolled without their card (manual entry)."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response

from fixtures.records import Person
from portal_mock.audit import record_event
from portal_mock.clock import utc_now
from portal_mock.db import DbSession
from portal_mock.enrollment_problems import no_reference_photo
from portal_mock.enrollment_schemas import ReferencePhoto
from portal_mock.operator_auth import CurrentOperator
from portal_mock.problems import not_found_problem
from portal_mock.reference_photos import ReferencePhotos
from portal_mock.routes.responses import problem_responses

router = APIRouter(prefix="/v1/identity", tags=["identity"])

# A biometric: neither the station's HTTP stack nor a proxy may keep a copy.
_NO_STORE = {"Cache-Control": "no-store"}


@router.get(
    "/{id_number}/reference-photo",
    summary="The person's reference portrait (JPEG; JSON with base64 if asked for)",
    responses={
        200: {"content": {"image/jpeg": {}, "application/json": {}}},
        **problem_responses(401, 404, 422),
    },
    response_class=Response,
)
def reference_photo(
    request: Request,
    id_number: Annotated[str, Path(pattern=r"^[12][0-9]{9}$")],
    operator: CurrentOperator,
    session: DbSession,
) -> Response:
    now = utc_now()
    person = session.get(Person, id_number)

    def audit(outcome: str) -> None:
        record_event(
            session,
            at=now,
            action="identity.reference_photo",
            outcome=outcome,
            station_id=operator.station_id,
            operator=operator.username,
            subject_id_number=id_number,
        )

    if person is None:
        audit("not_found")
        raise not_found_problem()
    source: ReferencePhotos = request.app.state.reference_photos
    jpeg = source.jpeg_for(person)
    audit("ok" if jpeg else "no_photo")
    if not jpeg:
        raise no_reference_photo()
    if _wants_json(request.headers.get("accept", "")):
        body = ReferencePhoto(id_number=id_number, jpeg_base64=base64.b64encode(jpeg).decode())
        return JSONResponse(body.model_dump(), headers=_NO_STORE)
    return Response(jpeg, media_type="image/jpeg", headers=_NO_STORE)


def _wants_json(accept: str) -> bool:
    return "application/json" in accept and "image/jpeg" not in accept
