"""`hawiya simulator card`: put a virtual national ID card into the vpcd reader.

The card stays inserted until the process is stopped (SIGINT/SIGTERM = the card is pulled out),
or until its scenario removes it. It needs a running pcscd with the vpcd reader
(`hawiya simulator pcscd`); it waits for vpcd if pcscd is not up yet.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from simulator.card.applet import CardApplet
from simulator.card.personalise import (
    CardHolderNotFoundError,
    cached_portrait,
    card_holder,
    load_document_signer,
    load_person,
    personalise,
)
from simulator.card.scenarios import CardScenario, behaviour_for
from simulator.card.virtual_card import VirtualCard, slot_port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--population-db", required=True, help="population database URL")
    parser.add_argument("--person", required=True, help="ID number of the card holder")
    parser.add_argument(
        "--scenario", default=CardScenario.VALID.value, choices=[s.value for s in CardScenario]
    )
    parser.add_argument(
        "--slot", type=int, default=0, choices=(0, 1), help="vpcd slot (reader 00 00 or 00 01)"
    )
    parser.add_argument(
        "--pki-dir", type=Path, help="test PKI with the document signer (default STATE_DIR/pki)"
    )
    parser.add_argument(
        "--apdu-delay-ms", type=float, help="delay before each answer (default 50 for 'slow')"
    )


def run(args: argparse.Namespace) -> int:
    scenario = CardScenario(args.scenario)
    pki_dir: Path = args.pki_dir or Path(args.state_dir) / "pki"
    try:
        person, issued = load_person(args.population_db, args.person)
    except CardHolderNotFoundError as error:
        print(f"card: {error}", file=sys.stderr, flush=True)
        return 2
    holder = card_holder(
        person, cached_portrait(person, issued, Path(args.state_dir) / "card-portraits")
    )
    files = personalise(holder, scenario, lambda: load_document_signer(pki_dir))
    delay = None if args.apdu_delay_ms is None else args.apdu_delay_ms / 1000
    card = VirtualCard(CardApplet(files), behaviour_for(scenario, delay), port=slot_port(args.slot))

    def pull_out(signum: int, frame: FrameType | None) -> None:
        card.stop()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, pull_out)
    print(
        f"card: {person.id_number} ({scenario.value}) waiting for vpcd slot {args.slot}",
        flush=True,
    )
    watcher = threading.Thread(target=_announce_insertion, args=(card,), daemon=True)
    watcher.start()
    card.run()
    print("card: removed", flush=True)
    return 0


def _announce_insertion(card: VirtualCard) -> None:
    card.inserted.wait()
    print("card: inserted", flush=True)
