"""FaceMesh vertex indices of the features the subject moves and paints: eye openings, lips,
brows, nose, face outline. "Right" and "left" are the person's own (right eye on image left)."""

from __future__ import annotations

FACE_POINTS = 468

# Open loops of each lid, outer corner to inner corner.
RIGHT_UPPER_LID = (33, 246, 161, 160, 159, 158, 157, 173, 133)
RIGHT_LOWER_LID = (33, 7, 163, 144, 145, 153, 154, 155, 133)
LEFT_UPPER_LID = (263, 466, 388, 387, 386, 385, 384, 398, 362)
LEFT_LOWER_LID = (263, 249, 390, 373, 374, 380, 381, 382, 362)

# The eye openings as closed polygons (upper lid outer->inner, then lower lid inner->outer).
RIGHT_EYE_OPENING = RIGHT_UPPER_LID + RIGHT_LOWER_LID[-2:0:-1]
LEFT_EYE_OPENING = LEFT_UPPER_LID + LEFT_LOWER_LID[-2:0:-1]

# Lips: outer outline and the inner edges (the mouth opening), right corner to left corner.
UPPER_LIP_OUTER = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291)
LOWER_LIP_OUTER = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291)
UPPER_LIP_INNER = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308)
LOWER_LIP_INNER = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308)
MOUTH_OPENING = UPPER_LIP_INNER + LOWER_LIP_INNER[-2:0:-1]
LIPS_OUTLINE = UPPER_LIP_OUTER + LOWER_LIP_OUTER[-2:0:-1]
MOUTH_RIGHT_CORNER = 61
MOUTH_LEFT_CORNER = 291

# Brows, outer end to inner end: upper edge then lower edge.
RIGHT_BROW_UPPER = (70, 63, 105, 66, 107)
RIGHT_BROW_LOWER = (46, 53, 52, 65, 55)
LEFT_BROW_UPPER = (300, 293, 334, 296, 336)
LEFT_BROW_LOWER = (276, 283, 282, 295, 285)

NASION = 168
NOSE_TIP = 1
SUBNASALE = 2
RIGHT_ALA = 129  # wing of the nose
LEFT_ALA = 358
RIGHT_NOSTRIL = (79, 166, 75, 60, 20)  # under-side of each nostril wing
LEFT_NOSTRIL = (309, 392, 305, 290, 250)
CHIN = 152
FOREHEAD = 10
RIGHT_CHEEKBONE = 116
LEFT_CHEEKBONE = 345
RIGHT_JAW_ANGLE = 172
LEFT_JAW_ANGLE = 397

# The outline of the face, a closed loop starting at the top of the forehead and running
# over the person's left side first (MediaPipe's FACEMESH_FACE_OVAL in walking order).
FACE_OVAL_LOOP = (
    10,
    338,
    297,
    332,
    284,
    251,
    389,
    356,
    454,
    323,
    361,
    288,
    397,
    365,
    379,
    378,
    400,
    377,
    152,
    148,
    176,
    149,
    150,
    136,
    172,
    58,
    132,
    93,
    234,
    127,
    162,
    21,
    54,
    103,
    67,
    109,
)
