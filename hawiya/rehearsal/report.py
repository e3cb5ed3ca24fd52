"""What a rehearsal prints and writes: one line per citizen, the summary table (outcome per
scenario, expected against got; median and p95 per step and overall), and the JSON report
(`citizens`, `summary`: a stable interface, see docs/rehearsal.md)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

from hawiya.rehearsal.citizen import CitizenResult

STEPS = (
    "identity",
    "lookup",
    "consent",
    "fingerprint",
    "face",
    "account",
    "sms_code",
    "submit",
    "receipt",
)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 12 values is the 12th): no interpolation on few runs."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def citizen_line(result: CitizenResult) -> str:
    citizen = result.citizen
    mark = "ok  " if result.as_expected else "FAIL"
    line = (
        f"{mark} #{citizen.number:02d} {citizen.scenario.name:<25} {citizen.id_number} "
        f"{result.outcome:<45} machine {result.machine_seconds:6.2f} s"
    )
    if result.human_seconds:
        line += f", person {result.person_seconds:6.1f} s"
    if not result.as_expected:
        line += f" (expected {citizen.scenario.expected}; {'; '.join(result.notes[-3:])})"
    return line


def summary(results: Sequence[CitizenResult]) -> dict[str, Any]:
    machine = [r.machine_seconds for r in results]
    person = [r.person_seconds for r in results]
    steps: dict[str, dict[str, float]] = {}
    for step in STEPS:
        values = [r.step_seconds[step] for r in results if step in r.step_seconds]
        people = [
            r.step_seconds[step] + r.human_seconds.get(step, 0.0)
            for r in results
            if step in r.step_seconds
        ]
        if values:
            steps[step] = {
                "machine_seconds_median": round(statistics.median(values), 3),
                "machine_seconds_p95": round(percentile(values, 0.95), 3),
                "person_seconds_median": round(statistics.median(people), 3),
                "count": len(values),
            }
    scenarios: dict[str, dict[str, Any]] = {}
    for result in results:
        entry = scenarios.setdefault(
            result.citizen.scenario.name,
            {"expected": result.citizen.scenario.expected, "got": [], "as_expected": True},
        )
        entry["got"].append(result.outcome)
        entry["as_expected"] = entry["as_expected"] and result.as_expected
    completed = [r.machine_seconds for r in results if r.outcome == "completed"]
    completed_person = [r.person_seconds for r in results if r.outcome == "completed"]
    return {
        "people": len(results),
        "all_as_expected": bool(results) and all(r.as_expected for r in results),
        "as_expected": sum(r.as_expected for r in results),
        "machine_seconds_median": round(statistics.median(machine), 3) if machine else 0.0,
        "machine_seconds_p95": round(percentile(machine, 0.95), 3) if machine else 0.0,
        "person_seconds_median": round(statistics.median(person), 3) if person else 0.0,
        "person_seconds_p95": round(percentile(person, 0.95), 3) if person else 0.0,
        "completed_machine_seconds_median": (
            round(statistics.median(completed), 3) if completed else None
        ),
        "completed_person_seconds_median": (
            round(statistics.median(completed_person), 3) if completed_person else None
        ),
        "steps": steps,
        "scenarios": scenarios,
        "face_sessions": face_sessions(results),
    }


def face_sessions(results: Sequence[CitizenResult]) -> dict[str, Any]:
    """Where the face step's time goes: sessions run, how long, and the liveness loop's
    frame rate while the camera rendered."""
    sessions = [s for r in results for s in r.face_sessions]
    if not sessions:
        return {"count": 0}
    live = [s for s in sessions if s["decision"] in ("match", "no_match")]
    reactions = [value for s in sessions for value in s.get("reactions_s", []) if value is not None]
    return {
        "count": len(sessions),
        "seconds_median": round(statistics.median(s["seconds"] for s in sessions), 2),
        "live_seconds_median": (
            round(statistics.median(s["seconds"] for s in live), 2) if live else None
        ),
        "fps_median": round(statistics.median(s["fps"] for s in sessions), 1),
        "reaction_seconds_median": round(statistics.median(reactions), 2) if reactions else None,
        "repeated": sum(len(r.face_sessions) > 1 for r in results),
    }


def report(results: Sequence[CitizenResult], *, seed: int, human_delays: bool) -> dict[str, Any]:
    return {
        "seed": seed,
        "human_delays": human_delays,
        "citizens": [
            {
                "number": r.citizen.number,
                "scenario": r.citizen.scenario.name,
                "id_number": r.citizen.id_number,
                "card_holder": r.citizen.card_holder,
                "card_scenario": r.citizen.card_scenario,
                "expected": r.citizen.scenario.expected,
                "outcome": r.outcome,
                "as_expected": r.as_expected,
                "machine_seconds": round(r.machine_seconds, 3),
                "person_seconds": round(r.person_seconds, 3),
                "step_seconds": r.step_seconds,
                "human_seconds": r.human_seconds,
                "notes": r.notes,
                "receipt": r.receipt,
                "face_sessions": r.face_sessions,
                "camera_open_seconds": r.camera_open_s,
            }
            for r in results
        ],
        "summary": summary(results),
    }


def summary_table(data: dict[str, Any]) -> str:
    lines = ["", f"{'scenario':<26}{'expected':<46}{'got':<46}ok"]
    for name, entry in data["scenarios"].items():
        got = ", ".join(sorted(set(entry["got"])))
        mark = "yes" if entry["as_expected"] else "NO"
        lines.append(f"{name:<26}{entry['expected']:<46}{got:<46}{mark}")
    lines += ["", f"{'step':<14}{'machine median':>16}{'machine p95':>14}{'person median':>16}"]
    for step, figures in data["steps"].items():
        lines.append(
            f"{step:<14}{figures['machine_seconds_median']:>14.3f} s"
            f"{figures['machine_seconds_p95']:>12.3f} s{figures['person_seconds_median']:>14.1f} s"
        )
    lines.append(
        f"{'overall':<14}{data['machine_seconds_median']:>14.3f} s"
        f"{data['machine_seconds_p95']:>12.3f} s{data['person_seconds_median']:>14.1f} s"
    )
    if data["completed_machine_seconds_median"] is not None:
        lines.append(
            f"completed enrollments: machine median {data['completed_machine_seconds_median']:.2f}"
            f" s, person median {data['completed_person_seconds_median']:.1f} s"
        )
    face = data.get("face_sessions", {})
    if face.get("count"):
        lines.append(
            f"face sessions: {face['count']}, median {face['seconds_median']:.2f} s "
            f"(live ones {face['live_seconds_median']} s), liveness loop "
            f"{face['fps_median']:.1f} fps, challenge reaction median "
            f"{face['reaction_seconds_median']} s, repeated for {face['repeated']} citizens"
        )
    verdict = "every outcome as expected" if data["all_as_expected"] else "NOT as expected"
    lines.append(f"{data['as_expected']}/{data['people']} citizens: {verdict}")
    return "\n".join(lines)
