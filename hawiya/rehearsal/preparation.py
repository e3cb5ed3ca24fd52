"""Work done once before the first citizen comes, so that the booth's time per person is the
booth's and not the simulator's rendering of synthetic faces:

- the card portraits of everyone who brings a card, rendered in this one process (the face
  renderer and its models load once) into the cache each card process reads
  (`STATE/card-portraits`), instead of once per card process;
- the portal's reference photos of everyone who comes without a card, asked for once so the
  simulated record renders them (a real record holds them; the portal keeps the last 32)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hawiya.rehearsal.people import Citizen
from hawiya.rehearsal.scenarios import Identity
from station.portal.client import PortalClient


def card_portraits_dir(state_dir: Path) -> Path:
    """Where `hawiya simulator card` keeps and looks for rendered portraits."""
    return state_dir / "card-portraits"


def prepare_card_portraits(db_url: str, state_dir: Path, citizens: Sequence[Citizen]) -> int:
    """Render (or find) the card portrait of every card holder; how many there are."""
    from simulator.card.personalise import cached_portrait, load_person

    holders = sorted(
        {c.card_holder for c in citizens if c.scenario.identity is not Identity.MANUAL}
    )
    for holder in holders:
        person, issued = load_person(db_url, holder)
        cached_portrait(person, issued, card_portraits_dir(state_dir))
    return len(holders)


async def warm_reference_photos(
    client: PortalClient, token: str, citizens: Sequence[Citizen]
) -> int:
    """Ask the portal once for the reference photo of each manual-entry citizen; the bytes
    are overwritten at once (a biometric)."""
    manual = [c.id_number for c in citizens if c.scenario.identity is Identity.MANUAL]
    for id_number in manual:
        photo = bytearray(await client.reference_photo(token, id_number))
        photo[:] = bytes(len(photo))
    return len(manual)
