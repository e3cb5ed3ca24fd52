"""Prepare a booth's state directory: test PKI, demo population, registered station, operator.

Idempotent: what exists is kept, so `hawiya booth` can run it on every start.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEMO_OPERATOR = "operator"
STATION_ID = "station-0001"


@dataclass(frozen=True)
class BoothState:
    state_dir: Path
    pki_dir: Path
    db_url: str
    operator_username: str
    operator_password_file: Path
    population_size: int

    def summary(self) -> str:
        return (
            f"state directory: {self.state_dir}\n"
            f"portal database: {self.db_url} ({self.population_size} persons)\n"
            f"test PKI:        {self.pki_dir}\n"
            f"demo operator:   {self.operator_username} "
            f"(password in {self.operator_password_file})"
        )


def database_url(state_dir: Path) -> str:
    return f"sqlite:///{(state_dir / 'portal.db').resolve()}"


def provision_booth(state_dir: Path, *, people: int, seed: int) -> BoothState:
    from fixtures.pki import ensure_test_pki
    from fixtures.population import count_persons, generate_population
    from portal_mock.admin import add_operator, register_station

    state_dir.mkdir(parents=True, exist_ok=True)
    pki = ensure_test_pki(state_dir / "pki")
    db_url = database_url(state_dir)
    if count_persons(db_url) == 0:
        generate_population(seed, people, db_url)
    register_station(db_url, pki.station_cert)

    password_file = state_dir / "demo-operator.txt"
    if not password_file.exists():
        # A fresh random secret per booth: nothing to commit, nothing shared between machines.
        password = secrets.token_urlsafe(12)
        add_operator(db_url, DEMO_OPERATOR, "Demo Operator", password)
        fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
    return BoothState(
        state_dir=state_dir,
        pki_dir=pki.directory,
        db_url=db_url,
        operator_username=DEMO_OPERATOR,
        operator_password_file=password_file,
        population_size=count_persons(db_url),
    )


def read_demo_password(state: BoothState) -> str:
    return state.operator_password_file.read_text(encoding="utf-8").strip()
