"""`hawiya station` / `python -m station`: load the settings, connect the portal, run the app."""

from __future__ import annotations

import argparse
import asyncio
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
    return asyncio.run(_run_app(settings))


async def _run_app(settings: StationSettings) -> int:
    from station.portal.client import PortalClient
    from station.ui.app import StationApp

    try:
        portal = PortalClient.from_settings(settings, system_clock)
    except SettingsError as error:
        print(error.message.en, file=sys.stderr)
        print(error.message.ar, file=sys.stderr)
        return 2
    try:
        app = StationApp(settings, portal, station_id=portal.station_id)
        await app.run_async()
        return app.return_code or 0
    finally:
        await portal.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m station", description="Hawiya enrollment station (operator UI)."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
