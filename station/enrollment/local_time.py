"""The booth's local time: what "today" means for a lookup, a receipt and the day's figures."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

# Saudi Arabia keeps UTC+3 all year (no daylight saving), so a fixed offset is exact and
# needs no time-zone database on the booth.
SAUDI_TIME: tzinfo = timezone(timedelta(hours=3), "AST")


def local_day_bounds(moment: datetime, tz: tzinfo = SAUDI_TIME) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of the local day holding `moment`, as aware datetimes."""
    local = moment.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)
