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
