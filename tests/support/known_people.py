"""A handful of people with known outcomes (eligible, registered, deceased, minor, expired ID),
dated relative to today so their outcome never drifts; any test folder may look them up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from fixtures.hijri import to_hijri
from fixtures.national_id import IdKind, make_id_number
from fixtures.records import Person
from portal_mock.clock import riyadh_date, utc_now
from portal_mock.db import create_db_engine, create_tables


@dataclass(frozen=True)
class KnownPerson:
    id_number: str
    birth_date: date
    name_en: str
    name_ar: str

    @property
    def birth_date_hijri(self) -> str:
        return to_hijri(self.birth_date)


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


def _today() -> date:
    return riyadh_date(utc_now())


# Bodies in the 99-million range keep clear of a generated population's numbers in practice;
# an accidental clash fails loudly at insert (primary key).
def _person(
    kind: IdKind,
    body: int,
    names_en: tuple[str, str, str, str],
    names_ar: tuple[str, str, str, str],
    *,
    sex: str,
    birth: date,
    id_expiry: date,
    **extra: Any,
) -> Person:
    return Person(
        id_number=make_id_number(kind, body),
        kind=kind,
        sex=sex,
        given_name_ar=names_ar[0],
        father_name_ar=names_ar[1],
        grandfather_name_ar=names_ar[2],
        family_name_ar=names_ar[3],
        given_name_en=names_en[0],
        father_name_en=names_en[1],
        grandfather_name_en=names_en[2],
        family_name_en=names_en[3],
        nationality="SAU" if kind == "citizen" else "EGY",
        birth_date=birth,
        birth_date_hijri=to_hijri(birth),
        id_expiry=id_expiry,
        family_id=f"F{body:08d}",
        face_seed=body,
        fingerprint_seed=body + 1,
        **extra,
    )


def known_people(today: date | None = None) -> dict[str, Person]:
    """The known people by outcome: eligible, already_registered, deceased, under_age,
    id_expired."""
    day = today or _today()
    valid = day + timedelta(days=5 * 365)
    return {
        "eligible": _person(
            "citizen",
            99_000_001,
            ("Mohammed", "Abdullah", "Saad", "Al-Qahtani"),
            ("محمد", "عبدالله", "سعد", "القحطاني"),
            sex="male",
            birth=date(1990, 5, 17),
            id_expiry=valid,
        ),
        "already_registered": _person(
            "resident",
            99_000_002,
            ("Fatma", "Ahmed", "Hassan", "Mahmoud"),
            ("فاطمة", "أحمد", "حسن", "محمود"),
            sex="female",
            birth=date(1985, 11, 3),
            id_expiry=valid,
            has_portal_account=True,
            portal_username="fatma.known",
        ),
        "deceased": _person(
            "citizen",
            99_000_003,
            ("Saleh", "Ibrahim", "Nasser", "Al-Harbi"),
            ("صالح", "إبراهيم", "ناصر", "الحربي"),
            sex="male",
            birth=date(1950, 2, 1),
            id_expiry=valid,
            status="deceased",
            death_date=day - timedelta(days=400),
        ),
        "under_age": _person(
            "citizen",
            99_000_004,
            ("Noura", "Khalid", "Fahd", "Al-Otaibi"),
            ("نورة", "خالد", "فهد", "العتيبي"),
            sex="female",
            birth=_years_before(day, 10),
            id_expiry=valid,
        ),
        "id_expired": _person(
            "resident",
            99_000_005,
            ("Ravi", "Kumar", "Suresh", "Nair"),
            ("رافي", "كومار", "سوريش", "ناير"),
            sex="male",
            birth=date(1979, 8, 30),
            id_expiry=day - timedelta(days=30),
        ),
    }


def known(outcome: str) -> KnownPerson:
    """The known person with `outcome`, as a test needs them (id, birth date, names)."""
    person = known_people()[outcome]
    return KnownPerson(person.id_number, person.birth_date, person.name_en, person.name_ar)


def insert_known_people(db_url: str) -> None:
    """Add the known people to the national records at `db_url`."""
    engine = create_db_engine(db_url)
    try:
        create_tables(engine)
        with Session(engine) as session:
            session.add_all(known_people().values())
            session.commit()
    finally:
        engine.dispose()
