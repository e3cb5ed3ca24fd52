"""`hawiya station` / `python -m station`: load the settings, connect the portal, run the app."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

from station.clock import system_clock
from station.logging import configure_logging
from station.settings import SettingsError, StationSettings, load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: when mounted under `hawiya --state-dir X station`, an absent option must not
    # overwrite the value the parent parser already set.
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the booth's state directory: PKI, station.db, logs, station.toml (default .hawiya)",
    )
    parser.add_argument(
        "--portal-url",
        default=argparse.SUPPRESS,
        help="the portal's base URL (default https://127.0.0.1:8443)",
    )


def run(args: argparse.Namespace) -> int:
    overrides: dict[str, object] = {}
    state_dir = getattr(args, "state_dir", None)
    if state_dir is not None:
        overrides["state_dir"] = state_dir
    portal_url = getattr(args, "portal_url", None)
    if portal_url is not None:
        overrides["portal"] = {"url": portal_url}  # merged with the file and environment
    try:
        settings = load_settings(**overrides)
    except SettingsError as error:
        print(error.message.en, file=sys.stderr)
        print(error.message.ar, file=sys.stderr)
        return 2
    configure_logging(settings.log_path)
    _native_logs_off_the_screen(settings.log_path.with_name("station-native.log"))
    return asyncio.run(_run_app(settings))


def _native_logs_off_the_screen(log_path: Path) -> None:
    """Textual draws on stderr (fd 2), and MediaPipe's C++ logging (absl) writes its warnings
    to fd 2 as well, straight over the operator's screen. So the TUI gets its own copy of the
    terminal, and fd 2 itself goes to a log file."""
    if not os.isatty(2):
        return
    terminal = os.dup(2)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    screen = os.fdopen(terminal, "w", buffering=1, encoding="utf-8", errors="replace")
    sys.stderr = screen
    sys.__stderr__ = screen  # type: ignore[misc]  # what Textual's driver writes to


async def _run_app(settings: StationSettings) -> int:
    from station.assembly import assemble_station
    from station.portal.client import PortalClient
    from station.ui.app import StationApp

    try:
        portal = PortalClient.from_settings(settings, system_clock)
    except SettingsError as error:
        return _settings_problem(error)
    try:
        print("Starting the station (loading the face and fingerprint stack)...", flush=True)
        try:
            assembly = assemble_station(settings, portal, system_clock)
        except SettingsError as error:
            return _settings_problem(error)
        if assembly.display is not None:
            # Printed before the TUI takes the terminal, and logged: the booth's second screen.
            print(f"Customer display: {assembly.display.page_url}", flush=True)
            _write_run_file(settings, assembly.display.page_url, assembly.display.events_url)
        for missing in assembly.missing:
            print(f"No enrollment wizard: {missing.en} / {missing.ar}", file=sys.stderr)
        try:
            app = StationApp(
                settings,
                portal,
                station_id=portal.station_id,
                device_status=assembly.device_status,
                store=assembly.store,
                customer_display=assembly.display,
                enrollment_parts=assembly.parts,
            )
            assembly.use_session_token(lambda: None if app.session is None else app.session.token)
            await app.run_async()
            return app.return_code or 0
        finally:
            await assembly.aclose()
    finally:
        await portal.aclose()


def _settings_problem(error: SettingsError) -> int:
    print(error.message.en, file=sys.stderr)
    print(error.message.ar, file=sys.stderr)
    return 2


def _write_run_file(settings: StationSettings, page_url: str, events_url: str) -> None:
    """`<state dir>/run/station.json`: where this station's customer display listens, for the
    simulated citizen (`hawiya simulator citizen`) and whoever sets up the second screen."""
    run_dir = settings.state_dir / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    temporary = run_dir / "station.json.tmp"
    temporary.write_text(
        json.dumps({"customer_display_url": page_url, "events_url": events_url}) + "\n",
        encoding="utf-8",
    )
    temporary.replace(run_dir / "station.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m station", description="Hawiya enrollment station (operator UI)."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
