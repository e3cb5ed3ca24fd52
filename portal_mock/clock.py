"""The portal's notion of now: aware UTC for storage, the Riyadh calendar day for age rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

# Saudi Arabia keeps UTC+3 all year (no daylight saving), so a fixed offset is exact and needs
# no tz database on the booth.
RIYADH = timezone(timedelta(hours=3), "AST")


def utc_now() -> datetime:
    return datetime.now(UTC)


def riyadh_date(moment: datetime) -> date:
    """The calendar day in Riyadh at `moment`: ages and expiries change at Saudi midnight."""
    return moment.astimezone(RIYADH).date()


class Clock:
    """The clock of the portal's enrollment timers (SMS code expiry, resend back-off): real
    UTC time plus an offset. Only a portal in simulation mode lets a caller advance it
    (`POST /v1/simulation/clock`), so tests check a 10-minute expiry without waiting 10 minutes.
    Station signatures keep using the real time (`utc_now`)."""

    def __init__(self) -> None:
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return utc_now() + self._offset

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._offset += timedelta(seconds=seconds)
        return self.now()
