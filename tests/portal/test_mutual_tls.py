"""Mutual TLS: only certificates from the station CA get past the handshake."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from fixtures.pki import issue_station_certificate, make_foreign_ca
from tests.support.portal_server import PortalHandle


def _handshake_error(client: httpx.Client) -> httpx.ConnectError:
    with client, pytest.raises(httpx.ConnectError) as caught:
        client.get("/health")
    return caught.value


def _is_ssl_error(error: BaseException) -> bool:
    # httpx wraps the ssl module's exception; walk the chain to find it.
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def test_certificate_from_a_foreign_ca_fails_the_handshake(
    portal: PortalHandle, tmp_path: Path
) -> None:
    # The foreign CA copies the station CA's name: only its key differs.
    foreign = make_foreign_ca(tmp_path)
    cert, key = issue_station_certificate(foreign, portal.station_id, tmp_path)

    error = _handshake_error(portal.client(cert, key))

    assert _is_ssl_error(error)


def test_missing_client_certificate_fails_the_handshake(portal: PortalHandle) -> None:
    error = _handshake_error(portal.client_without_certificate())

    assert _is_ssl_error(error)


def test_expired_station_certificate_fails_the_handshake(
    portal: PortalHandle, tmp_path: Path
) -> None:
    # OpenSSL checks the validity period of the client certificate during the handshake, so
    # an expired certificate never reaches the app; the app's own expiry check (401) is
    # covered in test_station_signature with a valid TLS certificate.
    now = datetime.now(UTC)
    cert, key = issue_station_certificate(
        portal.pki,
        "station-0090",
        tmp_path,
        not_valid_before=now - timedelta(days=30),
        not_valid_after=now - timedelta(days=1),
    )

    error = _handshake_error(portal.client(cert, key))

    assert _is_ssl_error(error)


def test_certificate_from_the_station_ca_gets_an_http_answer(
    portal: PortalHandle, tmp_path: Path
) -> None:
    # Unregistered, but issued by the station CA: TLS lets it through, the app decides.
    cert, key = issue_station_certificate(portal.pki, "station-0091", tmp_path)

    with portal.client(cert, key) as client:
        assert client.get("/health").status_code == 200


def test_portal_certificate_names_localhost_too(portal: PortalHandle) -> None:
    with portal.client(base_url=portal.base_url.replace("127.0.0.1", "localhost")) as client:
        assert client.get("/health").status_code == 200
