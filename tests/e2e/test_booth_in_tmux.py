"""The real booth, as an operator meets it: `hawiya booth` in a terminal, driven through tmux.

Everything is real here: the portal under uvicorn over mutual TLS, pcscd with the virtual
reader, the station's Textual UI in a pseudo-terminal. The test signs in, looks up a generated
person, sees the Arabic and Latin names, quits, and checks every process started is gone.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from simulator.pcsc_daemon import PCSCD_SOCKET
from station.bidi_text import for_display

pytestmark = pytest.mark.e2e

RIYADH = timezone(timedelta(hours=3))
WIDTH, HEIGHT = 120, 36
SEED, PEOPLE = 5, 300


@dataclass(frozen=True)
class Booth:
    session: str
    state_dir: Path
    exit_file: Path

    def screen(self) -> str:
        """The pane's text, or "" once the session has ended (it may end between calls)."""
        capture = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.session],
            capture_output=True,
            text=True,
            check=False,
        )
        return capture.stdout if capture.returncode == 0 else ""

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, "-l", text], check=True)

    def wait_for(self, predicate: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen() or screen
            if predicate(screen):
                return screen
            if not self.alive():
                break
            time.sleep(0.1)
        raise AssertionError(f"waited for {what}; the screen shows:\n{screen}\n{self.logs()}")

    def wait_for_text(self, text: str, timeout: float = 60) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def alive(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "has-session", "-t", self.session], capture_output=True, check=False
            ).returncode
            == 0
        )

    def logs(self) -> str:
        parts = []
        for log in sorted((self.state_dir / "logs").glob("*.log")):
            parts.append(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hawiya(state_dir: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "hawiya", "--state-dir", str(state_dir), *args],
        check=True,
        capture_output=True,
        timeout=300,
    )


def eligible_person(export: Path, today: date) -> dict[str, object]:
    """An adult with a valid ID and no portal account: the portal will say "eligible"."""
    for line in export.read_text(encoding="utf-8").splitlines():
        person = json.loads(line)
        birth = date.fromisoformat(person["birth_date"])
        if (
            person["status"] == "active"
            and not person["has_portal_account"]
            and date.fromisoformat(person["id_expiry"]) > today + timedelta(days=2)
            and (today - birth).days > 20 * 366
        ):
            return dict(person)
    raise AssertionError("the demo population has no eligible person")


def _line(screen: str, label: str) -> str:
    return next((line for line in screen.splitlines() if label in line), "")


def type_birth_date(booth: Booth, birth_date: str) -> None:
    """Type the date of birth once its field has the focus: the field's hint then asks for it
    (Textual moves the focus a moment after Enter; keys typed before would go to the ID)."""
    booth.wait_for_text("Type the date of birth as YYYY-MM-DD", timeout=30)
    booth.type(birth_date)
    booth.wait_for(
        lambda screen: birth_date in _line(screen, "Date of birth ·"), "the typed date of birth"
    )


def processes_using(state_dir: Path) -> list[str]:
    """Live processes that name this state directory in their command line or environment
    (the booth passes it to every part it starts: pcscd's config, the portal's env, ...)."""
    found = []
    marker = str(state_dir).encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if marker in cmdline or marker in environ:
            command = cmdline.replace(b"\0", b" ").decode(errors="replace")
            found.append(f"{proc.name}: {command}")
    return found


@pytest.fixture
def booth(tmp_path: Path) -> Iterator[Booth]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: run ./dev test, which installs it")
    state_dir = tmp_path / "state"
    hawiya(state_dir, "setup", "--people", str(PEOPLE), "--seed", str(SEED))
    exit_file = tmp_path / "booth-exit-status"
    session = f"hawiya-e2e-{uuid.uuid4().hex[:8]}"
    command = (
        f"{sys.executable} -m hawiya --state-dir {state_dir} booth --people {PEOPLE} "
        f"--seed {SEED} --portal-port {free_port()}; echo $? > {exit_file}"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT), command],
        check=True,
        env={**os.environ, "TERM": "xterm-256color", "TZ": "Asia/Riyadh"},
    )
    handle = Booth(session, state_dir, exit_file)
    try:
        yield handle
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def test_operator_signs_in_looks_up_a_person_and_quits_leaving_nothing_running(
    booth: Booth, tmp_path: Path
) -> None:
    export = tmp_path / "people.jsonl"
    hawiya(
        booth.state_dir,
        "population",
        "export",
        "--db",
        f"sqlite:///{booth.state_dir / 'portal.db'}",
        "--out",
        str(export),
    )
    person = eligible_person(export, datetime.now(RIYADH).date())
    password = (booth.state_dir / "demo-operator.txt").read_text(encoding="utf-8").strip()

    booth.wait_for_text("Operator sign-in", timeout=120)
    booth.type("operator")
    booth.keys("Enter")
    booth.type(password)
    booth.keys("Enter")
    home = booth.wait_for_text("Press n to start a new enrollment")
    assert "Demo Operator" in home

    booth.keys("n")
    booth.wait_for_text("ID number")
    booth.keys("m")  # the enrollment wizard waits for a card; m types the ID instead
    booth.wait_for_text("^t Gregorian/Hijri")  # the typed entry is open
    booth.type(str(person["id_number"]))
    booth.keys("Enter")
    type_birth_date(booth, str(person["birth_date"]))
    booth.keys("Enter")
    result = booth.wait_for_text(str(person["name_en"]))
    assert "ELIGIBLE" in result
    # Arabic is drawn shaped and in visual order; the data keeps logical order.
    assert for_display(str(person["name_ar"])) in result

    assert processes_using(booth.state_dir), "the check below would not see the booth's parts"
    booth.keys("C-q")
    booth.wait_for(lambda _: booth.exit_file.exists(), "the booth to exit", timeout=60)
    assert booth.exit_file.read_text().strip() == "0"
    leftovers = processes_using(booth.state_dir)
    assert leftovers == [], leftovers
    assert not PCSCD_SOCKET.exists(), "pcscd left its socket behind"
