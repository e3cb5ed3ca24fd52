"""What the operator reads on the face step: challenge labels with arrows, the result lines."""

from __future__ import annotations

from matcher.face.messages import BilingualMessage
from matcher.liveness import Challenge
from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.enrollment.face_capture import FaceCaptureOutcome, FaceDecision

# Arrows point the way the head moves in the preview, which is the camera's (unmirrored) view:
# a person turning to their own left moves towards the right of the picture.
CHALLENGE_LABELS: dict[Challenge | None, tuple[str, Bilingual]] = {
    None: ("●", Bilingual("Look at the camera", "انظر إلى الكاميرا")),
    Challenge.BLINK: ("◡", Bilingual("Blink", "ارمش بعينيك")),
    Challenge.TURN_LEFT: ("→", Bilingual("Turn head to their left", "أدر رأسك إلى اليسار")),
    Challenge.TURN_RIGHT: ("←", Bilingual("Turn head to their right", "أدر رأسك إلى اليمين")),
    Challenge.SMILE: ("☺", Bilingual("Smile", "ابتسم")),
    Challenge.LOOK_UP: ("↑", Bilingual("Look up", "انظر إلى الأعلى")),
}


def challenge_label(challenge: Challenge | None, seconds_left: float | None) -> str:
    """One line for the preview: arrow, English, Arabic (shaped for the terminal), time left."""
    arrow, words = CHALLENGE_LABELS[challenge]
    left = f"  {seconds_left:.0f} s" if seconds_left is not None else ""
    return f"{arrow} {words.en} · {for_display(words.ar)}{left}"


def as_bilingual(message: BilingualMessage) -> Bilingual:
    return Bilingual(message.en, message.ar)


def match_line(outcome: FaceCaptureOutcome) -> Bilingual | None:
    """The comparison in figures: distance against the threshold, and the model."""
    if outcome.match_distance is None or outcome.threshold is None:
        return None
    verdict = "match" if outcome.decision is FaceDecision.MATCH else "no match"
    verdict_ar = "مطابق" if outcome.decision is FaceDecision.MATCH else "غير مطابق"
    return Bilingual(
        f"Distance {outcome.match_distance:.3f}, threshold {outcome.threshold:.3f} (a match is "
        f"below it): {verdict}. Model {outcome.model}.",
        f"المسافة {outcome.match_distance:.3f} والعتبة {outcome.threshold:.3f} (المطابقة تحتها): "
        f"{verdict_ar}. النموذج {outcome.model}.",
    )
