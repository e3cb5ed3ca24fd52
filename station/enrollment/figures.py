"""The booth's figures for today, from the station database: how many enrollments, how many
succeeded, how long one takes, and why the others stopped."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from station.enrollment.local_time import SAUDI_TIME, local_day_bounds
from station.enrollment_store import EnrollmentStore, FinishedEnrollment

COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class BoothFigures:
    day: date  # the booth's local day
    enrollments: int  # finished today, whatever the outcome
    completed: int
    median_seconds: float | None  # of the completed ones: what a successful enrollment takes
    median_step_seconds: dict[str, float]  # per step, over the completed ones
    top_failure_reasons: tuple[tuple[str, int], ...]  # most frequent first

    @property
    def success_rate(self) -> float | None:
        """Completed over all finished today (cancelled ones count as not completed)."""
        return None if self.enrollments == 0 else self.completed / self.enrollments


def figures_of(day: date, enrollments: Sequence[FinishedEnrollment], top: int = 3) -> BoothFigures:
    done = [item for item in enrollments if item.outcome == COMPLETED]
    steps: dict[str, list[float]] = {}
    for item in done:
        for step, seconds in item.step_seconds.items():
            steps.setdefault(step, []).append(seconds)
    # A reason may carry a detail after a colon ("not_eligible:id_expired"): count the detail
    # too, it is what tells a booth what to fix.
    reasons = Counter(
        item.reason or item.outcome for item in enrollments if item.outcome != COMPLETED
    )
    return BoothFigures(
        day=day,
        enrollments=len(enrollments),
        completed=len(done),
        median_seconds=statistics.median(item.seconds for item in done) if done else None,
        median_step_seconds={step: statistics.median(values) for step, values in steps.items()},
        top_failure_reasons=tuple(
            sorted(reasons.items(), key=lambda pair: (-pair[1], pair[0]))[:top]
        ),
    )


def booth_figures(store: EnrollmentStore, now: datetime, tz: tzinfo = SAUDI_TIME) -> BoothFigures:
    """Today's figures: enrollments started on the booth's local day holding `now`."""
    start, end = local_day_bounds(now, tz)
    return figures_of(start.date(), store.enrollments_started_between(start, end))


def format_seconds(seconds: float) -> str:
    """ "1 min 05 s" or "42 s": the way the booth shows a duration."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"
