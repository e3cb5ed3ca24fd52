"""`GET /health`: is the portal up and can it reach its database. No authentication."""

from __future__ import annotations

from importlib import metadata

import structlog
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal_mock.clock import utc_now
from portal_mock.db import DbSession

router = APIRouter(tags=["health"])
_log = structlog.get_logger("portal_mock.health")


def _version() -> str:
    try:
        return metadata.version("hawiya")
    except metadata.PackageNotFoundError:
        return "0.1.0"


_VERSION = _version()


@router.get("/health", summary="Liveness and database check")
def health(session: DbSession) -> JSONResponse:
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        _log.exception("health_database_failed")
        database = "unavailable"
    body = {
        "status": "ok" if database == "ok" else "degraded",
        "service": "portal",
        "version": _VERSION,
        "database": database,
        "time": utc_now().isoformat(),
    }
    return JSONResponse(body, status_code=200 if database == "ok" else 503)
