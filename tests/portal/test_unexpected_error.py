"""An unexpected exception becomes a 500 problem without a traceback, and is logged."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import structlog
import uvicorn
from fastapi import FastAPI

from fixtures.pki import ensure_test_pki
from portal_mock.app import create_app
from portal_mock.settings import PortalSettings
from tests.support.portal_server import wait_until

SECRET_IN_THE_ERROR = "database password is hunter2"


class _DeliberateError(RuntimeError):
    pass


@pytest.fixture
def broken_portal(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The real app plus one route that fails, under uvicorn with TLS in a thread."""
    pki = ensure_test_pki(tmp_path / "pki")
    app: FastAPI = create_app(
        PortalSettings(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}", pki_dir=pki.directory)
    )

    @app.get("/boom")
    def boom() -> None:
        raise _DeliberateError(SECRET_IN_THE_ERROR)

    listener = socket.create_server(("127.0.0.1", 0))
    config = uvicorn.Config(
        app,
        ssl_certfile=pki.portal_server_cert,
        ssl_keyfile=pki.portal_server_key,
        ssl_ca_certs=pki.station_ca,
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        log_config=None,
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, 20, "the in-thread portal to start")
        yield f"https://127.0.0.1:{listener.getsockname()[1]}", pki.directory
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        listener.close()


def test_unexpected_error_is_a_500_problem_without_details(
    broken_portal: tuple[str, Path],
) -> None:
    base_url, pki_dir = broken_portal
    context = ssl.create_default_context(cafile=pki_dir / "portal-ca.pem")
    context.load_cert_chain(pki_dir / "station-0001.pem", pki_dir / "station-0001-key.pem")

    with structlog.testing.capture_logs() as logs, httpx.Client(verify=context) as client:
        answer = client.get(f"{base_url}/boom")

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["type"] == "https://hawiya.example/problems/internal"
    assert body["detail_ar"]
    assert SECRET_IN_THE_ERROR not in answer.text
    assert "Traceback" not in answer.text
    assert any(entry["event"] == "unhandled_error" for entry in logs)
