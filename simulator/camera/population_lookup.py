"""Finds a person of the population by ID number, to put their face in front of the camera."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from fixtures.records import Person, PopulationInfo
from simulator.subject.identity import FaceIdentity, identity_for_person


class PersonNotFoundError(LookupError):
    """No such ID number in the population, or the population cannot be read."""


def lookup_identity(db_url: str, id_number: str, on: date | None = None) -> FaceIdentity:
    """The face of the person with `id_number`, aged as on `on` (default: the population's
    reference date when it has one, else today)."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            person = session.get(Person, id_number)
            if person is None:
                raise PersonNotFoundError(f"no person with ID number {id_number} in the population")
            if on is None:
                info = session.exec(select(PopulationInfo)).first()
                on = info.reference_date if info is not None else date.today()
            return identity_for_person(person, on)
    except SQLAlchemyError as error:
        raise PersonNotFoundError(f"the population database cannot be read: {error}") from error
    finally:
        engine.dispose()
