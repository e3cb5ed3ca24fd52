"""Writes reference_face.json from FaceMesh on the public-domain portrait of Grace Hopper that
matplotlib ships (US Navy photograph), made symmetric and scaled to a mean adult face.

Run `python -m matcher.face.derive_reference_face` after changing the point set; commit the JSON.
"""

from __future__ import annotations

import json
import re
import sys

import cv2
import numpy as np
import numpy.typing as npt
from matplotlib import cbook

from matcher.face import mesh_points as mp_points
from matcher.face.landmarks import FaceLandmarker, LandmarkMode
from matcher.face.reference_face import (
    MIDLINE_POINTS,
    MIRROR_PAIRS,
    REFERENCE_FACE_FILE,
    RIGID_POINTS,
)

SOURCE = "grace_hopper.jpg"
# Mean adult interpupillary distance (Dodgson 2004, 63 mm); it sets only the scale, so the
# distance solvePnP reports is roughly in millimetres. Angles do not depend on it.
INTERPUPILLARY_MM = 63.0

Array = npt.NDArray[np.float64]


def face_frame(points: Array) -> Array:
    """Rows x, y, z of the face's own frame, in the camera frame of the portrait.

    x: mean of the left-minus-right vectors of the mirror pairs (symmetry fixes yaw and roll).
    y: soft-tissue nasion to soft-tissue pogonion (the front of the chin), made orthogonal to x.
    Pitch zero thus puts this facial plane parallel to the image; it stands within a few degrees
    of perpendicular to the Frankfort horizontal (soft-tissue facial angle about 90 degrees),
    the plane ISO/IEC 19794-5 calls level. The chin's underside (menton) would tilt it ~6
    degrees.
    """
    x = np.sum([points[left] - points[right] for right, left in MIRROR_PAIRS], axis=0)
    x /= np.linalg.norm(x)
    y = points[mp_points.POGONION] - points[mp_points.NASION]
    y -= x * float(y @ x)
    y /= np.linalg.norm(y)
    return np.stack([x, y, np.cross(x, y)])


def symmetric_reference(points: Array) -> dict[int, Array]:
    frame = face_frame(points)
    local = (points - points[mp_points.NASION]) @ frame.T
    mirror = np.array([-1.0, 1.0, 1.0])
    out: dict[int, Array] = {}
    for index in MIDLINE_POINTS:
        out[index] = local[index] * np.array([0.0, 1.0, 1.0])
    for right, left in MIRROR_PAIRS:
        out[left] = (local[left] + local[right] * mirror) / 2
        out[right] = out[left] * mirror
    right_eye = (out[mp_points.RIGHT_EYE_OUTER] + out[mp_points.RIGHT_EYE_INNER]) / 2
    left_eye = (out[mp_points.LEFT_EYE_OUTER] + out[mp_points.LEFT_EYE_INNER]) / 2
    scale = INTERPUPILLARY_MM / float(np.linalg.norm(left_eye - right_eye))
    return {index: out[index] * scale for index in RIGID_POINTS}


def main() -> int:
    image = np.asarray(cv2.imread(str(cbook.get_sample_data(SOURCE, asfileobj=False))), np.uint8)
    with FaceLandmarker(LandmarkMode.STILL, max_faces=1) as landmarker:
        faces = landmarker.detect(image)
    if len(faces) != 1:
        print(f"expected one face in {SOURCE}, found {len(faces)}", file=sys.stderr)
        return 1
    reference = symmetric_reference(faces[0].points)
    document = {
        "source": f"matplotlib sample data {SOURCE} (public domain), MediaPipe FaceMesh 0.10.21",
        "frame": "x to the person's left, y down, z away from the camera; origin at the nasion",
        "units": "mm",
        "scale": f"{INTERPUPILLARY_MM} mm between the eye centres (midpoints of the corners)",
        "points_mm": {
            str(i): [round(float(v), 2) + 0.0 for v in reference[i]] for i in RIGID_POINTS
        },
    }
    text = json.dumps(document, indent=1)
    # One point per line: the file is read by people as well as by the loader.
    text = re.sub(r"\[\s+([^\]]+?)\s+\]", lambda m: "[" + " ".join(m[1].split()) + "]", text)
    REFERENCE_FACE_FILE.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {REFERENCE_FACE_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
