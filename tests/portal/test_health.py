"""GET /health, OpenAPI and unknown paths, over the real server."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx

from portal_mock.settings import PortalSettings
from tests.support.portal_server import PortalHandle


def test_health_answers_ok_with_database_status(client: httpx.Client) -> None:
    answer = client.get("/health")

    assert answer.status_code == 200
    body = answer.json()
    assert {k: body[k] for k in ("status", "service", "version", "database")} == {
        "status": "ok",
        "service": "portal",
        "version": "0.1.0",
        "database": "ok",
    }
    reported = datetime.fromisoformat(body["time"])
    assert abs((reported - datetime.now(UTC)).total_seconds()) < 60


def test_openapi_describes_the_endpoints_and_both_credentials(client: httpx.Client) -> None:
    answer = client.get("/openapi.json")

    assert answer.status_code == 200
    document = answer.json()
    assert {"/health", "/v1/operators/sign-in", "/v1/identity/lookup"} <= set(document["paths"])
    schemes = document["components"]["securitySchemes"]
    assert schemes["StationSignature"]["name"] == "Hawiya-Signature"
    assert schemes["OperatorToken"]["scheme"] == "bearer"
    lookup = document["paths"]["/v1/identity/lookup"]["post"]
    assert "application/problem+json" in lookup["responses"]["404"]["content"]


def test_docs_page_is_served(client: httpx.Client) -> None:
    answer = client.get("/docs")

    assert answer.status_code == 200
    assert "openapi.json" in answer.text


def test_unknown_path_is_a_bilingual_problem(client: httpx.Client) -> None:
    answer = client.get("/v1/nothing-here")

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["type"].endswith("/not-found")
    assert body["title_ar"]
    assert body["detail_ar"]


def test_wrong_method_is_a_problem_too(client: httpx.Client) -> None:
    answer = client.get("/v1/identity/lookup")

    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "Method Not Allowed"


def test_portal_runs_on_sqlite_in_wal_mode_by_default(portal: PortalHandle) -> None:
    default_url = PortalSettings.model_fields["db_url"].default
    database = Path(portal.db_url.removeprefix("sqlite:///"))

    with sqlite3.connect(database) as connection:
        (journal_mode,) = connection.execute("PRAGMA journal_mode").fetchone()

    assert default_url.startswith("sqlite:///")
    # The portal set WAL on its connections; the mode is persistent in the file.
    assert journal_mode == "wal"
