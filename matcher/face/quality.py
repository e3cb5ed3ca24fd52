"""Portrait quality in the manner of ISO/IEC 19794-5 / ICAO 9303 and BSI OFIQ: each measure
with its value, whether it passes, the requirement, and what the operator should do if not.

Limits live in a `QualityProfile`; `PORTRAIT` holds the enrolment portrait's. The LFW figures
quoted are what the measures give on ordinary press photographs (median, 1st-99th percentile).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from matcher.face.errors import MANY_FACES, NO_FACE
from matcher.face.eyes_and_mouth import measure_eyes_and_mouth
from matcher.face.head_pose import estimate_head_pose
from matcher.face.image_input import BgrImage
from matcher.face.image_measures import measure_face_image
from matcher.face.landmarks import FaceLandmarks
from matcher.face.messages import BilingualMessage


class QualityCheck(StrEnum):
    FACE_COUNT = "face_count"
    INTER_EYE_DISTANCE = "inter_eye_distance"
    YAW = "yaw"
    PITCH = "pitch"
    ROLL = "roll"
    EYES_OPEN = "eyes_open"
    MOUTH_CLOSED = "mouth_closed"
    SHARPNESS = "sharpness"
    EXPOSURE = "exposure"
    CLIPPING = "clipping"
    CONTRAST = "contrast"
    FACE_IN_FRAME = "face_in_frame"


@dataclass(frozen=True)
class QualityProfile:
    # ISO/IEC 19794-5 token frontal image: at least 90 px between the eye centres.
    min_inter_eye_px: float = 90.0
    # ICAO portrait pose tolerances.
    max_yaw_deg: float = 5.0
    max_pitch_deg: float = 5.0
    max_roll_deg: float = 8.0
    # Eye aspect ratio of the less open eye: open eyes 0.24 (0.05-0.36 on LFW, whose low end
    # is blinks and squints); a shut eye is under 0.1.
    min_eye_aspect_ratio: float = 0.15
    # Lip gap / mouth width: closed lips under 0.02; LFW's smiles and speech run to 0.5.
    max_mouth_opening: float = 0.08
    # Laplacian / grey-level spread at canonical scale: LFW 0.54 (1st percentile 0.23); a
    # Gaussian blur of sigma 2 px at that scale brings it to 0.26, sigma 3 to 0.19.
    min_sharpness: float = 0.22
    # Mean grey of the face: LFW 130 (83-193); a third of the light gives 38.
    min_brightness: float = 55.0
    max_brightness: float = 210.0
    # Share of face pixels at 0-5 or 250-255: LFW 99th percentile 1.3%.
    max_clipped: float = 0.10
    # 5th-95th percentile grey range of the face: LFW 109 (64-161); a quarter of it, 27.
    min_contrast: float = 40.0
    # Space the face outline must keep from every edge, as a share of the face's width.
    min_frame_margin: float = 0.05


PORTRAIT = QualityProfile()


@dataclass(frozen=True)
class QualityMeasure:
    check: QualityCheck
    value: float
    passed: bool
    requirement: str  # e.g. ">= 90 px"
    hint: BilingualMessage | None  # what to do; None when the measure passes


@dataclass(frozen=True)
class QualityReport:
    measures: tuple[QualityMeasure, ...]

    @property
    def passed(self) -> bool:
        return all(m.passed for m in self.measures)

    @property
    def failures(self) -> tuple[QualityMeasure, ...]:
        return tuple(m for m in self.measures if not m.passed)

    @property
    def hints(self) -> tuple[BilingualMessage, ...]:
        return tuple(m.hint for m in self.measures if m.hint is not None)

    def __getitem__(self, check: QualityCheck) -> QualityMeasure:
        for measure in self.measures:
            if measure.check is check:
                return measure
        raise KeyError(check)


def assess_quality(
    image: BgrImage, faces: Sequence[FaceLandmarks], profile: QualityProfile = PORTRAIT
) -> QualityReport:
    """All measures for one face; with none or several, only the face count (failed)."""
    count = _face_count(len(faces))
    if not count.passed:
        return QualityReport((count,))
    return QualityReport(
        (
            count,
            *assess_face_geometry(faces[0], profile),
            *assess_face_image(image, faces[0], profile),
        )
    )


def _measure(
    check: QualityCheck, value: float, passed: bool, requirement: str, hint: BilingualMessage
) -> QualityMeasure:
    return QualityMeasure(check, value, passed, requirement, None if passed else hint)


def _face_count(count: int) -> QualityMeasure:
    hint = NO_FACE if count == 0 else MANY_FACES
    return _measure(QualityCheck.FACE_COUNT, count, count == 1, "exactly 1", hint)


def assess_face_geometry(
    face: FaceLandmarks, profile: QualityProfile = PORTRAIT
) -> tuple[QualityMeasure, ...]:
    """The measures that need only landmarks: size, pose, eyes, mouth, framing."""
    pose = estimate_head_pose(face)
    eyes_mouth = measure_eyes_and_mouth(face)
    eye_distance = face.inter_eye_distance
    eyes = min(eyes_mouth.right_eye_aspect_ratio, eyes_mouth.left_eye_aspect_ratio)
    margin = frame_margin(face)
    p = profile
    return (
        _measure(
            QualityCheck.INTER_EYE_DISTANCE,
            eye_distance,
            eye_distance >= p.min_inter_eye_px,
            f">= {p.min_inter_eye_px:g} px",
            BilingualMessage(
                en=f"The face is too small in the picture (eyes {eye_distance:.0f} px apart, "
                f"{p.min_inter_eye_px:.0f} needed). Ask the person to move closer to the camera.",
                ar=f"الوجه صغير جدًا في الصورة (المسافة بين العينين {eye_distance:.0f} بكسل، "
                f"والمطلوب {p.min_inter_eye_px:.0f}). اطلب من الشخص الاقتراب من الكاميرا.",
            ),
        ),
        _measure(
            QualityCheck.YAW,
            pose.yaw,
            abs(pose.yaw) <= p.max_yaw_deg,
            f"within ±{p.max_yaw_deg:g}°",
            BilingualMessage(
                en=f"The head is turned {abs(pose.yaw):.0f}° to the person's "
                f"{'left' if pose.yaw > 0 else 'right'}. Ask them to look straight at the camera.",
                ar=f"الرأس ملتفت {abs(pose.yaw):.0f}° إلى {'يسار' if pose.yaw > 0 else 'يمين'} "
                "الشخص. اطلب منه النظر مباشرة إلى الكاميرا.",
            ),
        ),
        _measure(
            QualityCheck.PITCH,
            pose.pitch,
            abs(pose.pitch) <= p.max_pitch_deg,
            f"within ±{p.max_pitch_deg:g}°",
            BilingualMessage(
                en=f"The head is tilted {abs(pose.pitch):.0f}° "
                f"{'up' if pose.pitch > 0 else 'down'}. Ask the person to keep the chin level "
                "and look into the camera.",
                ar=f"الرأس مائل {abs(pose.pitch):.0f}° إلى "
                f"{'الأعلى' if pose.pitch > 0 else 'الأسفل'}. "
                "اطلب من الشخص إبقاء الذقن مستويًا والنظر إلى الكاميرا.",
            ),
        ),
        _measure(
            QualityCheck.ROLL,
            pose.roll,
            abs(pose.roll) <= p.max_roll_deg,
            f"within ±{p.max_roll_deg:g}°",
            BilingualMessage(
                en=f"The head is tilted {abs(pose.roll):.0f}° to one side. Ask the person to hold "
                "the head upright.",
                ar=f"الرأس مائل {abs(pose.roll):.0f}° إلى أحد الجانبين. "
                "اطلب من الشخص إبقاء رأسه مستقيمًا.",
            ),
        ),
        _measure(
            QualityCheck.EYES_OPEN,
            eyes,
            eyes >= p.min_eye_aspect_ratio,
            f"eye aspect ratio >= {p.min_eye_aspect_ratio:g}",
            BilingualMessage(
                en="The eyes look closed. Ask the person to open both eyes and look at the camera; "
                "remove tinted glasses.",
                ar="تبدو العينان مغمضتين. اطلب من الشخص فتح عينيه والنظر إلى الكاميرا، "
                "وخلع النظارة الملونة.",
            ),
        ),
        _measure(
            QualityCheck.MOUTH_CLOSED,
            eyes_mouth.mouth_opening,
            eyes_mouth.mouth_opening <= p.max_mouth_opening,
            f"lip gap / mouth width <= {p.max_mouth_opening:g}",
            BilingualMessage(
                en="The mouth is open. Ask the person to close the mouth and keep a neutral "
                "expression.",
                ar="الفم مفتوح. اطلب من الشخص إغلاق فمه والحفاظ على تعبير محايد.",
            ),
        ),
        _measure(
            QualityCheck.FACE_IN_FRAME,
            margin,
            margin >= p.min_frame_margin,
            f"margin >= {p.min_frame_margin:g} of the face width",
            BilingualMessage(
                en="The face is cut off by the edge of the picture. Ask the person to move to the "
                "centre of the camera's view.",
                ar="الوجه مقطوع عند حافة الصورة. اطلب من الشخص التحرك إلى وسط مجال الكاميرا.",
            ),
        ),
    )


def frame_margin(face: FaceLandmarks) -> float:
    """Smallest gap between the face outline and an image edge, as a share of the face's width;
    negative when the outline runs past the edge (FaceMesh places points beyond the frame)."""
    left, top, right, bottom = face.box
    width, height = face.image_size
    gap = min(left, top, width - 1 - right, height - 1 - bottom)
    return gap / max(right - left, 1.0)


def assess_face_image(
    image: BgrImage, face: FaceLandmarks, profile: QualityProfile = PORTRAIT
) -> tuple[QualityMeasure, ...]:
    """The measures of the pixels of the face: sharpness, exposure, clipping, contrast."""
    measured = measure_face_image(image, face)
    p = profile
    too_dark = measured.brightness < p.min_brightness
    return (
        _measure(
            QualityCheck.SHARPNESS,
            measured.sharpness,
            measured.sharpness >= p.min_sharpness,
            f">= {p.min_sharpness:g}",
            BilingualMessage(
                en="The picture is blurred. Ask the person to hold still; clean the lens or let "
                "the camera focus.",
                ar="الصورة غير واضحة. اطلب من الشخص الثبات، ونظّف العدسة أو انتظر ضبط التركيز.",
            ),
        ),
        _measure(
            QualityCheck.EXPOSURE,
            measured.brightness,
            p.min_brightness <= measured.brightness <= p.max_brightness,
            f"mean grey {p.min_brightness:g}-{p.max_brightness:g}",
            BilingualMessage(
                en="The face is too dark. Add light in front of the person."
                if too_dark
                else "The face is too bright. Reduce the light or turn the person away from "
                "the window.",
                ar="الوجه مظلم جدًا. أضف إضاءة أمام الشخص."
                if too_dark
                else "الوجه ساطع جدًا. خفّف الإضاءة أو أدر الشخص بعيدًا عن النافذة.",
            ),
        ),
        _measure(
            QualityCheck.CLIPPING,
            measured.clipped,
            measured.clipped <= p.max_clipped,
            f"<= {p.max_clipped:.0%} of face pixels black or white",
            BilingualMessage(
                en="Parts of the face are burnt out or black. Use softer, even light and avoid "
                "strong light from one side or from behind.",
                ar="أجزاء من الوجه ساطعة بالكامل أو سوداء. استخدم إضاءة ناعمة ومتساوية وتجنّب "
                "الضوء القوي من جانب واحد أو من الخلف.",
            ),
        ),
        _measure(
            QualityCheck.CONTRAST,
            measured.contrast,
            measured.contrast >= p.min_contrast,
            f"grey range >= {p.min_contrast:g}",
            BilingualMessage(
                en="The face has too little contrast. Use brighter, even light and clean the lens.",
                ar="تباين الوجه ضعيف جدًا. استخدم إضاءة أقوى ومتساوية ونظّف العدسة.",
            ),
        ),
    )
