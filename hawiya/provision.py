"""Prepare a booth's state directory: test PKI, demo population, registered station, operator.

Idempotent: what exists is kept, so `hawiya booth` can run it on every start.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEMO_OPERATOR = "operator"
# Approves fingerprint exceptions (role "supervisor"): a second person, never the operator.
DEMO_SUPERVISOR = "supervisor-1"
STATION_ID = "station-0001"


@dataclass(frozen=True)
class BoothState:
    state_dir: Path
    pki_dir: Path
    db_url: str
    operator_username: str
    operator_password_file: Path
    population_size: int
    supervisor_username: str = DEMO_SUPERVISOR
    supervisor_password_file: Path | None = None

    def summary(self) -> str:
        return (
            f"state directory: {self.state_dir}\n"
            f"portal database: {self.db_url} ({self.population_size} persons)\n"
            f"test PKI:        {self.pki_dir}\n"
            f"demo operator:   {self.operator_username} "
            f"(password in {self.operator_password_file})\n"
            f"demo supervisor: {self.supervisor_username} "
            f"(password in {self.supervisor_password_file})"
        )


def database_url(state_dir: Path) -> str:
    return f"sqlite:///{(state_dir / 'portal.db').resolve()}"


def provision_booth(state_dir: Path, *, people: int, seed: int) -> BoothState:
    from fixtures.pki import ensure_test_pki
    from fixtures.population import count_persons, generate_population
    from portal_mock.admin import register_station

    state_dir.mkdir(parents=True, exist_ok=True)
    pki = ensure_test_pki(state_dir / "pki")
    db_url = database_url(state_dir)
    if count_persons(db_url) == 0:
        generate_population(seed, people, db_url)
    register_station(db_url, pki.station_cert)

    password_file = state_dir / "demo-operator.txt"
    _add_demo_account(db_url, password_file, DEMO_OPERATOR, "Demo Operator", "operator")
    supervisor_file = state_dir / "demo-supervisor.txt"
    _add_demo_account(db_url, supervisor_file, DEMO_SUPERVISOR, "Demo Supervisor", "supervisor")
    return BoothState(
        state_dir=state_dir,
        pki_dir=pki.directory,
        db_url=db_url,
        operator_username=DEMO_OPERATOR,
        operator_password_file=password_file,
        population_size=count_persons(db_url),
        supervisor_username=DEMO_SUPERVISOR,
        supervisor_password_file=supervisor_file,
    )


def _add_demo_account(
    db_url: str, password_file: Path, username: str, display_name: str, role: str
) -> None:
    """Add the account with a new random password written to `password_file` (mode 0600),
    unless that file exists already (the account was made on an earlier start)."""
    from portal_mock.admin import add_operator

    if password_file.exists():
        return
    # A fresh random secret per booth: nothing to commit, nothing shared between machines.
    password = secrets.token_urlsafe(12)
    add_operator(db_url, username, display_name, password, role=role)
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")


def read_demo_password(state: BoothState) -> str:
    return state.operator_password_file.read_text(encoding="utf-8").strip()


def read_supervisor_password(state: BoothState) -> str:
    """The demo supervisor's password (for the rehearsal's supervisor sign-off)."""
    path = state.supervisor_password_file or state.state_dir / "demo-supervisor.txt"
    return path.read_text(encoding="utf-8").strip()
