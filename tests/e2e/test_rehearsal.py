"""`hawiya rehearse --people 30 --seed 1` end to end, as the acceptance asks: the real booth
(portal, pcscd, virtual cards, scanner, camera, customer display, the enrollment core with the
real adapters) walks 30 citizens through enrollment, every scenario at least twice, as a
subprocess, and its JSON report holds the stable keys. About 3 minutes of wall time on the
2-core machine (docs/rehearsal.md, "Figures").

It needs the machine's only pcscd socket: it waits (up to `--pcscd-wait`) while another test
or booth holds it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hawiya.rehearsal.citizen import CitizenResult, HumanTimeline, _mistyped
from hawiya.rehearsal.people import Citizen
from hawiya.rehearsal.report import face_sessions, report
from hawiya.rehearsal.run import walk_citizens
from hawiya.rehearsal.scenarios import BY_NAME, SCENARIOS, cycle

# Machine time: the person in front of the camera follows each prompt at once, so a live face
# session takes about 4 s; an attack ends on its image cues or at the challenge deadlines.
PEOPLE = 30
# pcscd is one per machine: the rehearsal waits for it (--pcscd-wait, 180 s) within this.
TIMEOUT_S = 900


@pytest.mark.timeout(TIMEOUT_S + 60)  # the subprocess's own limit first, then pytest's
def test_thirty_people_with_seed_1_reach_every_expected_outcome(tmp_path: Path) -> None:
    out = tmp_path / "rehearsal.json"
    completed = subprocess.run(
        [
            sys.executable, "-m", "hawiya", "rehearse", "--people", str(PEOPLE),
            "--seed", "1", "--json", str(out), "--state-dir", str(tmp_path / "booth"),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )  # fmt: skip
    said = f"exit {completed.returncode}\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
    assert out.exists(), f"no report: {said}"
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "aborted" not in report["summary"], said
    citizens = report["citizens"]
    assert [c["scenario"] for c in citizens] == [s.name for s in cycle(SCENARIOS, PEOPLE)]
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
    assert not unexpected, (unexpected, completed.stderr[-2000:])
    assert summary["all_as_expected"] is True
    assert completed.returncode == 0, completed.stderr[-2000:]
    # One line per citizen, then the table.
    assert completed.stdout.count("#") >= PEOPLE
    assert "every outcome as expected" in completed.stdout
    # The scarred finger really goes the exception's way: the portal's no_match answers, the
    # supervisor signed in at the station's check, the portal accepted the exception.
    scarred = [c for c in citizens if c["scenario"] == "scarred_finger_exception"]
    assert any(
        any("exception approved by supervisor-1" in note for note in c["notes"]) for c in scarred
    ), [c["notes"] for c in scarred]
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


def test_the_face_sessions_summary_says_where_the_face_steps_time_went() -> None:
    citizen = Citizen(
        1, BY_NAME["compliant"], "1000000008", date(1990, 1, 1), "male", "Ali", "Saad",
        "+966512345678", "1000000008", "valid", None,
    )  # fmt: skip
    repeated = CitizenResult(citizen, outcome="completed")
    repeated.face_sessions = [
        {"decision": "not_live", "seconds": 11.0, "fps": 14.0, "reactions_s": [0.5, None]},
        {"decision": "match", "seconds": 4.0, "fps": 15.0, "reactions_s": [0.45, 0.55]},
    ]
    once = CitizenResult(citizen, outcome="completed")
    once.face_sessions = [{"decision": "match", "seconds": 5.0, "fps": 12.0, "reactions_s": [0.6]}]

    figures = face_sessions([repeated, once])

    assert figures == {
        "count": 3,
        "seconds_median": 5.0,
        "live_seconds_median": 4.5,
        "fps_median": 14.0,
        "reaction_seconds_median": 0.53,  # of 0.45, 0.5, 0.55, 0.6
        "repeated": 1,
    }


async def test_a_fault_on_one_citizen_is_their_outcome_and_the_others_still_come() -> None:
    people = [
        Citizen(
            n, BY_NAME["compliant"], id_number, date(1990, 1, 1), "male", "Ali", "Saad",
            "+966512345678", id_number, "valid", None,
        )
        for n, id_number in ((1, "1000000008"), (2, "1000000016"), (3, "1000000024"))
    ]  # fmt: skip

    async def enroll(citizen: Citizen) -> CitizenResult:
        if citizen.number == 2:
            raise TimeoutError("the camera did not answer in 30 s")
        return CitizenResult(citizen, outcome="completed", machine_seconds=4.0)

    results: list[CitizenResult] = []
    lines: list[str] = []
    await walk_citizens(enroll, people, results, lambda r: lines.append(r.outcome))
    assert [r.outcome for r in results] == ["completed", "error", "completed"]
    assert lines == ["completed", "error", "completed"]
    assert results[1].notes == [
        "the rehearsal failed here: TimeoutError: the camera did not answer in 30 s"
    ]
    summary = report(results, seed=1, human_delays=False)["summary"]
    assert summary["all_as_expected"] is False
