"""`hawiya rehearse` end to end: the real booth (portal, pcscd, virtual cards, scanner, camera,
customer display, the enrollment core with the real adapters) walks one citizen per scenario
through enrollment, as a subprocess, and its JSON report holds the stable keys.

It needs the machine's only pcscd socket: it waits (up to `--pcscd-wait`) while another test
or booth holds it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hawiya.rehearsal.citizen import HumanTimeline, _mistyped
from hawiya.rehearsal.scenarios import BY_NAME, SCENARIOS, cycle

# Twelve people, one per scenario; each face session runs at a person's pace (5-30 s).
TIMEOUT_S = 900


def test_every_scenario_once_reaches_its_expected_outcome(tmp_path: Path) -> None:
    out = tmp_path / "rehearsal.json"
    completed = subprocess.run(
        [
            sys.executable, "-m", "hawiya", "rehearse", "--people", str(len(SCENARIOS)),
            "--seed", "1", "--json", str(out), "--state-dir", str(tmp_path / "booth"),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )  # fmt: skip
    report = json.loads(out.read_text(encoding="utf-8"))
    citizens = report["citizens"]
    assert [c["scenario"] for c in citizens] == [s.name for s in SCENARIOS]
    for citizen in citizens:
        assert {"scenario", "expected", "outcome", "machine_seconds"} <= citizen.keys()
        assert citizen["machine_seconds"] > 0
    summary = report["summary"]
    assert {"machine_seconds_median", "person_seconds_median", "all_as_expected"} <= set(summary)
    # Without human delays a person's time is the machine's.
    assert summary["person_seconds_median"] == summary["machine_seconds_median"]
    unexpected = [
        (c["scenario"], c["expected"], c["outcome"], c["notes"])
        for c in citizens
        if not c["as_expected"]
    ]
    assert not unexpected, unexpected
    assert summary["all_as_expected"] is True
    assert completed.returncode == 0, completed.stderr[-2000:]
    # One line per citizen, then the table.
    assert completed.stdout.count("#") >= len(SCENARIOS)
    assert "every outcome as expected" in completed.stdout
    # Torn down: the booth's processes are gone and the private state removed nothing else.
    receipts = sorted((tmp_path / "booth" / "receipts").glob("*.pdf"))
    assert len(receipts) == sum(c["outcome"] == "completed" for c in citizens)


def test_thirty_people_meet_every_scenario_at_least_twice() -> None:
    plan = cycle(SCENARIOS, 30)
    assert all(plan.count(scenario) >= 2 for scenario in SCENARIOS)


def test_an_outcome_may_add_detail_after_the_expected_reason() -> None:
    photo = BY_NAME["photo_attack"]
    assert photo.as_expected("stopped:face_not_live:no_turn,screen")
    assert not photo.as_expected("stopped:face_not_live_at_all")
    assert not BY_NAME["compliant"].as_expected("stopped:already_registered")


def test_human_delays_are_seeded_and_only_counted_when_on() -> None:
    first, second, off = HumanTimeline(7, True), HumanTimeline(7, True), HumanTimeline(7, False)
    for timeline in (first, second, off):
        timeline.add("read_consent")
        timeline.add("place_finger")
    assert first.by_step == second.by_step
    assert set(first.by_step) == {"consent", "fingerprint"}
    assert off.by_step == {}


def test_a_mistyped_code_is_never_the_code() -> None:
    for code in ("123456", "000000", "987655", "111112"):
        assert _mistyped(code) != code
        assert len(_mistyped(code)) == 6
