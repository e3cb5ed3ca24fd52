"""The audit trail of enrollments: who did what, when, as a structlog event and a station row.

Only plain values go in (text, numbers, booleans, and lists of them): a biometric buffer
(bytes, arrays) handed to the trail by mistake raises instead of reaching the disk.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import structlog

from station.enrollment_store import AuditEventRow, EnrollmentRow, EnrollmentStore

log = structlog.get_logger(__name__)

AuditValue = str | int | float | bool | None | tuple[str | int | float | bool | None, ...]


class BiometricInAuditError(TypeError):
    """A value that is not plain data was handed to the audit trail."""


@dataclass(frozen=True, slots=True)
class AuditEvent:
    enrollment_id: str
    at: datetime
    operator_id: str
    station_id: str
    action: str
    from_state: str | None = None
    to_state: str | None = None
    detail: Mapping[str, AuditValue] | None = None


class EnrollmentJournal(Protocol):
    """Where an enrollment's audit events and its final record go."""

    def record(self, event: AuditEvent) -> None: ...

    def finish(self, record: EnrollmentRow) -> None: ...


def _check_plain(key: str, value: object) -> None:
    if value is None or isinstance(value, str | int | float | bool):
        return
    if isinstance(value, tuple | list):
        for item in value:
            _check_plain(key, item)
        return
    raise BiometricInAuditError(
        f"audit detail {key!r} is a {type(value).__name__}, not plain data: "
        "images, templates and other biometrics never go into the audit trail"
    )


class AuditTrail:
    """Writes each event to the structured log and to `station_audit_event`."""

    def __init__(self, store: EnrollmentStore) -> None:
        self._store = store

    def record(self, event: AuditEvent) -> None:
        detail = dict(event.detail or {})
        for key, value in detail.items():
            _check_plain(key, value)
        log.info(
            "enrollment.audit",
            enrollment_id=event.enrollment_id,
            at=event.at.isoformat(),
            operator_id=event.operator_id,
            station_id=event.station_id,
            action=event.action,
            from_state=event.from_state,
            to_state=event.to_state,
            **{f"detail_{key}": value for key, value in detail.items()},
        )
        self._store.add_audit_event(
            AuditEventRow(
                enrollment_id=event.enrollment_id,
                at=event.at,
                operator_id=event.operator_id,
                station_id=event.station_id,
                action=event.action,
                from_state=event.from_state,
                to_state=event.to_state,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
            )
        )

    def finish(self, record: EnrollmentRow) -> None:
        self._store.save_enrollment(record)
