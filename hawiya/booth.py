"""`hawiya booth`: portal, simulated devices and station together, and all of them gone on exit.

Services run as child processes in their own process groups, with logs under the state
directory (the terminal belongs to the station's TUI). Whatever way the booth ends (the operator
quits, Ctrl+C, SIGTERM, SIGHUP when the terminal closes), every child is stopped and waited for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import FrameType

import httpx

from hawiya.provision import STATION_ID, BoothState, provision_booth


class BoothError(RuntimeError):
    """A part of the booth did not start; the message names it and its log."""


@contextmanager
def service(
    name: str,
    argv: Sequence[str],
    *,
    log_dir: Path,
    env: dict[str, str] | None = None,
    ready_line: str | None = None,
    ready_timeout: float = 30.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run one background service for the duration of the block, then stop its process group."""
    log_path = log_dir / f"{name}.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - argv built from our own modules
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # its own group: the TUI's terminal signals don't reach it
        )
    try:
        if ready_line is not None:
            _wait_for_line(process, log_path, ready_line, ready_timeout, name)
        yield process
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # Grandchildren that outlived their parent still carry the group id.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _wait_for_line(
    process: subprocess.Popen[bytes], log_path: Path, line: str, timeout: float, name: str
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if line in log_path.read_text(encoding="utf-8", errors="replace"):
            return
        if process.poll() is not None:
            raise BoothError(f"{name} exited with status {process.returncode}; see {log_path}")
        time.sleep(0.05)
    raise BoothError(f"{name} did not become ready in {timeout:.0f} s; see {log_path}")


def wait_for_portal(state: BoothState, url: str, timeout: float = 30.0) -> None:
    """Poll the portal's health over mutual TLS, as the station will reach it."""
    pki = state.pki_dir
    tls = ssl.create_default_context(cafile=pki / "portal-ca.pem")
    tls.load_cert_chain(pki / f"{STATION_ID}.pem", pki / f"{STATION_ID}-key.pem")
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    with httpx.Client(verify=tls, timeout=2.0) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(f"{url}/health").status_code == 200:
                    return
            except httpx.TransportError as error:
                last_error = str(error) or type(error).__name__
            time.sleep(0.1)
    raise BoothError(f"The portal did not answer at {url} ({last_error}); see portal.log")


def run_booth(state_dir: Path, *, people: int, seed: int, portal_port: int) -> int:
    state_dir = state_dir.resolve()
    print("Preparing the booth (test PKI, demo population, operator)...", flush=True)
    state = provision_booth(state_dir, people=people, seed=seed)
    print(state.summary(), flush=True)
    log_dir = state_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    portal_url = f"https://127.0.0.1:{portal_port}"
    python = sys.executable

    stopping = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, request_stop)

    try:
        with ExitStack() as services:
            print("Starting the simulated devices...", flush=True)
            services.enter_context(
                service(
                    "simulator",
                    [python, "-m", "simulator", "--state-dir", str(state_dir)],
                    log_dir=log_dir,
                    ready_line="simulator: ready",
                )
            )
            print(f"Starting the portal on {portal_url} ...", flush=True)
            services.enter_context(
                service(
                    "portal",
                    [python, "-m", "hawiya", "--state-dir", str(state_dir), "portal", "serve"],
                    log_dir=log_dir,
                    env={
                        "HAWIYA_PORTAL_DB_URL": state.db_url,
                        "HAWIYA_PORTAL_PKI_DIR": str(state.pki_dir),
                        "HAWIYA_PORTAL_PORT": str(portal_port),
                        "HAWIYA_PORTAL_STATE_DIR": str(state_dir),
                        # The simulated citizen's phone reads its SMS from the outbox.
                        "HAWIYA_PORTAL_SIMULATION_ENDPOINTS": "1",
                    },
                )
            )
            wait_for_portal(state, portal_url)
            station = subprocess.Popen(  # noqa: S603 - our own module
                [
                    python,
                    "-m",
                    "station",
                    "--state-dir",
                    str(state_dir),
                    "--portal-url",
                    portal_url,
                ],
            )
            try:
                return station.wait()
            finally:
                if station.poll() is None:
                    station.terminate()
                    try:
                        station.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        station.kill()
                        station.wait()
    except BoothError as error:
        print(f"hawiya booth: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0 if stopping else 130
    finally:
        print("Booth stopped: portal, simulators and station are down.", flush=True)
