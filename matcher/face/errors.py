"""Failures of the face matcher, each carrying a bilingual message an operator can act on."""

from __future__ import annotations

from matcher.face.messages import BilingualMessage


class FaceError(Exception):
    """Base of every face-matcher failure; `message` says what happened and what to do next."""

    def __init__(self, message: BilingualMessage) -> None:
        super().__init__(message.en)
        self.message = message


class FaceImageError(FaceError):
    """The image is empty, corrupt or of a kind the matcher cannot read."""


class FaceNotFoundError(FaceError):
    """No face was found where exactly one was needed."""


class MultipleFacesError(FaceError):
    """More than one face was found where exactly one was needed."""


class ThresholdFileError(FaceError):
    """The calibrated threshold file is missing, unreadable or incomplete."""


class IncompatibleEmbeddingsError(FaceError):
    """Two embeddings from different models cannot be compared."""


NO_FACE = BilingualMessage(
    en="No face was found in the image. Ask the person to face the camera in good light.",
    ar="لم يُعثر على وجه في الصورة. اطلب من الشخص النظر إلى الكاميرا في إضاءة جيدة.",
)
MANY_FACES = BilingualMessage(
    en="More than one face is in the image. Make sure only the person being enrolled is in "
    "front of the camera.",
    ar="يوجد أكثر من وجه في الصورة. تأكد أن الشخص المراد تسجيله وحده أمام الكاميرا.",
)
