"""The audit trail: one row per security-relevant event, written in the request's session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from portal_mock.tables import AuditEvent


def record_event(
    session: Session,
    *,
    at: datetime,
    action: str,
    outcome: str,
    station_id: str | None = None,
    operator: str | None = None,
    subject_id_number: str | None = None,
) -> None:
    """Add an audit event and commit it, so it survives the request failing afterwards."""
    # A Core insert: the ORM's unit of work costs about a millisecond per event for nothing.
    session.execute(
        insert(AuditEvent).values(
            at=at,
            action=action,
            outcome=outcome,
            station_id=station_id,
            operator=operator,
            subject_id_number=subject_id_number,
        )
    )
    session.commit()
