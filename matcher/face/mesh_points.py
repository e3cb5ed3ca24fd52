"""Indices into MediaPipe FaceMesh's 478 points (468 mesh + 10 iris) that the measures use.

"Right" and "left" are the person's own: their right eye is on the left of a camera image.
"""

from __future__ import annotations

MESH_POINTS = 468
POINTS_WITH_IRIS = 478

RIGHT_IRIS_CENTER = 468
LEFT_IRIS_CENTER = 473

RIGHT_EYE_OUTER = 33
RIGHT_EYE_INNER = 133
LEFT_EYE_OUTER = 263
LEFT_EYE_INNER = 362

# Six points per eye for the eye aspect ratio (Soukupova and Cech 2016): the two corners, then
# upper and lower lid points paired so each pair lies on one vertical line of the open eye.
RIGHT_EYE_EAR = (RIGHT_EYE_OUTER, 160, 158, RIGHT_EYE_INNER, 153, 144)
LEFT_EYE_EAR = (LEFT_EYE_OUTER, 387, 385, LEFT_EYE_INNER, 380, 373)

MOUTH_RIGHT_CORNER = 61
MOUTH_LEFT_CORNER = 291
UPPER_LIP_INNER = 13
LOWER_LIP_INNER = 14

NOSE_TIP = 1
SUBNASALE = 2  # where the nose meets the upper lip
NASION = 168  # between the eyes, on the bridge of the nose
CHIN = 152  # menton, the underside of the chin
POGONION = 199  # the front of the chin
FOREHEAD = 10

# The outline of the face (MediaPipe's FACEMESH_FACE_OVAL), forehead to chin.
FACE_OVAL = (
    10, 21, 54, 58, 67, 93, 103, 109, 127, 132, 136, 148, 149, 150, 152, 162, 172, 176,
    234, 251, 284, 288, 297, 323, 332, 338, 356, 361, 365, 377, 378, 379, 389, 397, 400, 454,
)  # fmt: skip
