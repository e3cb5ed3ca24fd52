"""The rehearsal's scenarios: what each simulated citizen brings to the booth (card, finger,
face, phone) and the outcome the booth must reach. Names are stable: CI and docs cite them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Identity(StrEnum):
    CARD = "card"  # the citizen's card in the reader
    MANUAL = "manual"  # no card: the operator types the ID number and date of birth
    OTHER_CARD = "other_card"  # someone else's genuine card


class Mobile(StrEnum):
    OWN = "own"
    OTHER_FIRST = "other_first"  # first a number in someone else's name, then their own


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    expected: str  # "completed" or "stopped:<reason>" (a prefix of the core's reason)
    summary: str
    identity: Identity = Identity.CARD
    card: str = "valid"  # `hawiya simulator card --scenario`
    registered: bool = False  # the person already has a portal account
    finger: str = "right_finger"  # `hawiya simulator scanner --scenario`
    attack: str | None = None  # `hawiya simulator camera` attack in front of the camera
    wrong_codes: int = 0  # wrong SMS codes typed before the right one
    mobile: Mobile = Mobile.OWN

    def as_expected(self, outcome: str) -> bool:
        """The core adds details after a colon (the card's failure, the liveness cues): the
        expected outcome names the reason, and any detail after it is accepted."""
        return outcome == self.expected or outcome.startswith(self.expected + ":")


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("compliant", "completed", "genuine card, right finger, live face, own phone"),
    Scenario(
        "compliant_manual",
        "completed",
        "no card: typed ID and birth date, face matched to the portal's reference photo",
        identity=Identity.MANUAL,
    ),
    Scenario(
        "already_registered",
        "stopped:already_registered",
        "the record shows a portal account already",
        registered=True,
    ),
    Scenario(
        "expired_card", "stopped:card_expired", "genuine card, expired 30 days ago", card="expired"
    ),
    Scenario(
        "forged_card",
        "stopped:card_not_authentic",
        "DG1 altered after signing (odd occurrences: signed under an unknown CA)",
        card="tampered",
    ),
    Scenario(
        "wrong_finger",
        "stopped:fingerprint_not_verified",
        "the same finger of the other hand, three times; the operator stops",
        finger="wrong_finger",
    ),
    Scenario(
        "scarred_finger_exception",
        "completed",
        "right index heavily scarred since the record was taken: the portal answers no_match "
        "three times, a supervisor signs in and approves an exception, the portal accepts it "
        "and flags the account for review",
        finger="heavily_scarred_finger",
    ),
    Scenario(
        "photo_attack",
        "stopped:face_not_live",
        "a flat print of the card holder's photo held up to the camera",
        attack="print_flat",
    ),
    Scenario(
        "screen_attack",
        "stopped:face_not_live",
        "the card holder's photo on a phone screen",
        attack="phone_photo",
    ),
    Scenario(
        "other_persons_card",
        "stopped:fingerprint_not_verified",
        "a genuine card of someone else: the citizen's own finger does not match the card "
        "holder's record, which stops the enrollment before the face step",
        identity=Identity.OTHER_CARD,
    ),
    Scenario(
        "wrong_sms_code",
        "completed",
        "one mistyped SMS code, then the right one",
        wrong_codes=1,
    ),
    Scenario(
        "mobile_not_in_name",
        "completed",
        "first a number registered to someone else (refused), then their own",
        mobile=Mobile.OTHER_FIRST,
    ),
)

BY_NAME: dict[str, Scenario] = {scenario.name: scenario for scenario in SCENARIOS}


class UnknownScenarioError(ValueError):
    pass


def parse_scenarios(text: str | None) -> tuple[Scenario, ...]:
    """`a,b,c` to scenarios, in that order (all of them when empty)."""
    if not text:
        return SCENARIOS
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise UnknownScenarioError(
            f"unknown scenario(s): {', '.join(unknown)}; choose from {', '.join(BY_NAME)}"
        )
    return tuple(BY_NAME[name] for name in names)


def cycle(scenarios: tuple[Scenario, ...], people: int) -> list[Scenario]:
    """Scenarios cycled over the citizens: 12 people cover each scenario once, 30 twice."""
    return [scenarios[index % len(scenarios)] for index in range(people)]
