"""A private pcscd with the vsmartcard virtual reader, run in the foreground and stopped cleanly.

The booth and the tests run the real PC/SC stack (pcscd + vpcd + pyscard) without systemd: the
daemon is our child process, with a reader.conf of our own, and leaves no socket behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

# pcscd 1.9 ignores PCSCLITE_CSOCK_NAME on the daemon side: the socket is always here, so one
# pcscd per machine. Clients (pyscard) find it without configuration.
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
# vpcd listens for the virtual card on this port and the next (two slots; more do not work).
VPCD_PORT = 35963
READER_NAME = "Hawiya Virtual Reader"


class PcscdError(RuntimeError):
    """pcscd could not be started; the message says what to do."""


@dataclass(frozen=True)
class PcscdConfig:
    """Where the private reader configuration and the daemon's log go."""

    directory: Path
    vpcd_port: int = VPCD_PORT

    @property
    def config_dir(self) -> Path:
        return self.directory / "reader.conf.d"

    @property
    def log_path(self) -> Path:
        return self.directory / "pcscd.log"


def write_reader_conf(config: PcscdConfig) -> None:
    config.config_dir.mkdir(parents=True, exist_ok=True)
    (config.config_dir / "vpcd").write_text(
        f'FRIENDLYNAME "{READER_NAME}"\n'
        f"DEVICENAME /dev/null:{config.vpcd_port}\n"
        f"LIBPATH {VPCD_DRIVER}\n"
        f"CHANNELID {config.vpcd_port}\n",
        encoding="ascii",
    )


def check_prerequisites() -> None:
    missing = []
    if shutil.which("pcscd") is None and shutil.which("pcscd", path="/usr/sbin:/sbin") is None:
        missing.append("pcscd")
    if not VPCD_DRIVER.exists():
        missing.append("vsmartcard-vpcd")
    if missing:
        raise PcscdError(
            "Missing system packages: "
            + " ".join(missing)
            + ". Install them: sudo apt-get install --no-install-recommends "
            + " ".join(missing)
        )


def pcscd_path() -> str:
    path = shutil.which("pcscd") or shutil.which("pcscd", path="/usr/sbin:/sbin")
    if path is None:
        raise PcscdError(
            "pcscd is not installed. Install it: "
            "sudo apt-get install --no-install-recommends pcscd vsmartcard-vpcd"
        )
    return path


def socket_in_use() -> bool:
    """True when a live pcscd answers on the socket; a stale socket from a crash is removed."""
    if not PCSCD_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(PCSCD_SOCKET))
        except (ConnectionRefusedError, FileNotFoundError):
            PCSCD_SOCKET.unlink(missing_ok=True)
            return False
    return True


class PcscDaemon:
    """Runs `pcscd --foreground --config DIR` for as long as the context is open."""

    def __init__(self, config: PcscdConfig, *, start_timeout: float = 10.0) -> None:
        self._config = config
        self._start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> None:
        check_prerequisites()
        if socket_in_use():
            raise PcscdError(
                f"Another pcscd is already running ({PCSCD_SOCKET} exists). Stop it first "
                "(systemctl stop pcscd.socket pcscd) or stop the other booth."
            )
        write_reader_conf(self._config)
        log = self._config.log_path.open("ab")
        try:
            self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                [pcscd_path(), "--foreground", "--info", "--config", str(self._config.config_dir)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()
        deadline = time.monotonic() + self._start_timeout
        while not PCSCD_SOCKET.exists():
            if self._process.poll() is not None:
                raise PcscdError(
                    f"pcscd exited with status {self._process.returncode}; "
                    f"see {self._config.log_path}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise PcscdError(
                    f"pcscd did not open its socket in time; see {self._config.log_path}"
                )
            time.sleep(0.02)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # pcscd removes its socket on a clean exit; after a kill it may be left behind.
        if PCSCD_SOCKET.exists() and not _pid_alive(process.pid):
            PCSCD_SOCKET.unlink(missing_ok=True)

    def __enter__(self) -> PcscDaemon:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
