"""The result of a successful card read: the holder's verified identity and portrait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from station.card.passive_auth import PassiveAuthentication


@dataclass(frozen=True, slots=True)
class CardIdentity:
    """Everything read from one card, created only once passive authentication succeeded."""

    id_number: str
    names_en: tuple[str, ...]  # given names first, family name last
    names_ar: tuple[str, ...]
    nationality: str
    sex: str
    birth_date: date
    expiry_date: date
    issuing_state: str
    portrait_jpeg: bytes
    portrait_size: tuple[int, int]  # width, height
    authentication: PassiveAuthentication
    reader: str

    @property
    def name_en(self) -> str:
        return " ".join(self.names_en)

    @property
    def name_ar(self) -> str:
        return " ".join(self.names_ar)

    def expired_on(self, today: date) -> bool:
        return self.expiry_date < today

    def portrait_image(self) -> npt.NDArray[np.uint8]:
        """The portrait decoded as a BGR image."""
        import cv2  # the card read itself needs no OpenCV

        image = cv2.imdecode(np.frombuffer(self.portrait_jpeg, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError("the card portrait cannot be decoded")
        return np.asarray(image, dtype=np.uint8)
