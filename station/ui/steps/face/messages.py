"""Messages from the face-capture worker to the face step: data, nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from matcher.liveness import Challenge, LivenessUpdate
from station.enrollment.face_capture import FaceCaptureOutcome


@dataclass
class FaceProgressed(Message):
    """The liveness check took a frame: what to overlay and what to tell the operator."""

    update: LivenessUpdate
    frames_processed: int
    challenges: tuple[Challenge, ...]  # as the session asks them (a missed one is replaced)

    def can_replace(self, message: Message) -> bool:
        # Only the newest matters, except one that starts a new prompt.
        return isinstance(message, FaceProgressed) and not message.update.prompt_changed


@dataclass
class FaceCaptureFinished(Message):
    outcome: FaceCaptureOutcome
