"""`hawiya simulator`: run the simulated devices of one booth until stopped.

In this slice the devices are the PC/SC stack (a private pcscd with the virtual reader); the
virtual card, fingerprint scanner and camera join it in later issues.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from simulator.pcsc_daemon import PcscDaemon, PcscdConfig, PcscdError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-pcscd",
        action="store_true",
        help="do not start pcscd (use the machine's own, e.g. with a physical reader)",
    )


def run(args: argparse.Namespace) -> int:
    state_dir: Path = args.state_dir
    state_dir.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, request_stop)

    daemon = None if args.no_pcscd else PcscDaemon(PcscdConfig(state_dir / "pcsc"))
    try:
        if daemon is not None:
            daemon.start()
            print(f"simulator: pcscd running (pid {daemon.pid})", flush=True)
        print("simulator: ready", flush=True)
        stop.wait()
    except PcscdError as error:
        print(f"simulator: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        if daemon is not None:
            daemon.stop()
    print("simulator: stopped", flush=True)
    return 0
