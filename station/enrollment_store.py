"""The station's record of enrollments: one row per finished enrollment (outcome, reason, time
per step) and the audit trail (who did what, when). Same SQLite file as `station.store`.

Nothing biometric is stored here: no images, templates or scores' inputs; only ids, outcomes
and timings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, col, select


class EnrollmentRow(SQLModel, table=True):
    """One finished enrollment."""

    __tablename__ = "station_enrollment"  # prefixed: SQLModel's metadata is shared

    id: str = Field(primary_key=True)
    station_id: str
    operator_id: str
    outcome: str  # "completed" | "stopped" | "cancelled"
    reason: str | None = None
    started_at: datetime = Field(index=True)
    ended_at: datetime
    step_seconds: str = "{}"  # JSON object: step name -> seconds spent in it
    portal_enrollment_id: str | None = None


class AuditEventRow(SQLModel, table=True):
    """One audited action of an enrollment."""

    __tablename__ = "station_audit_event"

    seq: int | None = Field(default=None, primary_key=True)
    enrollment_id: str = Field(index=True)
    at: datetime
    operator_id: str
    station_id: str
    action: str  # "transition", "fingerprint.try", "face.session", "cancel", ...
    from_state: str | None = None
    to_state: str | None = None
    detail: str = "{}"  # JSON object of plain values (never biometric)


ENROLLMENT_TABLES = ("station_enrollment", "station_audit_event")


@dataclass(frozen=True, slots=True)
class FinishedEnrollment:
    """A `station_enrollment` row as plain values (times aware UTC, steps parsed)."""

    id: str
    station_id: str
    operator_id: str
    outcome: str
    reason: str | None
    started_at: datetime
    ended_at: datetime
    step_seconds: dict[str, float]
    portal_enrollment_id: str | None

    @property
    def seconds(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()


def _utc(moment: datetime) -> datetime:
    # SQLite keeps no time zone; everything stored here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class EnrollmentStore:
    """Typed access to the enrollment tables; every method is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        tables = SQLModel.metadata.tables
        SQLModel.metadata.create_all(engine, tables=[tables[name] for name in ENROLLMENT_TABLES])

    def add_audit_event(self, row: AuditEventRow) -> None:
        with Session(self.engine) as session:
            session.add(row)
            session.commit()

    def save_enrollment(self, row: EnrollmentRow) -> None:
        with Session(self.engine) as session:
            session.merge(row)
            session.commit()

    def audit_events(self, enrollment_id: str) -> list[AuditEventRow]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(AuditEventRow)
                .where(AuditEventRow.enrollment_id == enrollment_id)
                .order_by(col(AuditEventRow.seq))
            ).all()
            for row in rows:
                row.at = _utc(row.at)
                session.expunge(row)
            return list(rows)

    def enrollments_started_between(
        self, start: datetime, end: datetime
    ) -> Sequence[FinishedEnrollment]:
        """Enrollments started in [start, end), oldest first."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(EnrollmentRow)
                .where(col(EnrollmentRow.started_at) >= start.astimezone(UTC))
                .where(col(EnrollmentRow.started_at) < end.astimezone(UTC))
                .order_by(col(EnrollmentRow.started_at))
            ).all()
            return [_finished(row) for row in rows]


def _finished(row: EnrollmentRow) -> FinishedEnrollment:
    steps: dict[str, Any] = json.loads(row.step_seconds or "{}")
    return FinishedEnrollment(
        id=row.id,
        station_id=row.station_id,
        operator_id=row.operator_id,
        outcome=row.outcome,
        reason=row.reason,
        started_at=_utc(row.started_at),
        ended_at=_utc(row.ended_at),
        step_seconds={str(name): float(value) for name, value in steps.items()},
        portal_enrollment_id=row.portal_enrollment_id,
    )
