"""A whole enrollment at the real booth, as an operator does it: `hawiya booth` in a terminal
driven through tmux (libtmux), and a simulated citizen brought to it with one command
(`hawiya simulator citizen`): their card in the reader, their finger on the scanner, their face
in front of the camera following the station's customer display, their phone receiving the
portal's SMS.

Nothing is stood in for: the portal under uvicorn over mutual TLS, pcscd with the virtual
reader, the scanner's device service, the MJPEG camera, the station's Textual UI in a
pseudo-terminal. Each step waits for what the screen shows (polling with a deadline).
"""

from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import libtmux
import pytest

from simulator.pcsc_daemon import PCSCD_SOCKET, socket_in_use
from tests.e2e.test_booth_in_tmux import free_port, hawiya, processes_using

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 120, 36
SEED, PEOPLE = 5, 300
USERNAME = "booth.guest7"
PASSWORD = "amber caravan lantern falcon"  # a passphrase, as NIST SP 800-63B prefers
PCSCD_WAIT_S = 600.0
FACE_SESSIONS = 3  # the core's limit; a loaded machine can make the person miss a prompt


@dataclass
class BoothInTmux:
    server: libtmux.Server
    pane: libtmux.Pane
    state_dir: Path
    exit_file: Path

    def screen(self) -> str:
        try:
            return "\n".join(self.pane.capture_pane() or [])
        except libtmux.exc.LibTmuxException:
            return ""  # the pane closed with the booth

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.pane.send_keys(key, enter=False)

    def type(self, text: str) -> None:
        self.pane.send_keys(text, enter=False, literal=True)

    def alive(self) -> bool:
        return not self.exit_file.exists()

    def wait_for(self, predicate: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            if not self.alive():
                break
            time.sleep(0.1)
        raise AssertionError(f"waited for {what}; the screen shows:\n{screen}\n{self.logs()}")

    def wait_for_text(self, *texts: str, timeout: float = 60) -> str:
        return self.wait_for(lambda s: all(t in s for t in texts), repr(texts), timeout)

    def logs(self) -> str:
        parts = []
        for log in sorted((self.state_dir / "logs").glob("*.log")):
            parts.append(f"--- {log.name}\n{log.read_text(errors='replace')[-2500:]}")
        return "\n".join(parts)


@dataclass
class Citizen:
    process: subprocess.Popen[bytes]
    output: Path
    id_number: str
    given_name: str
    mobile: str  # 05XXXXXXXX


@pytest.fixture
def booth(tmp_path: Path) -> Iterator[BoothInTmux]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: run ./dev test, which installs it")
    state_dir = tmp_path / "state"
    hawiya(state_dir, "setup", "--people", str(PEOPLE), "--seed", str(SEED))
    # One pcscd per machine: wait while another booth or rehearsal holds it.
    deadline = time.monotonic() + PCSCD_WAIT_S
    while socket_in_use():
        if time.monotonic() > deadline:
            pytest.fail(f"another pcscd held {PCSCD_SOCKET} for {PCSCD_WAIT_S:.0f} s")
        time.sleep(1.0)
    exit_file = tmp_path / "booth-exit-status"
    command = (
        f"{sys.executable} -m hawiya --state-dir {state_dir} booth --people {PEOPLE} "
        f"--seed {SEED} --portal-port {free_port()}; echo $? > {exit_file}"
    )
    # A tmux server of its own: nothing shared with a developer's sessions.
    server = libtmux.Server(socket_name=f"hawiya-e2e-{uuid.uuid4().hex[:8]}")
    session = server.new_session(
        session_name="booth",
        window_command=command,
        x=WIDTH,
        y=HEIGHT,
        # COLUMNS/LINES as well: a test run's environment can carry 80x24 ones (tmux copies
        # it), and Textual believes them over the terminal's own size.
        environment={
            "TERM": "xterm-256color",
            "TZ": "Asia/Riyadh",
            "COLUMNS": str(WIDTH),
            "LINES": str(HEIGHT),
        },
    )
    pane = session.active_window.active_pane
    assert pane is not None
    assert (pane.pane_width, pane.pane_height) == (str(WIDTH), str(HEIGHT))
    try:
        yield BoothInTmux(server, pane, state_dir, exit_file)
    finally:
        server.kill()


@pytest.fixture
def citizen_at(booth: BoothInTmux, tmp_path: Path) -> Iterator[Callable[[], Citizen]]:
    started: list[subprocess.Popen[bytes]] = []

    def bring() -> Citizen:
        output = tmp_path / "citizen.out"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                [
                    sys.executable, "-m", "hawiya", "--state-dir", str(booth.state_dir),
                    "simulator", "citizen", "--seed", str(SEED), "--json",
                ],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        started.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = output.read_text(encoding="utf-8", errors="replace")
            if "going into the reader" in text:
                person = json.loads(text.splitlines()[0])
                return Citizen(
                    process,
                    output,
                    person["id_number"],
                    person["name_en"].split()[0],
                    person["mobile"],
                )
            if process.poll() is not None:
                raise AssertionError(f"the citizen did not come:\n{text}")
            time.sleep(0.1)
        raise AssertionError("the citizen did not come in 60 s")

    yield bring
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def activation_code(state_dir: Path, mobile: str, timeout: float = 30) -> str:
    """The newest activation code on the citizen's phone: the portal's simulation outbox, over
    the booth's mutual TLS (docs/portal-api.md, "Simulation")."""
    booth_file = json.loads((state_dir / "run" / "booth.json").read_text(encoding="utf-8"))
    pki = state_dir / "pki"
    tls = ssl.create_default_context(cafile=pki / "portal-ca.pem")
    tls.load_cert_chain(pki / "station-0001.pem", pki / "station-0001-key.pem")
    deadline = time.monotonic() + timeout
    with httpx.Client(verify=tls, timeout=5.0) as client:
        while time.monotonic() < deadline:
            answer = client.get(
                f"{booth_file['portal_url']}/v1/simulation/sms-outbox",
                params={"to": "+966" + mobile.removeprefix("0")},
            )
            answer.raise_for_status()
            for message in answer.json()["messages"]:
                found = re.search(r"\b([0-9]{6})\b", message["text"])
                if message["kind"] == "activation_code" and found:
                    return found.group(1)
            time.sleep(0.2)
    raise AssertionError(f"no activation code reached {mobile} in {timeout:.0f} s")


def _is_tmux(process: str) -> bool:
    """`processes_using` lines are "pid: command line"."""
    command = process.split(": ", 1)[1].split()
    return bool(command) and Path(command[0]).name == "tmux"


def face_session_over(screen: str) -> bool:
    return "Portal account" in screen or (
        "Sessions left" in screen and "Session running" not in screen and "score" in screen
    )


def test_a_citizen_is_enrolled_from_card_to_receipt_at_the_real_booth(
    booth: BoothInTmux, citizen_at: Callable[[], Citizen]
) -> None:
    password = (booth.state_dir / "demo-operator.txt").read_text(encoding="utf-8").strip()
    booth.wait_for_text("Operator sign-in", timeout=150)
    citizen = citizen_at()

    booth.type("operator")
    booth.keys("Enter")
    booth.type(password)
    booth.keys("Enter")
    home = booth.wait_for_text(
        "Press n to start a new enrollment",
        "Hawiya Virtual",  # the card reader line (the reader name may wrap)
        "Ready.",  # the fingerprint scanner's
        "Ready: 640x480",  # the camera's
        "Ready: open http://127.0.0.1:",  # the customer display's
    )
    assert "Not configured" not in home, home
    assert "not running" not in home, home

    # The card is already in the reader: the identity step reads it and looks the person up.
    booth.keys("n")
    lookup = booth.wait_for_text("ELIGIBLE FOR ENROLLMENT", f"ID {citizen.id_number}")
    assert citizen.given_name in lookup
    booth.keys("Enter")
    booth.wait_for_text("Consent to register", "y Agrees")
    booth.keys("y")
    for tries_left in (3, 2, 1):  # a smeared impression costs a try, as at a real scanner
        booth.wait_for_text(f"Tries left: {tries_left}")
        booth.keys("c")

        def decided(screen: str, left: int = tries_left) -> bool:
            return "Sessions left: 3" in screen or f"Tries left: {left - 1}" in screen

        screen = booth.wait_for(decided, "the fingerprint decision")
        if "Sessions left: 3" in screen:
            break
    # The camera's picture, live beside the step (half blocks), once the camera is open.
    face = booth.wait_for_text("Sessions left: 3", "Matched against", "▀" * 40)
    assert "✓ 3 Fingerprint" in face

    # The person follows the prompts on the customer display, as the camera renders them.
    for _ in range(FACE_SESSIONS):
        booth.keys("c")
        booth.wait_for_text("Session running", "Challenges")
        screen = booth.wait_for(face_session_over, "the face session to end", timeout=90)
        if "Portal account" in screen:
            break
    booth.wait_for_text("Portal account", "✓ 4 Face")

    # Each field shows what it expects once it has the focus: type only then (keys sent right
    # after Enter can reach the field before the screen has moved the focus on).
    booth.type(USERNAME)
    booth.wait_for_text("Available.")
    booth.keys("Enter")
    booth.wait_for_text("(0 so far)")
    booth.type(PASSWORD)
    booth.wait_for_text("Long enough")
    booth.keys("Enter")
    booth.wait_for_text("A Saudi mobile number")
    booth.type(citizen.mobile)
    booth.wait_for(
        lambda s: any("Mobile" in line and citizen.mobile in line for line in s.splitlines()),
        "the mobile number typed",
    )
    booth.keys("C-s")
    booth.wait_for_text("SMS code", f"Code sent to 05X XXX X{citizen.mobile[-3:]}")

    booth.type(activation_code(booth.state_dir, citizen.mobile))
    booth.keys("Enter")
    receipt = booth.wait_for_text("Done: account active", "Enrollment id:")
    assert "✓ 5 Account" in receipt
    assert f"Name: {citizen.given_name}" in receipt

    booth.keys("Enter")
    booth.wait_for_text("Press n to start a new enrollment")
    booth.keys("C-q")
    deadline = time.monotonic() + 60
    while booth.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert booth.exit_file.read_text().strip() == "0"
    # The citizen leaves when the booth closes, taking their card.
    assert citizen.process.wait(timeout=30) == 0
    assert "the booth closed" in citizen.output.read_text(encoding="utf-8")
    # (The test's own tmux server still names the booth's command line until it exits.)
    leftovers = [p for p in processes_using(booth.state_dir) if not _is_tmux(p)]
    assert leftovers == [], leftovers
    assert not PCSCD_SOCKET.exists(), "pcscd left its socket behind"
