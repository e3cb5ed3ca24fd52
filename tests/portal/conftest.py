"""Fixtures for the portal tests: the shared real portal, a client as station-0001, and a
signed-in operator token."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.enrollment_people import PortalCalls
from tests.support.portal_server import PortalHandle
from tests.support.signing import signed_post


@pytest.fixture
def client(portal: PortalHandle) -> Iterator[httpx.Client]:
    with portal.client() as station_client:
        yield station_client


@pytest.fixture(scope="session")
def operator_token(portal: PortalHandle) -> str:
    with portal.client() as station_client:
        answer = signed_post(
            station_client,
            "/v1/operators/sign-in",
            {"username": portal.operator_username, "password": portal.operator_password},
            cert=portal.pki.station_cert,
            key=portal.pki.station_key,
        )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["token"]
    return token


@pytest.fixture
def calls(portal: PortalHandle, operator_token: str) -> Iterator[PortalCalls]:
    """The account/SMS/submit calls of a station with a signed-in operator."""
    with portal.client() as client:
        yield PortalCalls(portal, client, operator_token)
