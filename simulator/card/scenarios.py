"""The card scenarios by name: what is wrong with the card, in its data or in how it behaves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CardScenario(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"  # the expiry date has passed; otherwise genuine
    TAMPERED = "tampered"  # DG1's expiry date pushed out after the SOD was signed
    UNKNOWN_CA = "unknown-ca"  # signed by a document signer of a foreign CSCA
    REMOVED = "removed"  # pulled out while the portrait is being read
    MUTE = "mute"  # stops answering after the application is selected
    SLOW = "slow"  # answers every APDU, late


@dataclass(frozen=True)
class CardBehaviour:
    """How the card answers on the wire."""

    apdu_delay_seconds: float = 0.0
    remove_mid_read: bool = False
    mute_mid_read: bool = False


SLOW_APDU_DELAY_SECONDS = 0.05


def behaviour_for(scenario: CardScenario, apdu_delay_seconds: float | None = None) -> CardBehaviour:
    if scenario is CardScenario.REMOVED:
        return CardBehaviour(remove_mid_read=True)
    if scenario is CardScenario.MUTE:
        return CardBehaviour(mute_mid_read=True)
    if scenario is CardScenario.SLOW:
        delay = SLOW_APDU_DELAY_SECONDS if apdu_delay_seconds is None else apdu_delay_seconds
        return CardBehaviour(apdu_delay_seconds=delay)
    return CardBehaviour(apdu_delay_seconds=apdu_delay_seconds or 0.0)
