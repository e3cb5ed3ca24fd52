"""Still images in, a comparison out: the card portrait against a captured frame, with exactly
one face required in each. Video callers embed their best frame with FaceEmbedder directly."""

from __future__ import annotations

from collections.abc import Sequence

from matcher.face.comparison import FaceComparison, compare_faces
from matcher.face.embedding import FaceEmbedder, FaceEmbedding
from matcher.face.errors import MANY_FACES, NO_FACE, FaceNotFoundError, MultipleFacesError
from matcher.face.image_input import BgrImage, as_bgr_image
from matcher.face.landmarks import FaceLandmarker, FaceLandmarks, LandmarkMode
from matcher.face.threshold import FaceThreshold


def single_face(faces: Sequence[FaceLandmarks]) -> FaceLandmarks:
    """The one face, or FaceNotFoundError / MultipleFacesError with a message to act on."""
    if not faces:
        raise FaceNotFoundError(NO_FACE)
    if len(faces) > 1:
        raise MultipleFacesError(MANY_FACES)
    return faces[0]


class FaceVerifier:
    """Owns a still-mode FaceMesh and the embedding network; one instance per thread."""

    def __init__(self, threshold: FaceThreshold | None = None) -> None:
        self.threshold = threshold
        self._landmarker = FaceLandmarker(LandmarkMode.STILL, max_faces=2)
        self._embedder = FaceEmbedder()

    def template(self, image: BgrImage) -> FaceEmbedding:
        """Embedding of the single face in `image`; raises a FaceError subclass otherwise."""
        bgr = as_bgr_image(image)
        return self._embedder.embed(bgr, single_face(self._landmarker.detect(bgr)))

    def verify(self, probe: BgrImage, reference: BgrImage) -> FaceComparison:
        return compare_faces(self.template(probe), self.template(reference), self.threshold)

    def close(self) -> None:
        self._landmarker.close()
