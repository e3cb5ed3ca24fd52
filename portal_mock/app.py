"""The portal's FastAPI application: routes, station and operator checks, problem details."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from portal_mock.clock import Clock
from portal_mock.data_key import load_data_key
from portal_mock.db import create_db_engine, create_tables
from portal_mock.enrollments import Outbox
from portal_mock.fingerprint_records import NoReferenceFingerprints, ReferenceFingerprints
from portal_mock.problems import install_problem_handlers
from portal_mock.reference_photos import NoReferencePhotos, ReferencePhotos
from portal_mock.routes import (
    accounts,
    enrollments,
    fingerprint,
    health,
    identity,
    operators,
    reference_photo,
    simulation,
)
from portal_mock.settings import PortalSettings
from portal_mock.station_auth import StationVerifier

_DESCRIPTION = """\
The simulated Ministry of Interior e-services portal that Hawiya stations enroll people into.
Every `/v1/...` call carries a station signature (`Hawiya-Signature`), and every call except
sign-in an operator bearer token. Errors are RFC 9457 problem details in English and Arabic.
See docs/portal-api.md for the full contract.
"""


def create_app(
    settings: PortalSettings,
    *,
    reference_fingerprints: ReferenceFingerprints | None = None,
    reference_photos: ReferencePhotos | None = None,
) -> FastAPI:
    """A portal app on the database named by `settings.db_url` (tables created at start-up).

    `reference_fingerprints` is where the national record's fingerprints come from; without
    one, no finger has a reference and fingerprint verification answers 409. Likewise
    `reference_photos` for the record's portraits (without one, every person has none).

    Raises `DataKeyError` when the key that seals biometric data at rest is missing."""
    engine = create_db_engine(settings.db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        create_tables(engine)
        yield
        engine.dispose()

    app = FastAPI(
        title="Hawiya portal (simulated)",
        version="0.1.0",
        description=_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.station_verifier = StationVerifier(settings.clock_skew_seconds)
    app.state.reference_fingerprints = reference_fingerprints or NoReferenceFingerprints()
    app.state.reference_photos = reference_photos or NoReferencePhotos()
    app.state.clock = Clock()
    app.state.data_key = load_data_key(settings)
    app.state.outbox = Outbox(keep_messages=settings.simulation_endpoints)
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(operators.router)
    app.include_router(identity.router)
    app.include_router(fingerprint.router)
    app.include_router(reference_photo.router)
    app.include_router(accounts.router)
    app.include_router(enrollments.router)
    app.include_router(simulation.router)
    return app
