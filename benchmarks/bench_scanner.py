"""Fingerprint step latency: from "place finger" to the portal's decision (capture on the
simulated scanner process, signature and chain checks, quality, template, 1:1 verification at
the real portal over mutual TLS), and the scanner's capture round trip; the device status call
on the same scanner is the same-process baseline."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509

from benchmarks.table import format_table
from station.devices.fingerprint_scanner import SbiFingerprintScanner
from station.devices.scanner_protocol import GENESIS_HASH, FingerPosition
from station.enrollment.fingerprint_step import Decision, FingerprintStep
from station.portal.client import PortalClient, RetryPolicy, mutual_tls_context
from station.portal.signer import RequestSigner
from tests.simulator.scanner.scanner_process import people_with_all_fingers, running_scanner
from tests.support.portal_server import PortalHandle, default_population, running_portal

RIGHT_INDEX = FingerPosition.RIGHT_INDEX
# The portal allows 10 verifications per person per hour: one warm-up and five timed each.
_PEOPLE = 4
_TIMED_PER_PERSON = 5


def _now() -> datetime:
    return datetime.now(UTC)


def _ms(seconds: list[float], quantile: float) -> float:
    ordered = sorted(seconds)
    index = min(len(ordered) - 1, round(quantile * (len(ordered) - 1)))
    return 1000 * (statistics.median(ordered) if quantile == 0.5 else ordered[index])


def run(trials: int = _PEOPLE * _TIMED_PER_PERSON) -> list[dict[str, Any]]:
    """`trials` timed tries (at most 20: the portal's per-person limit) and as many capture
    and status round trips."""
    with tempfile.TemporaryDirectory(prefix="hawiya-bench-scanner-") as state_dir:
        state = Path(state_dir)
        with (
            running_portal(state / "portal", population=default_population) as portal,
            running_scanner(state / "scanner", portal.pki, portal.db_url) as scanner,
        ):
            return asyncio.run(_measure(portal, scanner.base_url, scanner, trials))


async def _measure(
    portal: PortalHandle, scanner_url: str, scanner: Any, trials: int
) -> list[dict[str, Any]]:
    ca = x509.load_pem_x509_certificate(portal.pki.device_ca.read_bytes())
    device = SbiFingerprintScanner(scanner_url, ca, _now)
    client = PortalClient(
        portal.base_url,
        mutual_tls_context(
            str(portal.pki.station_cert), str(portal.pki.station_key), str(portal.pki.portal_ca)
        ),
        RequestSigner.from_files(portal.pki.station_cert, portal.pki.station_key, _now),
        retry=RetryPolicy(attempts=1),
    )
    try:
        grant = await client.sign_in(portal.operator_username, portal.operator_password)
        await device.discover()
        people = people_with_all_fingers(portal.db_url, _PEOPLE)
        decisions: list[float] = []
        outcomes: list[str] = []
        for person in people:
            scanner.put_person(person.id_number)
            step = FingerprintStep(device, client, grant.token)
            # Warm-up: the scanner renders the finger's master, the portal its references.
            await step.capture_and_verify(person.id_number, RIGHT_INDEX)
            for _ in range(_TIMED_PER_PERSON):
                if len(decisions) >= trials:
                    break
                started = time.perf_counter()
                attempt = await step.capture_and_verify(person.id_number, RIGHT_INDEX)
                decisions.append(time.perf_counter() - started)
                outcomes.append(attempt.decision)
        captures: list[float] = []
        statuses: list[float] = []
        for _ in range(len(decisions)):
            started = time.perf_counter()
            await device.capture(
                RIGHT_INDEX, previous_hash=GENESIS_HASH, requested_quality=40, timeout_ms=3000
            )
            captures.append(time.perf_counter() - started)
            started = time.perf_counter()
            await device.status()
            statuses.append(time.perf_counter() - started)
    finally:
        await device.aclose()
        await client.aclose()
    matched = sum(outcome == Decision.MATCH for outcome in outcomes)
    baseline = _ms(statuses, 0.5)
    note = f"{len(decisions)} tries, {len(people)} people, {matched} matched"
    return [
        row("place finger to portal decision, median", _ms(decisions, 0.5), baseline, note),
        row("place finger to portal decision, p95", _ms(decisions, 0.95), baseline, note),
        row("capture round trip (signed, verified), median", _ms(captures, 0.5), baseline, ""),
        row("capture round trip (signed, verified), p95", _ms(captures, 0.95), baseline, ""),
        row("device status round trip, median", baseline, None, "the baseline"),
    ]


def row(figure: str, value: float, baseline: float | None, note: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "benchmark": "scanner",
        "figure": figure,
        "value": round(value, 2),
        "unit": "ms",
        "note": note,
    }
    if baseline is not None:
        result["baseline"] = round(baseline, 2)
    return result


if __name__ == "__main__":
    print(format_table(run()))
