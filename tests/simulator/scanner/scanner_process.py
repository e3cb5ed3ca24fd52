"""The simulated fingerprint scanner as a real process (`hawiya simulator scanner --port 0`),
found through its ready file, driven through its admin endpoints."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from fixtures.pki import TestPki
from fixtures.records import Person
from portal_mock.db import create_db_engine
from tests.support.portal_server import PortalHandle, wait_until

_START_TIMEOUT_SECONDS = 30.0
_STOP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class ScannerHandle:
    base_url: str
    pki: TestPki
    db_url: str
    pid: int

    def admin(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = httpx.put(f"{self.base_url}/admin/{path}", json=body, timeout=10)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def put_person(self, id_number: str | None, scenario: str = "right_finger") -> None:
        self.admin("subject", {"id_number": id_number, "scenario": scenario})

    def set_fault(self, fault: str | None = None, **options: Any) -> None:
        self.admin("faults", {"fault": fault, **options})

    def reset(self) -> None:
        self.set_fault(None)
        self.put_person(None)


@contextlib.contextmanager
def running_scanner(
    state_dir: Path, pki: TestPki, db_url: str, seed: int = 5
) -> Iterator[ScannerHandle]:
    """Start the service on a free loopback port; stop it on exit."""
    state_dir.mkdir(parents=True, exist_ok=True)
    ready_file = state_dir / "scanner-ready.json"
    ready_file.unlink(missing_ok=True)
    stderr_path = state_dir / "scanner-stderr.log"
    command = [
        sys.executable, "-m", "hawiya", "--state-dir", str(state_dir), "simulator", "scanner",
        "--port", "0", "--population-db", db_url, "--pki-dir", str(pki.directory),
        "--ready-file", str(ready_file), "--seed", str(seed),
    ]  # fmt: skip
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:

        def ready() -> bool:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the scanner exited with status {process.returncode}:\n"
                    + stderr_path.read_text(errors="replace")[-4000:]
                )
            return ready_file.is_file()

        wait_until(ready, _START_TIMEOUT_SECONDS, "the scanner's ready file")
        base_url = json.loads(ready_file.read_text())["base_url"]
        yield ScannerHandle(base_url, pki, db_url, process.pid)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=_STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session", name="scanner")
def scanner_fixture(
    portal: PortalHandle, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ScannerHandle]:
    """One scanner service per session, over the shared portal's population and PKI."""
    with running_scanner(tmp_path_factory.mktemp("scanner"), portal.pki, portal.db_url) as handle:
        yield handle


@pytest.fixture(name="fresh_scanner")
def fresh_scanner_fixture(scanner: ScannerHandle) -> Iterator[ScannerHandle]:
    """The shared scanner with nobody at it and no faults, before and after the test."""
    scanner.reset()
    yield scanner
    scanner.reset()


def people_with_all_fingers(db_url: str, count: int, skip: int = 0) -> list[Person]:
    """Active people with no missing or scarred finger, from the END of the population so as
    not to spend the verification attempts (10 an hour each) of people other tests use."""
    engine = create_db_engine(db_url)
    with Session(engine) as session:
        everyone = session.exec(select(Person).order_by(Person.id_number.desc())).all()  # type: ignore[attr-defined]
    engine.dispose()
    chosen = [
        person
        for person in everyone
        if person.status == "active" and not person.missing_fingers and not person.scarred_fingers
    ][skip : skip + count]
    assert len(chosen) == count, "the test population lacks such people"
    return chosen
