"""`hawiya rehearse`: provision a private booth, start it, walk the citizens through, report,
and tear everything down (also on Ctrl+C or SIGTERM)."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import structlog

from hawiya.booth import BoothError
from hawiya.provision import (
    DEMO_OPERATOR,
    STATION_ID,
    provision_booth,
    read_demo_password,
    read_supervisor_password,
)
from hawiya.rehearsal.citizen import CitizenResult, Operator
from hawiya.rehearsal.people import Citizen, NotEnoughPeopleError, choose_citizens
from hawiya.rehearsal.preparation import prepare_card_portraits, warm_reference_photos
from hawiya.rehearsal.report import citizen_line, report, summary_table
from hawiya.rehearsal.scenarios import (
    Identity,
    UnknownScenarioError,
    cycle,
    parse_scenarios,
)
from hawiya.rehearsal.stack import Booth, running_booth, terminate_on_sigterm
from matcher.face import FaceVerifier
from station.clock import system_clock
from station.devices.card_reader import PcscCardReader, load_country_cas
from station.devices.fingerprint_scanner import SbiFingerprintScanner, load_device_ca
from station.enrollment.local_time import SAUDI_TIME
from station.enrollment_store import EnrollmentStore
from station.operators import OperatorSession
from station.portal.client import PortalClient, mutual_tls_context
from station.portal.signer import RequestSigner
from station.store import StationStore
from station.ui.wizard.supervisor import SupervisorCheck

log = structlog.get_logger()


def run(args: argparse.Namespace) -> int:
    try:
        scenarios = parse_scenarios(args.scenarios)
    except UnknownScenarioError as error:
        print(f"hawiya rehearse: {error}", file=sys.stderr)
        return 2
    if args.people < 1:
        print("hawiya rehearse: --people must be at least 1", file=sys.stderr)
        return 2
    terminate_on_sigterm()
    with ExitStack() as cleanup:
        if args.rehearsal_dir is not None:
            state_dir = args.rehearsal_dir.resolve()
        else:
            state_dir = Path(tempfile.mkdtemp(prefix="hawiya-rehearsal-"))
            cleanup.callback(shutil.rmtree, state_dir, True)
        _quiet_logs(state_dir)
        try:
            return _rehearse(args, state_dir, scenarios)
        except (BoothError, NotEnoughPeopleError) as error:
            print(f"hawiya rehearse: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("hawiya rehearse: interrupted; the booth is down.", file=sys.stderr)
            return 130


def _rehearse(args: argparse.Namespace, state_dir: Path, scenarios: Any) -> int:
    print(f"Preparing a private booth in {state_dir} ...", flush=True)
    state = provision_booth(state_dir, people=args.population, seed=args.seed)
    plan = cycle(scenarios, args.people)
    today = datetime.now(SAUDI_TIME).date()
    citizens = choose_citizens(state.db_url, plan, args.seed, today)
    need_pcscd = any(c.scenario.identity is not Identity.MANUAL for c in citizens)
    print(
        "Starting portal, pcscd, scanner, camera and customer display; rendering the card "
        "portraits meanwhile ...",
        flush=True,
    )
    # The portraits render here while the booth's processes start (most of that is their
    # imports, in other processes); every card process finds its portrait ready.
    results: list[CitizenResult] = []
    aborted: str | None = None
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="card-portraits") as renderer:
            portraits = renderer.submit(
                prepare_card_portraits, state.db_url, state.state_dir, citizens
            )
            with running_booth(
                state, seed=args.seed, need_pcscd=need_pcscd, pcscd_wait_s=args.pcscd_wait
            ) as booth:
                portraits.result()
                asyncio.run(
                    _walk_all(
                        booth,
                        citizens,
                        results,
                        args.human_delays,
                        lambda r: print(citizen_line(r), flush=True),
                    )
                )
    except BoothError as error:
        # The report still says how far the rehearsal came, and why it stopped there.
        aborted = str(error)
        print(f"hawiya rehearse: {error}", file=sys.stderr, flush=True)
    data = report(results, seed=args.seed, human_delays=args.human_delays)
    if aborted is not None:
        data["summary"]["aborted"] = aborted
        data["summary"]["all_as_expected"] = False
    print(summary_table(data["summary"]), flush=True)
    print("Booth stopped: portal, pcscd, scanner, camera and display are down.", flush=True)
    if args.json_out is not None:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0 if data["summary"]["all_as_expected"] else 1


async def _walk_all(
    booth: Booth,
    citizens: list[Any],
    results: list[CitizenResult],
    human_delays: bool,
    on_result: Callable[[CitizenResult], None],
) -> None:
    state = booth.state
    pki = state.pki_dir
    cert, key = pki / f"{STATION_ID}.pem", pki / f"{STATION_ID}-key.pem"
    tls = mutual_tls_context(str(cert), str(key), str(pki / "portal-ca.pem"))
    signer = RequestSigner.from_files(cert, key, system_clock, STATION_ID)
    station_store = StationStore(state.state_dir / "station.db")
    receipts = state.state_dir / "receipts"
    receipts.mkdir(exist_ok=True)
    async with AsyncExitStack() as stack:
        client = PortalClient(booth.portal_url, tls, signer)
        stack.push_async_callback(client.aclose)
        scanner = SbiFingerprintScanner(
            booth.scanner_url, load_device_ca(pki / "device-ca.pem"), system_clock
        )
        stack.push_async_callback(scanner.aclose)
        await scanner.discover()
        admin = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0))
        portal_admin = await stack.enter_async_context(httpx.AsyncClient(verify=tls, timeout=10))
        verifier = FaceVerifier()
        stack.callback(verifier.close)
        grant = await client.sign_in(DEMO_OPERATOR, read_demo_password(state))
        session = OperatorSession(
            DEMO_OPERATOR,
            grant.operator_id,
            grant.display_name,
            grant.role,
            grant.token,
            datetime.now(UTC),
        )
        await warm_reference_photos(client, grant.token, citizens)
        operator = Operator(
            booth,
            client,
            session,
            EnrollmentStore(station_store.engine),
            scanner,
            PcscCardReader(load_country_cas(pki / "country-ca.pem")),
            admin,
            portal_admin,
            receipts,
            verifier=verifier,
            human_delays=human_delays,
            supervisor=SupervisorCheck(station_store, client),
            supervisor_credentials=(state.supervisor_username, read_supervisor_password(state)),
        )
        try:
            await walk_citizens(operator.enroll, citizens, results, on_result)
        finally:
            station_store.close()


async def walk_citizens(
    enroll: Callable[[Citizen], Awaitable[CitizenResult]],
    citizens: Sequence[Citizen],
    results: list[CitizenResult],
    on_result: Callable[[CitizenResult], None],
) -> None:
    """Each citizen in turn. A fault of the rehearsal or of a device on one citizen is that
    citizen's outcome (`error`, with its reason), and the others still come."""
    for citizen in citizens:
        try:
            result = await enroll(citizen)
        except Exception as error:
            log.exception("rehearsal.citizen_failed", number=citizen.number)
            result = CitizenResult(
                citizen,
                outcome="error",
                notes=[f"the rehearsal failed here: {type(error).__name__}: {error}"],
            )
        results.append(result)
        on_result(result)


def _quiet_logs(state_dir: Path) -> None:
    """structlog to a file: stdout carries the report."""
    log_dir = state_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    handle = (log_dir / "rehearsal.log").open("a", encoding="utf-8")
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.WriteLoggerFactory(file=handle),
        cache_logger_on_first_use=True,
    )
