"""A real portal process on loopback (HTTPS, mutual TLS) for any test folder.

Use the `portal` fixture: import it into your folder's conftest.py,

    from tests.support.portal_server import portal  # noqa: F401  (re-exported fixture)

or call `running_portal(state_dir)` yourself for a portal with your own population.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from fixtures.pki import STATION_ID, TestPki, ensure_test_pki
from portal_mock.admin import add_operator, register_station
from tests.support.known_people import insert_known_people

OPERATOR_USERNAME = "op-test"
OPERATOR_PASSWORD = "correct horse battery staple"
OPERATOR_DISPLAY_NAME = "Test Operator"
# A second person with the supervisor role: approves fingerprint exceptions.
SUPERVISOR_USERNAME = "sup-test"
SUPERVISOR_PASSWORD = "supervisor signs the exception"
# The generated population the shared `portal` fixture serves, besides the known people.
POPULATION_SEED = 20240917
POPULATION_SIZE = 300
_START_TIMEOUT_SECONDS = 30.0
_STOP_TIMEOUT_SECONDS = 15.0
_POLL_INTERVAL_SECONDS = 0.05


@dataclass(frozen=True)
class PortalHandle:
    """A running portal and what a test needs to talk to it as station-0001."""

    base_url: str
    pki: TestPki
    db_url: str
    state_dir: Path
    station_id: str
    operator_username: str
    operator_password: str
    pid: int
    supervisor_username: str = SUPERVISOR_USERNAME
    supervisor_password: str = SUPERVISOR_PASSWORD

    def ssl_context(self, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
        """Trusts the portal CA and presents `cert`/`key` (default: station-0001's)."""
        context = ssl.create_default_context(cafile=self.pki.portal_ca)
        context.load_cert_chain(cert or self.pki.station_cert, key or self.pki.station_key)
        return context

    def client(
        self, cert: Path | None = None, key: Path | None = None, **options: Any
    ) -> httpx.Client:
        """A sync client with mutual TLS as the given station (default: station-0001)."""
        settings: dict[str, Any] = {"base_url": self.base_url, "timeout": 10} | options
        return httpx.Client(verify=self.ssl_context(cert, key), **settings)

    def client_without_certificate(self) -> httpx.Client:
        """A client that trusts the portal but presents no certificate of its own."""
        context = ssl.create_default_context(cafile=self.pki.portal_ca)
        return httpx.Client(base_url=self.base_url, verify=context, timeout=10)


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `predicate` until it holds or `timeout` seconds pass (then fail naming `what`)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(_POLL_INTERVAL_SECONDS)


@contextlib.contextmanager
def running_portal(
    state_dir: Path,
    *,
    population: Callable[[str], None] | None = None,
    db_url: str | None = None,
    simulation_endpoints: bool = True,
) -> Iterator[PortalHandle]:
    """Start `python -m portal_mock serve` on a free loopback port with its PKI, a database,
    station-0001, operator op-test and supervisor sup-test under `state_dir`; stop it on exit.

    `population(db_url)` fills the national records before the portal starts. The database is
    SQLite in `state_dir` unless `db_url` names another (e.g. PostgreSQL). The simulation
    endpoints (SMS outbox, enrollment clock) are on unless `simulation_endpoints` is False.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    pki = ensure_test_pki(state_dir / "pki")
    db_url = db_url or f"sqlite:///{state_dir / 'population.db'}"
    if population is not None:
        population(db_url)
    register_station(db_url, pki.station_cert, station_ca=pki.station_ca)
    add_operator(db_url, OPERATOR_USERNAME, OPERATOR_DISPLAY_NAME, OPERATOR_PASSWORD)
    add_operator(
        db_url, SUPERVISOR_USERNAME, "Test Supervisor", SUPERVISOR_PASSWORD, role="supervisor"
    )
    ready_file = state_dir / "portal-ready.json"
    ready_file.unlink(missing_ok=True)
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("HAWIYA_PORTAL_")
    }
    environment.update(
        HAWIYA_PORTAL_DB_URL=db_url,
        HAWIYA_PORTAL_PKI_DIR=str(pki.directory),
        HAWIYA_PORTAL_STATE_DIR=str(state_dir),
        HAWIYA_PORTAL_HOST="127.0.0.1",
        HAWIYA_PORTAL_PORT="0",
        HAWIYA_PORTAL_READY_FILE=str(ready_file),
        # The SMS outbox and the enrollment clock (docs/portal-api.md, "Simulation").
        HAWIYA_PORTAL_SIMULATION_ENDPOINTS="1" if simulation_endpoints else "0",
    )
    stderr_path = state_dir / "portal-stderr.log"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            # Through the composition root, which gives the portal its fingerprint records.
            [sys.executable, "-m", "hawiya", "--state-dir", str(state_dir), "portal", "serve"],
            env=environment,
            cwd=state_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        port = _await_port(process, ready_file, stderr_path)
        handle = PortalHandle(
            base_url=f"https://127.0.0.1:{port}",
            pki=pki,
            db_url=db_url,
            state_dir=state_dir,
            station_id=STATION_ID,
            operator_username=OPERATOR_USERNAME,
            operator_password=OPERATOR_PASSWORD,
            pid=process.pid,
        )
        _await_health(handle, process, stderr_path)
        yield handle
    finally:
        _stop(process)


def default_population(db_url: str) -> None:
    """The known people, plus a generated population once `fixtures.population` offers one."""
    generate = population_generator()
    if generate is not None:
        generate(POPULATION_SEED, POPULATION_SIZE, db_url)
    insert_known_people(db_url)


def population_generator() -> Callable[[int, int, str], object] | None:
    """`fixtures.population.generate_population(seed, size, db_url)`, if it exists yet."""
    try:
        module = importlib.import_module("fixtures.population")
    except ImportError:
        return None
    generate: Callable[[int, int, str], object] | None = getattr(
        module, "generate_population", None
    )
    return generate


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalHandle]:
    """One real portal per test session: known people (and a generated population), station
    station-0001 registered, operator op-test. Do not lock op-test or revoke station-0001 in
    a test: add your own operator / station (portal_mock.admin) for that."""
    with running_portal(tmp_path_factory.mktemp("portal"), population=default_population) as handle:
        yield handle


def _await_port(process: subprocess.Popen[bytes], ready_file: Path, stderr_path: Path) -> int:
    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError(_exit_report(process, stderr_path))
        return ready_file.is_file()

    wait_until(ready, _START_TIMEOUT_SECONDS, "the portal to listen")
    port: int = json.loads(ready_file.read_text())["port"]
    return port


def _await_health(
    handle: PortalHandle, process: subprocess.Popen[bytes], stderr_path: Path
) -> None:
    with handle.client() as client:

        def healthy() -> bool:
            if process.poll() is not None:
                raise RuntimeError(_exit_report(process, stderr_path))
            try:
                return client.get("/health").status_code == 200
            except httpx.TransportError:
                return False

        wait_until(healthy, _START_TIMEOUT_SECONDS, "GET /health to answer 200 over mTLS")


def _exit_report(process: subprocess.Popen[bytes], stderr_path: Path) -> str:
    tail = stderr_path.read_text(errors="replace")[-4000:]
    return f"the portal exited with status {process.returncode}:\n{tail}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=_STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
