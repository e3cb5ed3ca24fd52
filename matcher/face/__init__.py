"""Face matching: FaceMesh landmarks, head pose, portrait quality, dlib ResNet embeddings and
1:1 comparison at a threshold calibrated on LFW. BGR uint8 arrays in, results out."""

from matcher.face.comparison import FaceComparison, compare_faces
from matcher.face.embedding import MODEL_NAME, FaceEmbedder, FaceEmbedding
from matcher.face.errors import (
    FaceError,
    FaceImageError,
    FaceNotFoundError,
    IncompatibleEmbeddingsError,
    MultipleFacesError,
    ThresholdFileError,
)
from matcher.face.eyes_and_mouth import EyesAndMouth, measure_eyes_and_mouth
from matcher.face.head_pose import HeadPose, estimate_head_pose
from matcher.face.image_input import as_bgr_image, decode_image
from matcher.face.landmarks import FaceLandmarker, FaceLandmarks, LandmarkMode
from matcher.face.messages import BilingualMessage
from matcher.face.quality import (
    PORTRAIT,
    QualityCheck,
    QualityMeasure,
    QualityProfile,
    QualityReport,
    assess_quality,
)
from matcher.face.threshold import FaceThreshold, production_threshold, read_threshold
from matcher.face.verification import FaceVerifier, single_face

__all__ = [
    "MODEL_NAME",
    "PORTRAIT",
    "BilingualMessage",
    "EyesAndMouth",
    "FaceComparison",
    "FaceEmbedder",
    "FaceEmbedding",
    "FaceError",
    "FaceImageError",
    "FaceLandmarker",
    "FaceLandmarks",
    "FaceNotFoundError",
    "FaceThreshold",
    "FaceVerifier",
    "HeadPose",
    "IncompatibleEmbeddingsError",
    "LandmarkMode",
    "MultipleFacesError",
    "QualityCheck",
    "QualityMeasure",
    "QualityProfile",
    "QualityReport",
    "ThresholdFileError",
    "as_bgr_image",
    "assess_quality",
    "compare_faces",
    "decode_image",
    "estimate_head_pose",
    "measure_eyes_and_mouth",
    "production_threshold",
    "read_threshold",
    "single_face",
]
