"""Who comes to the booth: citizens drawn from the population, deterministically by the seed,
each fitting their scenario (an adult on record with a phone in their name; an account already
for `already_registered`; someone clearly different for `other_persons_card`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from fixtures.records import MobileLine, Person
from hawiya.rehearsal.scenarios import Identity, Scenario

RIGHT_INDEX = "2"
MINIMUM_AGE = 16  # the portal's 15, with a year's margin against birthdays on the day


@dataclass(frozen=True, slots=True)
class Citizen:
    number: int  # 1-based, in the order they come
    scenario: Scenario
    id_number: str
    birth_date: date
    sex: str
    given_name_en: str
    family_name_en: str
    mobile: str  # +9665XXXXXXXX, in their name
    card_holder: str  # whose card they hand over (their own unless other_persons_card)
    card_scenario: str
    other_mobile: str | None  # a number in someone else's name (mobile_not_in_name)

    @property
    def local_mobile(self) -> str:
        return "0" + self.mobile.removeprefix("+966")


class NotEnoughPeopleError(RuntimeError):
    pass


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _fits(person: Person, today: date) -> bool:
    return (
        person.status == "active"
        and person.id_expiry > today
        and _age(person.birth_date, today) >= MINIMUM_AGE
        and RIGHT_INDEX not in person.missing_fingers.split(",")
        and RIGHT_INDEX not in person.scarred_fingers.split(",")
    )


def choose_citizens(
    db_url: str, scenarios: list[Scenario], seed: int, today: date
) -> list[Citizen]:
    """One citizen per scenario slot; nobody comes twice."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            persons = sorted(session.exec(select(Person)).all(), key=lambda p: p.id_number)
            lines = session.exec(select(MobileLine).order_by(col(MobileLine.number))).all()
    finally:
        engine.dispose()
    phones: dict[str, str] = {}
    for line in lines:
        phones.setdefault(line.owner_id_number, line.number)
    fitting = [p for p in persons if _fits(p, today) and p.id_number in phones]
    rng = random.Random(seed)
    fresh = [p for p in fitting if not p.has_portal_account]
    registered = [p for p in fitting if p.has_portal_account]
    rng.shuffle(fresh)
    rng.shuffle(registered)
    used: set[str] = set()
    citizens: list[Citizen] = []
    forged = 0
    for number, scenario in enumerate(scenarios, start=1):
        pool = registered if scenario.registered else fresh
        person = _take(pool, used, scenario.name)
        holder = person.id_number
        if scenario.identity is Identity.OTHER_CARD:
            holder = _take_unlike(fresh, used, person).id_number
        card = scenario.card
        if scenario.name == "forged_card":
            card = "tampered" if forged % 2 == 0 else "unknown-ca"
            forged += 1
        other_mobile = None
        if scenario.mobile.value == "other_first":
            other_mobile = next(
                phones[p.id_number] for p in fresh if p.id_number != person.id_number
            )
        citizens.append(
            Citizen(
                number=number,
                scenario=scenario,
                id_number=person.id_number,
                birth_date=person.birth_date,
                sex=person.sex,
                given_name_en=person.given_name_en,
                family_name_en=person.family_name_en,
                mobile=phones[person.id_number],
                card_holder=holder,
                card_scenario=card,
                other_mobile=other_mobile,
            )
        )
    return citizens


def _take(pool: list[Person], used: set[str], scenario: str) -> Person:
    for person in pool:
        if person.id_number not in used:
            used.add(person.id_number)
            return person
    raise NotEnoughPeopleError(
        f"the population has no more people for {scenario!r}: generate a larger one "
        "(--population) or rehearse fewer people"
    )


def _take_unlike(pool: list[Person], used: set[str], person: Person) -> Person:
    """Another sex and nationality: the synthetic faces of similar people can lie within the
    matcher's threshold (docs/simulated-subject.md, false match rate), which would make the
    scenario test the generator rather than the booth."""
    for other in pool:
        if (
            other.id_number not in used
            and other.sex != person.sex
            and other.nationality != person.nationality
        ):
            used.add(other.id_number)
            return other
    return _take(pool, used, "other_persons_card")
