"""Simulated enrollment duration per step: two small rehearsals (`hawiya rehearse`, the real
booth as processes on loopback) of citizens who complete. Machine time: human delays off, the
person in front of the camera following each liveness prompt at once (0.25 s, just over the
check's shortest human reaction). A person's time: human delays on, the person reacting,
sometimes late, at a person's pace, plus the simulated reading, typing and finger placing.
Goals (issue 6): machine time under 5 s per enrollment, a person's under 2 minutes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.table import format_table

_SCENARIOS = "compliant,compliant_manual,wrong_sms_code"
_PEOPLE = 3
_TIMEOUT_S = 900
# The machine's one pcscd may be another test's for a while (e.g. the end-to-end rehearsal).
_PCSCD_WAIT_S = 600


def rehearse(
    people: int = _PEOPLE, scenarios: str = _SCENARIOS, seed: int = 1, *, human_delays: bool
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-enrollment-") as work:
        out = Path(work) / "rehearsal.json"
        delays = ["--human-delays"] if human_delays else []
        completed = subprocess.run(
            [
                sys.executable, "-m", "hawiya", "rehearse", "--people", str(people),
                "--seed", str(seed), "--scenarios", scenarios, *delays,
                "--json", str(out), "--state-dir", str(Path(work) / "booth"),
                "--pcscd-wait", str(_PCSCD_WAIT_S),
            ],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            check=False,
        )  # fmt: skip
        if not out.is_file():
            raise RuntimeError(f"the rehearsal wrote no report: {completed.stderr[-1500:]}")
        data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return data


def run() -> list[dict[str, Any]]:
    machine = rehearse(human_delays=False)["summary"]
    summary = rehearse(human_delays=True)["summary"]
    note = f"{summary['people']} citizens ({_SCENARIOS}), seed 1"
    rows: list[dict[str, Any]] = []
    for step, figures in machine["steps"].items():
        rows.append(
            {
                "benchmark": "enrollment",
                "figure": f"{step}: machine time, median",
                "value": figures["machine_seconds_median"],
                "unit": "s",
            }
        )
    for step, figures in summary["steps"].items():
        rows.append(
            {
                "benchmark": "enrollment",
                "figure": f"{step}: person time, median",
                "value": figures["person_seconds_median"],
                "unit": "s",
            }
        )
    rows += [
        {
            "benchmark": "enrollment",
            "figure": "whole enrollment: machine time, median",
            "value": machine["machine_seconds_median"],
            "unit": "s",
            "baseline": 5.0,
            "note": f"goal < 5 s; {note}, human delays off",
        },
        {
            "benchmark": "enrollment",
            "figure": "whole enrollment: person time, median",
            "value": summary["person_seconds_median"],
            "unit": "s",
            "baseline": 120.0,
            "note": f"goal < 2 min; {note}, human delays simulated",
        },
        {
            "benchmark": "enrollment",
            "figure": "face sessions: liveness loop frame rate, median",
            "value": machine.get("face_sessions", {}).get("fps_median"),
            "unit": "fps",
            "note": "station's liveness loop while the camera renders (camera 15 fps)",
        },
        {
            "benchmark": "enrollment",
            "figure": "outcomes as expected",
            "value": machine["as_expected"] + summary["as_expected"],
            "unit": f"of {machine['people'] + summary['people']}",
        },
    ]
    return rows


if __name__ == "__main__":
    print(format_table(run()))
