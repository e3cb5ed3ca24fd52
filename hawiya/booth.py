"""`hawiya booth`: portal, simulated devices and station together, and all of them gone on exit.

The parts: pcscd with the virtual reader, the portal (mutual TLS, simulation endpoints on), the
fingerprint scanner's device service, the MJPEG camera (its simulated person watches the
station's customer display), and the station, which serves the customer display itself. Their
addresses go to `<state dir>/run/booth.json` for `hawiya simulator citizen`.

Services run as child processes in their own process groups, with logs under the state
directory (the terminal belongs to the station's TUI). Whatever way the booth ends (the operator
quits, Ctrl+C, SIGTERM, SIGHUP when the terminal closes), every child is stopped and waited for.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType

import httpx

from hawiya.provision import STATION_ID, BoothState, provision_booth
from simulator.pcsc_daemon import PCSCD_SOCKET, socket_in_use


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


DEFAULT_DISPLAY_PORT = 8765  # the customer display's usual address, when it is free


@dataclass(frozen=True)
class BoothAddresses:
    """Where the booth's parts listen, written to `<state dir>/run/booth.json` for the
    simulated citizen (`hawiya simulator citizen`) and for a developer's shell."""

    portal_url: str
    scanner_url: str
    camera_url: str  # the camera's base URL (status and admin endpoints)
    video_url: str  # its MJPEG stream, what the station reads
    customer_display_url: str
    events_url: str
    db_url: str
    pki_dir: str
    seed: int

    def write(self, run_dir: Path) -> Path:
        run_dir.mkdir(parents=True, exist_ok=True)
        path = run_dir / BOOTH_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        temporary.replace(path)
        return path


BOOTH_FILE = "booth.json"


def free_port(preferred: int = 0) -> int:
    """`preferred` if nothing listens there on loopback, else any free port."""
    for port in (preferred, 0) if preferred else (0,):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            found: int = probe.getsockname()[1]
            return found
    raise BoothError("no free TCP port on 127.0.0.1")


def wait_for_ready_file(
    path: Path, process: subprocess.Popen[bytes], name: str, log_dir: Path, timeout: float
) -> dict[str, object]:
    """The JSON a device service writes once it serves (`--ready-file`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file():
            with contextlib.suppress(ValueError):
                data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
                return data
        if process.poll() is not None:
            raise BoothError(
                f"{name} exited with status {process.returncode}; see {log_dir / name}.log"
            )
        time.sleep(0.05)
    raise BoothError(f"{name} did not start in {timeout:.0f} s; see {log_dir / name}.log")


def run_booth(state_dir: Path, *, people: int, seed: int, portal_port: int) -> int:
    state_dir = state_dir.resolve()
    print("Preparing the booth (test PKI, demo population, operator)...", flush=True)
    state = provision_booth(state_dir, people=people, seed=seed)
    print(state.summary(), flush=True)
    log_dir = state_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    run_dir = state_dir / "run"
    run_dir.mkdir(exist_ok=True)
    for stale in run_dir.glob("*.json"):
        stale.unlink()
    portal_url = f"https://127.0.0.1:{portal_port}"
    python = sys.executable
    base = [python, "-m", "hawiya", "--state-dir", str(state_dir)]

    stopping = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, request_stop)

    try:
        with ExitStack() as services:
            services.callback(_remove_run_files, run_dir)
            if socket_in_use():
                raise BoothError(
                    f"another pcscd holds {PCSCD_SOCKET} (another booth, a rehearsal or a "
                    "test): stop it or wait for it, then start the booth again"
                )
            print("Starting the simulated devices...", flush=True)
            services.enter_context(
                service(
                    "simulator",
                    [python, "-m", "simulator", "--state-dir", str(state_dir)],
                    log_dir=log_dir,
                    ready_line="simulator: ready",
                )
            )
            display_port = free_port(DEFAULT_DISPLAY_PORT)
            display_url = f"http://127.0.0.1:{display_port}/"
            events_url = f"{display_url}events"
            # The scanner and the camera load the vision stack (seconds each): start them and
            # the portal together, then wait for all three.
            scanner_file, camera_file = run_dir / "scanner.json", run_dir / "camera.json"
            scanner = services.enter_context(
                service(
                    "scanner",
                    [
                        *base, "simulator", "scanner", "--port", "0",
                        "--population-db", state.db_url, "--pki-dir", str(state.pki_dir),
                        "--ready-file", str(scanner_file), "--seed", str(seed),
                    ],
                    log_dir=log_dir,
                )
            )  # fmt: skip
            camera = services.enter_context(
                service(
                    "camera",
                    [
                        *base, "simulator", "camera", "--port", "0", "--db", state.db_url,
                        "--seed", str(seed), "--display-url", events_url,
                        "--ready-file", str(camera_file),
                    ],
                    log_dir=log_dir,
                )
            )  # fmt: skip
            print(f"Starting the portal on {portal_url} ...", flush=True)
            services.enter_context(
                service(
                    "portal",
                    [*base, "portal", "serve"],
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
            wait_for_portal(state, portal_url, timeout=90.0)
            scanner_ready = wait_for_ready_file(scanner_file, scanner, "scanner", log_dir, 90.0)
            camera_ready = wait_for_ready_file(camera_file, camera, "camera", log_dir, 90.0)
            addresses = BoothAddresses(
                portal_url=portal_url,
                scanner_url=str(scanner_ready["base_url"]),
                camera_url=str(camera_ready["base_url"]),
                video_url=str(camera_ready["video_url"]),
                customer_display_url=display_url,
                events_url=events_url,
                db_url=state.db_url,
                pki_dir=str(state.pki_dir),
                seed=seed,
            )
            addresses.write(run_dir)
            print(
                f"Fingerprint scanner: {addresses.scanner_url}\n"
                f"Camera:              {addresses.video_url}\n"
                f"Customer display:    {display_url}  (open it on the citizen's screen)\n"
                "Bring a simulated citizen: hawiya simulator citizen  (in another terminal)",
                flush=True,
            )
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
                env={**os.environ, **station_environment(addresses, display_port)},
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


def station_environment(addresses: BoothAddresses, display_port: int) -> dict[str, str]:
    """The station's device settings for this booth (stronger than station.toml)."""
    prefix = "HAWIYA_STATION_"
    return {
        f"{prefix}DEVICES__FINGERPRINT_SCANNER_URL": addresses.scanner_url,
        f"{prefix}DEVICES__CAMERA_URL": addresses.video_url,
        f"{prefix}CUSTOMER_DISPLAY__ENABLED": "true",
        f"{prefix}CUSTOMER_DISPLAY__HOST": "127.0.0.1",
        f"{prefix}CUSTOMER_DISPLAY__PORT": str(display_port),
    }


def _remove_run_files(run_dir: Path) -> None:
    for stale in run_dir.glob("*.json"):
        with contextlib.suppress(OSError):
            stale.unlink()
