"""Whole sessions in front of the simulated camera: a live person following the prompts
passes with every challenge; each presentation attack fails, for the reason that fits it."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.bench_pad import BONA_FIDE, SessionRun, SessionSpec, run_session
from matcher.face import FaceLandmarker, LandmarkMode, QualityCheck, assess_quality
from matcher.liveness import Challenge, ChallengeOutcome, LivenessSettings
from matcher.liveness import messages as m
from simulator.subject.attacks import AttackKind
from simulator.subject.behaviour import Scenario
from tests.matcher.liveness.conftest import fresh_run

LIVE_A = (Challenge.TURN_LEFT, Challenge.BLINK, Challenge.SMILE)
LIVE_B = (Challenge.LOOK_UP, Challenge.TURN_RIGHT)


@pytest.fixture(scope="module")
def live_a(video_landmarker: FaceLandmarker) -> SessionRun:
    return fresh_run(video_landmarker, BONA_FIDE, LIVE_A, keep_frames=True)


@pytest.fixture(scope="module")
def live_b(video_landmarker: FaceLandmarker) -> SessionRun:
    return fresh_run(video_landmarker, BONA_FIDE, LIVE_B, seed=8)


@pytest.fixture(scope="module")
def attacks(video_landmarker: FaceLandmarker) -> dict[AttackKind, SessionRun]:
    challenges = {
        AttackKind.PRINT_FLAT: (Challenge.TURN_LEFT, Challenge.BLINK),
        AttackKind.PRINT_BENT: (Challenge.TURN_RIGHT, Challenge.SMILE),
        AttackKind.PHONE_PHOTO: (Challenge.TURN_LEFT, Challenge.SMILE),
        AttackKind.TABLET_PHOTO: (Challenge.TURN_RIGHT, Challenge.BLINK),
        AttackKind.REPLAY: (Challenge.BLINK, Challenge.TURN_LEFT),
        AttackKind.CUTOUT_EYES: (Challenge.TURN_RIGHT, Challenge.BLINK),
    }
    return {
        kind: fresh_run(video_landmarker, kind.value, sequence)
        for kind, sequence in challenges.items()
    }


@pytest.mark.parametrize("which", ["live_a", "live_b"])
def test_a_live_person_passes_every_challenge(which: str, request: pytest.FixtureRequest) -> None:
    run: SessionRun = request.getfixturevalue(which)
    result = run.result
    assert result.live, [r.en for r in result.reasons]
    assert result.reasons == ()
    assert [o.challenge for o in result.challenges] == list(run.spec.challenges)
    for outcome in result.challenges:
        assert outcome.passed
        assert outcome.reaction_s is not None
        assert 0.2 <= outcome.reaction_s <= 5.0
    assert result.passive.depth.passed
    assert result.passive.depth.value >= result.passive.depth.threshold
    assert result.passive.colour_moire.passed
    assert run.seconds < 12.0


def test_the_best_frame_is_frontal_and_the_highest_quality(live_a: SessionRun) -> None:
    best = live_a.result.best_frame
    assert best is not None
    assert best.quality[QualityCheck.YAW].passed
    assert best.quality[QualityCheck.PITCH].passed
    # It is one of the session's frames, and no frontal frame of the session scores better.
    index = round(best.timestamp_s * 15)
    assert (live_a.images[index] == best.image).all()
    best_passed = sum(q.passed for q in best.quality.measures)
    eyes = []
    with FaceLandmarker(LandmarkMode.STILL) as still:
        for image in live_a.images[::5]:
            report = assess_quality(image, still.detect(image))
            if report[QualityCheck.FACE_COUNT].passed and report[QualityCheck.YAW].passed:
                assert sum(q.passed for q in report.measures) <= best_passed
                eyes.append(report[QualityCheck.EYES_OPEN].value)
    # Eyes as open as the person's usually are: not a frame from a blink.
    assert best.quality[QualityCheck.EYES_OPEN].value >= 0.85 * float(np.median(eyes))


@pytest.mark.parametrize("kind", list(AttackKind))
def test_every_attack_fails(kind: AttackKind, attacks: dict[AttackKind, SessionRun]) -> None:
    result = attacks[kind].result
    assert not result.live
    assert result.reasons


def _reasons(run: SessionRun) -> list[str]:
    return [r.en for r in run.result.reasons]


@pytest.mark.parametrize("kind", [AttackKind.PRINT_FLAT, AttackKind.PRINT_BENT])
def test_a_print_cannot_turn_its_face(
    kind: AttackKind, attacks: dict[AttackKind, SessionRun]
) -> None:
    run = attacks[kind]
    turn = run.spec.challenges[0]
    assert not run.result.challenges[0].passed
    reasons = _reasons(run)
    assert m.not_done(turn).en in reasons or m.FLAT_FACE.en in reasons
    assert not run.result.passive.depth.passed


@pytest.mark.parametrize("kind", [AttackKind.PHONE_PHOTO, AttackKind.TABLET_PHOTO])
def test_a_photo_on_a_screen_fails_on_depth_or_moire(
    kind: AttackKind, attacks: dict[AttackKind, SessionRun]
) -> None:
    reasons = _reasons(attacks[kind])
    assert m.SCREEN.en in reasons or m.NO_TURN.en in reasons or m.FLAT_FACE.en in reasons


def test_a_replayed_session_shows_screen_moire(attacks: dict[AttackKind, SessionRun]) -> None:
    run = attacks[AttackKind.REPLAY]
    assert m.SCREEN.en in _reasons(run)
    assert run.result.passive.colour_moire.frames >= 3


def test_a_print_with_cut_out_eyes_does_not_turn_like_a_head(
    attacks: dict[AttackKind, SessionRun],
) -> None:
    # The attacker turns their own head, but what FaceMesh follows is the flat print tied to
    # it: it reads far less than the 20 degrees asked, and no depth shows.
    run = attacks[AttackKind.CUTOUT_EYES]
    turn = run.result.challenges[0]
    assert turn.challenge is Challenge.TURN_RIGHT
    assert not turn.passed
    assert not run.result.passive.depth.passed
    reasons = _reasons(run)
    assert m.not_done(Challenge.TURN_RIGHT).en in reasons
    assert m.NO_TURN.en in reasons or m.FLAT_FACE.en in reasons


def test_a_prompt_no_one_can_answer_in_time_fails(video_landmarker: FaceLandmarker) -> None:
    # People react after 0.3-0.9 s: a 0.25 s deadline cannot be met.
    hurried = LivenessSettings(challenge_deadline_s=0.25, retries=0)
    run = fresh_run(video_landmarker, BONA_FIDE, (Challenge.SMILE, Challenge.TURN_LEFT), hurried)
    result = run.result
    assert not result.live
    assert result.challenges[0] == ChallengeOutcome(Challenge.SMILE, False, None)
    assert m.not_done(Challenge.SMILE).en in _reasons(run)


# A seed whose person smiled while still coming back from the turn when asked at once: it
# failed the smile's first ask before the rest was awaited (as did 4 of 5 other seeds).
@pytest.mark.parametrize("seed", [4])
def test_after_a_turn_the_next_challenge_is_asked_once_the_face_is_back_at_rest(
    seed: int, video_landmarker: FaceLandmarker
) -> None:
    """People at their own pace hold a turn for a second or more and often go from it
    straight into the next movement; asked while still turned, they were not seen at rest
    after the prompt and missed the first ask. Now the prompt clears after a turn and the
    next one comes at rest: no second ask is needed (none is allowed here)."""
    first_ask_only = LivenessSettings(retries=0)
    run = fresh_run(
        video_landmarker,
        BONA_FIDE,
        (Challenge.TURN_RIGHT, Challenge.SMILE, Challenge.BLINK),
        first_ask_only,
        seed=seed,
    )
    assert run.result.live, _reasons(run)
    assert [c.passed for c in run.result.challenges] == [True, True, True]
    for outcome in run.result.challenges:
        assert outcome.reaction_s is not None
        assert outcome.reaction_s < first_ask_only.challenge_deadline_s


def test_a_blink_the_camera_cannot_read_is_replaced_by_another_challenge_on_the_retry(
    video_landmarker: FaceLandmarker,
) -> None:
    """This man's lids close behind his glasses, but FaceMesh reads them 0.9-1.0 open at the
    bottom of every blink: asked to blink twice, he failed. The retry now asks another kind."""
    glasses = SessionSpec(
        presentation=BONA_FIDE,
        identity_seed=23,
        sex="male",
        age=53.0,
        nationality="SAU",
        behaviour_seed=3,
        scenario=Scenario.COOPERATIVE,
        challenges=(Challenge.TURN_LEFT, Challenge.BLINK),
        exposure=1.0,
    )
    run = run_session(glasses, video_landmarker, LivenessSettings(retries=1))
    assert run.result.live, _reasons(run)
    assert run.result.missed == (Challenge.BLINK,)
    assert [o.challenge for o in run.result.challenges] == [Challenge.TURN_LEFT, Challenge.SMILE]
    assert all(o.passed for o in run.result.challenges)
