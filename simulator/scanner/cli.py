"""`hawiya simulator scanner`: run the fingerprint scanner device service until stopped.

`--ready-file` receives JSON (`port`, `base_url`, `pid`) once the service answers, for
whoever started it; `--port 0` picks a free port.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import cv2

from simulator.scanner.device_identity import DeviceIdentity, DeviceIdentityError
from simulator.scanner.scenarios import Scenario
from simulator.scanner.service import (
    PersonLookupError,
    ScannerConfig,
    ScannerServer,
    ScannerService,
    SubjectRequest,
    write_ready_file,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (loopback)")
    parser.add_argument("--port", type=int, default=4501, help="0 picks a free port")
    parser.add_argument("--population-db", dest="population_db", help="population database URL")
    parser.add_argument(
        "--pki-dir", type=Path, help="test PKI with the device certificate (default STATE/pki)"
    )
    parser.add_argument("--ready-file", type=Path, help="write the service's URL here (JSON)")
    parser.add_argument("--seed", type=int, default=0, help="impression draws")
    parser.add_argument("--person", help="ID number of the person at the scanner")
    parser.add_argument(
        "--scenario", choices=[s.value for s in Scenario], default=Scenario.RIGHT_FINGER.value
    )


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve until `stop` is set (or SIGINT/SIGTERM when `stop` is not given)."""
    # The service renders one impression at a time: OpenCV's pool would only contend for the
    # booth's two cores with the station.
    cv2.setNumThreads(1)
    from fixtures.pki import ensure_test_pki

    pki_dir: Path = args.pki_dir or Path(getattr(args, "state_dir", ".hawiya")) / "pki"
    if stop is None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, request_stop)
    try:
        pki = ensure_test_pki(pki_dir)
        identity = DeviceIdentity.from_files(pki.device_cert, pki.device_key)
        service = ScannerService(
            ScannerConfig(
                host=args.host, port=args.port, db_url=args.population_db, seed=args.seed
            ),
            identity,
        )
        if args.person:
            service.set_subject(SubjectRequest(id_number=args.person, scenario=args.scenario))
    except (DeviceIdentityError, PersonLookupError, OSError) as error:
        print(
            f"scanner: {error}\nscanner: تعذّر تشغيل ماسح البصمات المحاكى؛ راجع الخيارات.",
            file=sys.stderr,
            flush=True,
        )
        return 2
    server = ScannerServer(service)
    try:
        server.start()
    except OSError as error:
        print(
            f"scanner: cannot serve on {args.host}:{args.port} ({error}). Choose another --port.\n"
            f"scanner: لا يمكن التشغيل على {args.host}:{args.port}. اختر منفذًا آخر (‎--port‎).",
            file=sys.stderr,
            flush=True,
        )
        return 1
    try:
        if args.ready_file:
            write_ready_file(args.ready_file, server)
        print(f"scanner: serving {server.base_url} ({identity.device_id})", flush=True)
        stop.wait()
    finally:
        server.stop()
    print("scanner: stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator.scanner", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))
