"""The national record's reference fingerprints, behind a small interface.

A real portal holds templates enrolled long ago. The simulated one gets them from a
`ReferenceFingerprints` source chosen where the portal is assembled (`hawiya portal serve`
renders them from the population's synthetic fingers) and keeps each one it was given, so a
finger is rendered at most once however often it is verified.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from fixtures.records import Person
from portal_mock.tables import FingerprintReference


class ReferenceFingerprints(Protocol):
    """Makes the reference templates (ISO/IEC 19794-2 records) of one finger of a person."""

    def templates_for(self, person: Person, finger_position: int) -> Sequence[bytes]: ...


class NoReferenceFingerprints:
    """The source of a portal that has no fingerprint records: every finger has none."""

    def templates_for(self, person: Person, finger_position: int) -> Sequence[bytes]:
        return ()


def missing_fingers(person: Person) -> set[int]:
    return {int(part) for part in person.missing_fingers.split(",") if part.strip()}


def reference_templates(
    session: Session,
    source: ReferenceFingerprints,
    person: Person,
    finger_position: int,
    now: datetime,
) -> list[bytes]:
    """The kept templates of this finger, asking the source (and keeping its answer) once."""
    kept = session.exec(
        select(FingerprintReference)
        .where(
            FingerprintReference.id_number == person.id_number,
            FingerprintReference.finger_position == finger_position,
        )
        .order_by(FingerprintReference.impression)  # type: ignore[arg-type]
    ).all()
    if kept:
        return [row.template for row in kept]
    made = list(source.templates_for(person, finger_position))
    for impression, template in enumerate(made):
        session.add(
            FingerprintReference(
                id_number=person.id_number,
                finger_position=finger_position,
                impression=impression,
                template=template,
                made_at=now,
            )
        )
    try:
        session.commit()
    except IntegrityError:
        # Another request kept the same finger first; its templates are the same renders.
        session.rollback()
    return made
