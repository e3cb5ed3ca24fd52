"""`hawiya simulator citizen`: bring one simulated citizen to a running booth.

One command does what a person arriving at the desk does: their ID card goes into the reader
(a virtual card on vpcd, slot 0), their finger is the one on the scanner, their face is the one
in front of the camera (following the prompts of the station's customer display), and their
phone shows the SMS the portal sends them. The citizen stays until Ctrl+C (or SIGTERM), which
takes the card out and leaves the scanner empty.

The booth's addresses come from `<state dir>/run/booth.json`, written by `hawiya booth`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import signal
import ssl
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from fixtures.records import MobileLine, Person

BOOTH_FILE = Path("run") / "booth.json"
RIGHT_INDEX = "2"
MINIMUM_AGE = 16  # the portal's 15, with a year's margin for birthdays on the day
SMS_POLL_S = 0.5
DEVICE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class CitizenScenario:
    """How the citizen presents: their card, their finger, their face."""

    card: str | None  # the virtual card's scenario; None: no card (the operator types the ID)
    finger: str  # the scanner's scenario
    attack: str | None = None  # a face presentation attack instead of the live face


SCENARIOS: dict[str, CitizenScenario] = {
    "compliant": CitizenScenario("valid", "right_finger"),
    "no_card": CitizenScenario(None, "right_finger"),
    "expired_card": CitizenScenario("expired", "right_finger"),
    "forged_card": CitizenScenario("tampered", "right_finger"),
    "wrong_finger": CitizenScenario("valid", "wrong_finger"),
    "scarred_finger": CitizenScenario("valid", "scarred_finger"),
    "photo_attack": CitizenScenario("valid", "right_finger", "print_flat"),
    "screen_attack": CitizenScenario("valid", "right_finger", "phone_photo"),
}


class CitizenError(RuntimeError):
    """Something a developer can fix; the message says what."""


@dataclass(frozen=True)
class ChosenCitizen:
    id_number: str
    name_en: str
    name_ar: str
    birth_date: date
    mobile: str  # +9665XXXXXXXX, registered to them

    @property
    def local_mobile(self) -> str:
        return "0" + self.mobile.removeprefix("+966")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--person",
        help="ID number of the citizen (default: the next adult on record with no portal "
        "account, a phone in their name and a usable right index finger, by --seed)",
    )
    parser.add_argument("--seed", type=int, default=1, help="who comes next (default 1)")
    parser.add_argument(
        "--scenario", choices=sorted(SCENARIOS), default="compliant", help="how they present"
    )
    parser.add_argument(
        "--json", action="store_true", dest="as_json", help="print the citizen as one JSON line"
    )


def run(args: argparse.Namespace) -> int:
    state_dir = Path(args.state_dir)
    try:
        booth = read_booth(state_dir)
        citizen = choose_citizen(str(booth["db_url"]), args.person, args.seed, date.today())
        scenario = SCENARIOS[args.scenario]
        # Placing a person renders their face for the camera: seconds on a loaded machine.
        with httpx.Client(timeout=DEVICE_TIMEOUT_S) as http:
            place_at_devices(http, booth, citizen, scenario)
    except CitizenError as error:
        print(f"citizen: {error}", file=sys.stderr, flush=True)
        return 1
    except httpx.HTTPError as error:
        print(
            f"citizen: the booth's scanner or camera did not take the person "
            f"({type(error).__name__}: {error}); is `hawiya booth` running? See its logs/.",
            file=sys.stderr,
            flush=True,
        )
        return 1
    _announce(citizen, args.scenario, as_json=args.as_json)
    stop = threading.Event()

    def leave(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, leave)
    card = None
    try:
        if scenario.card is not None:
            card = insert_card(state_dir, booth, citizen.id_number, scenario.card)
        watch_phone(booth, citizen, stop, booth_file=state_dir / BOOTH_FILE)
    finally:
        if card is not None:
            card.terminate()
            try:
                card.wait(timeout=10)
            except subprocess.TimeoutExpired:
                card.kill()
                card.wait()
            print("citizen: card taken out of the reader", flush=True)
        # The booth may be gone already: nothing left to tidy then.
        with httpx.Client(timeout=5.0) as http, contextlib.suppress(httpx.HTTPError):
            http.put(f"{booth['scanner_url']}/admin/subject", json={"id_number": None})
        print("citizen: left the booth", flush=True)
    return 0


def read_booth(state_dir: Path) -> dict[str, Any]:
    path = state_dir / BOOTH_FILE
    try:
        booth: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CitizenError(
            f"no running booth in {state_dir} ({path} cannot be read: {error}). Start "
            "`hawiya booth` first, with the same --state-dir."
        ) from error
    return booth


def choose_citizen(db_url: str, person_id: str | None, seed: int, today: date) -> ChosenCitizen:
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            lines = session.exec(select(MobileLine).order_by(col(MobileLine.number))).all()
            phones: dict[str, str] = {}
            for line in lines:
                phones.setdefault(line.owner_id_number, line.number)
            if person_id is not None:
                person = session.get(Person, person_id)
                if person is None:
                    raise CitizenError(f"nobody with ID {person_id} in the booth's population")
                if person.id_number not in phones:
                    raise CitizenError(
                        f"{person_id} has no mobile line in their name: they could not receive "
                        "the activation SMS; choose someone else"
                    )
                return _chosen(person, phones[person.id_number])
            persons = sorted(session.exec(select(Person)).all(), key=lambda p: p.id_number)
    finally:
        engine.dispose()
    fitting = [p for p in persons if p.id_number in phones and _fits(p, today)]
    if not fitting:
        raise CitizenError("nobody left to enroll: every fitting person has a portal account")
    random.Random(seed).shuffle(fitting)
    return _chosen(fitting[0], phones[fitting[0].id_number])


def _fits(person: Person, today: date) -> bool:
    age = (
        today.year
        - person.birth_date.year
        - ((today.month, today.day) < (person.birth_date.month, person.birth_date.day))
    )
    return (
        person.status == "active"
        and not person.has_portal_account
        and person.id_expiry > today
        and age >= MINIMUM_AGE
        and RIGHT_INDEX not in person.missing_fingers.split(",")
        and RIGHT_INDEX not in person.scarred_fingers.split(",")
    )


def _chosen(person: Person, mobile: str) -> ChosenCitizen:
    return ChosenCitizen(
        id_number=person.id_number,
        name_en=" ".join((person.given_name_en, person.father_name_en, person.family_name_en)),
        name_ar=" ".join((person.given_name_ar, person.father_name_ar, person.family_name_ar)),
        birth_date=person.birth_date,
        mobile=mobile,
    )


def place_at_devices(
    http: httpx.Client, booth: dict[str, Any], citizen: ChosenCitizen, scenario: CitizenScenario
) -> None:
    """Their finger on the scanner; their face (or an attack with their photo) at the camera,
    watching the station's customer display."""
    http.put(
        f"{booth['scanner_url']}/admin/subject",
        json={"id_number": citizen.id_number, "scenario": scenario.finger},
    ).raise_for_status()
    camera = booth["camera_url"]
    http.put(f"{camera}/admin/display", json={"url": booth["events_url"]}).raise_for_status()
    subject: dict[str, Any] = {"id_number": citizen.id_number, "scenario": "cooperative"}
    if scenario.attack is not None:
        subject["attack"] = scenario.attack
    http.put(f"{camera}/admin/subject", json=subject).raise_for_status()


def insert_card(
    state_dir: Path, booth: dict[str, Any], id_number: str, card_scenario: str
) -> subprocess.Popen[bytes]:
    """The virtual card as its own process (it holds the vpcd connection: the card is in the
    reader while it runs). Its output goes to `logs/citizen-card.log`."""
    log_path = state_dir / "logs" / "citizen-card.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own module
            [
                sys.executable, "-m", "simulator", "--state-dir", str(state_dir), "card",
                "--population-db", str(booth["db_url"]), "--person", id_number,
                "--scenario", card_scenario, "--slot", "0", "--pki-dir", str(booth["pki_dir"]),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    print(f"citizen: card {id_number} ({card_scenario}) going into the reader", flush=True)
    return process


def _station_tls(pki_dir: Path) -> ssl.SSLContext:
    """The phone reads the portal's SMS outbox over the booth's mutual TLS (the simulation
    endpoints ask for a client certificate, not a station signature)."""
    keys = sorted(pki_dir.glob("station-*-key.pem"))
    if not keys:
        raise CitizenError(f"no station certificate in {pki_dir}: run `hawiya setup`")
    certificate = keys[0].with_name(keys[0].name.removesuffix("-key.pem") + ".pem")
    tls = ssl.create_default_context(cafile=pki_dir / "portal-ca.pem")
    tls.load_cert_chain(certificate, keys[0])
    return tls


def watch_phone(
    booth: dict[str, Any], citizen: ChosenCitizen, stop: threading.Event, *, booth_file: Path
) -> None:
    """Print each new SMS to the citizen's phone until told to stop, or until the booth
    closes (it removes `booth_file` on the way out)."""
    seen: set[str] = set()
    url = f"{booth['portal_url']}/v1/simulation/sms-outbox"
    with httpx.Client(verify=_station_tls(Path(booth["pki_dir"])), timeout=5.0) as http:
        first = True
        while not stop.is_set():
            if not booth_file.exists():
                print("citizen: the booth closed", flush=True)
                return
            try:
                answer = http.get(url, params={"to": citizen.mobile})
                messages = answer.json()["messages"] if answer.status_code == 200 else []
            except (httpx.HTTPError, ValueError, KeyError):
                messages = []
            for message in reversed(messages):
                if message["id"] in seen:
                    continue
                seen.add(message["id"])
                if first:
                    continue  # older messages, from before this visit
                code = re.search(r"\b([0-9]{6})\b", message["text"])
                shown = f"code {code.group(1)}" if code else message["kind"]
                print(f"citizen: SMS on {citizen.local_mobile}: {shown}", flush=True)
            first = False
            stop.wait(SMS_POLL_S)


def _announce(citizen: ChosenCitizen, scenario: str, *, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "id_number": citizen.id_number,
                    "name_en": citizen.name_en,
                    "name_ar": citizen.name_ar,
                    "birth_date": citizen.birth_date.isoformat(),
                    "mobile": citizen.local_mobile,
                    "scenario": scenario,
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
        return
    print(
        f"citizen: {citizen.name_en} / {citizen.name_ar}\n"
        f"citizen: ID {citizen.id_number}, born {citizen.birth_date.isoformat()}, "
        f"mobile {citizen.local_mobile}, scenario {scenario}\n"
        "citizen: at the scanner and in front of the camera; Ctrl+C when they leave",
        flush=True,
    )
