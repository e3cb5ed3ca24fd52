"""Portal lookup latency against the real server on loopback (HTTPS, mutual TLS, signed
requests), beside GET /health on the same connection as a baseline."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, select

from benchmarks.table import format_table
from fixtures.records import Person
from portal_mock.db import create_db_engine
from tests.support.portal_server import (
    PortalHandle,
    default_population,
    population_generator,
    running_portal,
)
from tests.support.signing import SIGNATURE_HEADER, sign_request

LOOKUP = "/v1/identity/lookup"
_WARM_UP = 20  # requests before timing: TLS session, SQLite page cache, lazy imports


def run(n: int = 1000, *, population_size: int = 10_000, seed: int = 2024) -> list[dict[str, Any]]:
    """Median and p99 latency of `n` lookups and of `n` health checks, over one keep-alive
    mutual-TLS connection to a freshly started portal with `population_size` generated people
    (the known test people only, until fixtures.population exists). `seed` drives the
    population and which people are looked up."""

    def populate(db_url: str) -> None:
        generate = population_generator()
        if generate is None:
            default_population(db_url)
        else:
            generate(seed, population_size, db_url)

    with (
        tempfile.TemporaryDirectory(prefix="hawiya-bench-") as state_dir,
        running_portal(Path(state_dir), population=populate) as portal,
        # One connection, reused: the figure is the portal's work, not TLS handshakes.
        portal.client(limits=httpx.Limits(max_connections=1)) as client,
    ):
        people = _people(portal.db_url, seed)
        token = _sign_in(portal, client)
        health = _measure(n, lambda: _health(client))
        targets = cycle(people)
        lookups = _measure(n, lambda: _lookup(portal, client, token, next(targets)))
    return figures(health, lookups, people_sampled=len(people))


def figures(
    health: list[float], lookups: list[float], *, people_sampled: int
) -> list[dict[str, Any]]:
    """Benchmark rows: lookup latency beside the same-connection GET /health as the baseline."""
    baseline, lookup = _stats(health), _stats(lookups)
    n = len(lookups)
    note = f"n={n}, one keep-alive mTLS connection, {people_sampled} people sampled"
    return [
        {"benchmark": "portal", "figure": "GET /health median (baseline)",
         "value": baseline["median_ms"], "unit": "ms", "note": f"n={len(health)}"},
        {"benchmark": "portal", "figure": "identity lookup median", "value": lookup["median_ms"],
         "unit": "ms", "baseline": baseline["median_ms"], "note": note},
        {"benchmark": "portal", "figure": "identity lookup p99", "value": lookup["p99_ms"],
         "unit": "ms", "baseline": baseline["p99_ms"], "note": note},
    ]  # fmt: skip


def _people(db_url: str, seed: int, sample_size: int = 1000) -> list[tuple[str, str]]:
    """A seeded sample of (ID number, birth date) from across the whole population."""
    engine = create_db_engine(db_url)
    with Session(engine) as session:
        people = session.exec(select(Person).order_by(Person.id_number)).all()
        pairs = [(person.id_number, person.birth_date.isoformat()) for person in people]
    engine.dispose()
    return random.Random(seed).sample(pairs, min(sample_size, len(pairs)))


def _sign_in(portal: PortalHandle, client: httpx.Client) -> str:
    body = json.dumps(
        {"username": portal.operator_username, "password": portal.operator_password}
    ).encode()
    answer = client.post(
        "/v1/operators/sign-in",
        content=body,
        headers=_headers(portal, "/v1/operators/sign-in", body),
    )
    answer.raise_for_status()
    token: str = answer.json()["token"]
    return token


def _headers(portal: PortalHandle, path: str, body: bytes) -> dict[str, str]:
    signature = sign_request("POST", path, body, portal.pki.station_key, portal.pki.station_cert)
    return {"Content-Type": "application/json", SIGNATURE_HEADER: signature}


def _health(client: httpx.Client) -> Callable[[], httpx.Response]:
    return lambda: client.get("/health")


def _lookup(
    portal: PortalHandle, client: httpx.Client, token: str, person: tuple[str, str]
) -> Callable[[], httpx.Response]:
    # Signed before the clock starts: a station signs before it sends, and the figure is
    # meant to be the round trip.
    body = json.dumps({"id_number": person[0], "birth_date": person[1]}).encode()
    headers = _headers(portal, LOOKUP, body) | {"Authorization": f"Bearer {token}"}
    return lambda: client.post(LOOKUP, content=body, headers=headers)


def _measure(n: int, prepare: Callable[[], Callable[[], httpx.Response]]) -> list[float]:
    """Latencies in ms of `n` requests; `prepare` builds each request untimed."""
    for _ in range(_WARM_UP):
        prepare()().raise_for_status()
    latencies = []
    for _ in range(n):
        send = prepare()
        started = time.perf_counter()
        answer = send()
        latencies.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            raise RuntimeError(f"unexpected {answer.status_code}: {answer.text[:300]}")
    return latencies


def _stats(latencies: list[float]) -> dict[str, float]:
    # Inclusive quantiles: the 99th of 100 cut points is p99.
    p99 = statistics.quantiles(latencies, n=100, method="inclusive")[98]
    return {"median_ms": round(statistics.median(latencies), 3), "p99_ms": round(p99, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="requests per measurement")
    rows = run(parser.parse_args().n)
    print(format_table(rows))
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
