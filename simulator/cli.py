"""`hawiya simulator`: the simulated devices of one booth.

Without a subcommand it runs the booth's PC/SC stack (a private pcscd with the virtual reader)
until stopped. Each device also runs on its own, as its own process, the way the booth and the
tests start them: `pcscd`, `card`, `scanner`, `camera`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from simulator.pcsc_daemon import PcscDaemon, PcscdConfig, PcscdError

DEVICES = ("pcscd", "card", "scanner", "camera", "citizen")


def add_arguments(parser: argparse.ArgumentParser, *, devices: bool | str = True) -> None:
    """`devices=False` leaves the device subcommands out, and a device's name builds that one
    only: building them all imports the vision stack and the portal (3 s of CPU), which a
    virtual card started for every rehearsed citizen does not need."""
    parser.add_argument(
        "--no-pcscd",
        action="store_true",
        help="do not start pcscd (use the machine's own, e.g. with a physical reader)",
    )
    if not devices:
        return
    commands = parser.add_subparsers(dest="device", metavar="DEVICE")
    _add_devices(commands, DEVICES if devices is True else (devices,))


def _add_devices(
    devices: argparse._SubParsersAction[argparse.ArgumentParser], names: tuple[str, ...]
) -> None:
    if "pcscd" in names:
        pcscd = devices.add_parser(
            "pcscd", help="run pcscd in the foreground with the private vpcd reader config"
        )
        pcscd.set_defaults(device_runner=_run_pcscd)

    if "card" in names:
        from simulator.card import cli as card_cli

        card = devices.add_parser(
            "card", help="put a virtual national ID card into the vpcd reader"
        )
        card_cli.add_arguments(card)
        card.set_defaults(device_runner=card_cli.run)

    if "scanner" in names:
        from simulator.scanner import cli as scanner_cli

        scanner = devices.add_parser("scanner", help="run the fingerprint scanner device service")
        scanner_cli.add_arguments(scanner)
        scanner.set_defaults(device_runner=scanner_cli.run)

    if "camera" in names:
        from simulator.camera import cli as camera_cli

        camera = devices.add_parser("camera", help="run the simulated IP camera (MJPEG over HTTP)")
        camera_cli.add_arguments(camera)
        camera.set_defaults(device_runner=camera_cli.run_camera)

    if "citizen" in names:
        from simulator import citizen as citizen_cli

        citizen = devices.add_parser(
            "citizen",
            help="bring a simulated citizen to a running booth: card, finger, face and phone",
        )
        citizen_cli.add_arguments(citizen)
        citizen.set_defaults(device_runner=citizen_cli.run)


def run(args: argparse.Namespace) -> int:
    device_runner = getattr(args, "device_runner", None)
    if device_runner is not None:
        result: int = device_runner(args)
        return result
    if args.no_pcscd:
        return _wait_until_stopped(None)
    return _run_pcscd(args)


def _run_pcscd(args: argparse.Namespace) -> int:
    state_dir: Path = args.state_dir
    state_dir.mkdir(parents=True, exist_ok=True)
    return _wait_until_stopped(PcscDaemon(PcscdConfig(state_dir / "pcsc")))


def _wait_until_stopped(daemon: PcscDaemon | None) -> int:
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, request_stop)
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
