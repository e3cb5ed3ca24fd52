"""Operator sign-in rules without the UI: online, offline from the cached hash, the local
lockout (which survives a restart), the portal's own lockout, and the idle timer."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from portal_mock.admin import add_operator
from station.operators import IdleTimer, OperatorSignIn, SignInStatus
from station.portal.client import PortalClient
from station.settings import StationSettings
from station.store import StationStore
from tests.station.conftest import FakeClock, closed_port_url, settings_for
from tests.support.portal_server import PortalHandle

PASSWORD = "lockout test secret 42"
_numbers = itertools.count(1)

SignInFactory = Callable[[StationSettings], OperatorSignIn]


@pytest.fixture
def fresh_operator(portal: PortalHandle) -> str:
    """An operator of this test's own, so that locking it harms no other test."""
    username = f"op-core-{next(_numbers)}-{id(object()) % 100000}"
    add_operator(portal.db_url, username, "Core Test Operator", PASSWORD)
    return username


@pytest.fixture
async def make_sign_in(clock: FakeClock) -> AsyncIterator[SignInFactory]:
    """`OperatorSignIn` on a real client and store; each call is like a fresh start of the app."""
    opened: list[tuple[PortalClient, StationStore]] = []

    def build(settings: StationSettings) -> OperatorSignIn:
        client = PortalClient.from_settings(settings, clock)
        store = StationStore(settings.database_path)
        opened.append((client, store))
        return OperatorSignIn(client, store, settings.operators, clock)

    yield build
    for client, store in opened:
        await client.aclose()
        store.close()


async def test_online_sign_in_caches_an_argon2id_hash_not_the_password(
    tmp_path: Path, portal: PortalHandle, make_sign_in: SignInFactory
) -> None:
    settings = settings_for(tmp_path, portal)

    outcome = await make_sign_in(settings).sign_in(
        portal.operator_username, portal.operator_password
    )

    assert outcome.status is SignInStatus.SIGNED_IN
    assert outcome.session is not None
    assert outcome.session.token
    cached = StationStore(settings.database_path).cached_operator(portal.operator_username)
    assert cached is not None
    assert cached.secret_hash.startswith("$argon2id$")
    assert portal.operator_password not in cached.secret_hash
    assert portal.operator_password.encode() not in settings.database_path.read_bytes()


async def test_offline_sign_in_after_an_online_one_is_marked_offline(
    tmp_path: Path, portal: PortalHandle, make_sign_in: SignInFactory
) -> None:
    online = settings_for(tmp_path, portal)
    await make_sign_in(online).sign_in(portal.operator_username, portal.operator_password)
    offline = settings_for(tmp_path, portal, url=closed_port_url())

    outcome = await make_sign_in(offline).sign_in(
        portal.operator_username, portal.operator_password
    )

    assert outcome.status is SignInStatus.SIGNED_IN_OFFLINE
    assert outcome.session is not None
    assert outcome.session.offline
    assert outcome.session.display_name == "Test Operator"
    assert "OFFLINE" in outcome.message.en


async def test_offline_wrong_password_counts_as_a_failure(
    tmp_path: Path, portal: PortalHandle, make_sign_in: SignInFactory
) -> None:
    await make_sign_in(settings_for(tmp_path, portal)).sign_in(
        portal.operator_username, portal.operator_password
    )
    offline = make_sign_in(settings_for(tmp_path, portal, url=closed_port_url()))

    outcome = await offline.sign_in(portal.operator_username, "wrong password")

    assert outcome.status is SignInStatus.WRONG_CREDENTIALS
    assert "checked offline" in outcome.message.en
    assert "4 attempt(s) left" in outcome.message.en


async def test_offline_without_a_previous_online_sign_in_is_refused(
    tmp_path: Path, portal: PortalHandle, make_sign_in: SignInFactory
) -> None:
    offline = make_sign_in(settings_for(tmp_path, portal, url=closed_port_url()))

    outcome = await offline.sign_in("op-never-here", "whatever password")

    assert outcome.status is SignInStatus.OFFLINE_NOT_CACHED
    assert "signed in online at this station before" in outcome.message.en
    assert outcome.session is None


async def test_missing_username_or_password_asks_for_both_without_counting(
    tmp_path: Path, portal: PortalHandle, make_sign_in: SignInFactory
) -> None:
    sign_in = make_sign_in(settings_for(tmp_path, portal))

    outcome = await sign_in.sign_in("  ", "")

    assert outcome.status is SignInStatus.MISSING_INPUT
    assert "username and password" in outcome.message.en


async def test_five_failures_lock_locally_and_a_restart_does_not_reset_it(
    tmp_path: Path,
    portal: PortalHandle,
    make_sign_in: SignInFactory,
    clock: FakeClock,
    fresh_operator: str,
) -> None:
    settings = settings_for(tmp_path, portal)
    first_run = make_sign_in(settings)
    outcomes = [await first_run.sign_in(fresh_operator, f"wrong {n}") for n in range(5)]

    restarted = make_sign_in(settings)
    after_restart = await restarted.sign_in(fresh_operator, PASSWORD)
    other_case = await restarted.sign_in(fresh_operator.upper(), PASSWORD)

    assert [o.status for o in outcomes[:4]] == [SignInStatus.WRONG_CREDENTIALS] * 4
    assert "1 attempt(s) left" in outcomes[3].message.en
    assert outcomes[4].status is SignInStatus.LOCKED_LOCALLY
    assert outcomes[4].locked_until == clock() + timedelta(minutes=15)
    # Even the right password is refused until the lock runs out, after a restart too.
    assert after_restart.status is SignInStatus.LOCKED_LOCALLY
    assert "locked at this station until" in after_restart.message.en
    assert "مقفل" in after_restart.message.ar
    assert other_case.status is SignInStatus.LOCKED_LOCALLY  # "OP-..." is the same operator


async def test_the_portals_own_lock_is_shown_with_its_until_time(
    tmp_path: Path, portal: PortalHandle, make_sign_in: SignInFactory, fresh_operator: str
) -> None:
    # A station more patient than the portal: the portal's lock (5 failures) comes first.
    settings = settings_for(tmp_path, portal, operators={"lockout_failures": 10})
    sign_in = make_sign_in(settings)
    for n in range(5):
        await sign_in.sign_in(fresh_operator, f"wrong {n}")

    outcome = await sign_in.sign_in(fresh_operator, PASSWORD)

    assert outcome.status is SignInStatus.LOCKED_AT_PORTAL
    assert "locked until" in outcome.message.en
    assert outcome.message.ar
    assert outcome.message.ar != outcome.message.en


def test_idle_timer_expires_after_the_timeout_and_a_touch_restarts_it() -> None:
    clock = FakeClock()
    timer = IdleTimer(timedelta(minutes=5), clock)

    clock.advance(minutes=4, seconds=59)
    before = timer.expired()
    timer.touch()
    clock.advance(minutes=4)
    after_touch = timer.expired()
    clock.advance(minutes=1)

    assert not before
    assert not after_touch
    assert timer.expired()
    assert timer.remaining() == timedelta(0)
