"""Minutiae as numpy arrays, the form the extractor produces and the matcher consumes, and their
conversion to and from ISO/IEC 19794-2 finger views.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint.iso_template import (
    ANGLE_UNITS_PER_TURN,
    FingerMinutiaeRecord,
    FingerView,
    IsoMinutia,
    MinutiaType,
)

# 500 dpi, the resolution the matcher's distances are tuned for, in the record's pixels per cm.
REFERENCE_RESOLUTION_PPCM = 197
ANGLE_UNIT = 2 * np.pi / ANGLE_UNITS_PER_TURN


@dataclass(frozen=True, eq=False)
class Minutiae:
    """Minutiae of one impression.

    Positions are pixels from the top-left corner (y grows downward). `angle` is in radians in
    [0, 2*pi), counter-clockwise from the x axis as seen on the image, as ISO/IEC 19794-2 measures
    it: a ridge ending points along its ridge, into the ridge; a bifurcation points away from its
    stem, between the two branches. `quality` is 0-100 (0 = not reported).
    """

    x: NDArray[np.float32]
    y: NDArray[np.float32]
    angle: NDArray[np.float32]
    kind: NDArray[np.int8]
    quality: NDArray[np.uint8]
    width: int
    height: int
    resolution_ppcm: int = REFERENCE_RESOLUTION_PPCM

    def __post_init__(self) -> None:
        sizes = {len(self.x), len(self.y), len(self.angle), len(self.kind), len(self.quality)}
        if len(sizes) != 1:
            raise ValueError(f"minutiae arrays have different lengths: {sorted(sizes)}")

    def __len__(self) -> int:
        return len(self.x)

    @classmethod
    def empty(
        cls, width: int, height: int, resolution_ppcm: int = REFERENCE_RESOLUTION_PPCM
    ) -> Minutiae:
        return cls(
            x=np.zeros(0, np.float32),
            y=np.zeros(0, np.float32),
            angle=np.zeros(0, np.float32),
            kind=np.zeros(0, np.int8),
            quality=np.zeros(0, np.uint8),
            width=width,
            height=height,
            resolution_ppcm=resolution_ppcm,
        )

    @classmethod
    def from_record(cls, record: FingerMinutiaeRecord, view_index: int = 0) -> Minutiae:
        """The minutiae of one view of a decoded record."""
        view = record.views[view_index]
        rows = [(m.x, m.y, m.angle, int(m.kind), m.quality) for m in view.minutiae]
        table = np.array(rows, dtype=np.float64).reshape(-1, 5)
        return cls(
            x=table[:, 0].astype(np.float32),
            y=table[:, 1].astype(np.float32),
            angle=(table[:, 2] * ANGLE_UNIT).astype(np.float32),
            kind=table[:, 3].astype(np.int8),
            quality=table[:, 4].astype(np.uint8),
            width=record.image_width,
            height=record.image_height,
            # Square pixels are the norm; average in case a device reports slightly different ones.
            resolution_ppcm=round((record.x_resolution + record.y_resolution) / 2),
        )

    def to_record(
        self,
        finger_position: int = 0,
        finger_quality: int = 0,
        impression_type: int = 0,
    ) -> FingerMinutiaeRecord:
        """A single-view record holding these minutiae (at most 255, the best quality first)."""
        order = np.argsort(-self.quality.astype(np.int32), kind="stable")[:255]
        units = np.rint(self.angle.astype(np.float64) / ANGLE_UNIT).astype(np.int64)
        minutiae = tuple(
            IsoMinutia(
                kind=MinutiaType(int(self.kind[i])),
                x=int(np.clip(np.rint(self.x[i]), 0, self.width - 1)),
                y=int(np.clip(np.rint(self.y[i]), 0, self.height - 1)),
                angle=int(units[i] % ANGLE_UNITS_PER_TURN),
                quality=int(self.quality[i]),
            )
            for i in sorted(order.tolist())
        )
        view = FingerView(
            finger_position=finger_position,
            minutiae=minutiae,
            impression_type=impression_type,
            quality=finger_quality,
        )
        return FingerMinutiaeRecord(
            image_width=self.width,
            image_height=self.height,
            x_resolution=self.resolution_ppcm,
            y_resolution=self.resolution_ppcm,
            views=(view,),
        )

    def select(self, keep: NDArray[np.bool_] | NDArray[np.intp]) -> Minutiae:
        """The subset picked by a boolean mask or an index array."""
        return Minutiae(
            x=self.x[keep],
            y=self.y[keep],
            angle=self.angle[keep],
            kind=self.kind[keep],
            quality=self.quality[keep],
            width=self.width,
            height=self.height,
            resolution_ppcm=self.resolution_ppcm,
        )
