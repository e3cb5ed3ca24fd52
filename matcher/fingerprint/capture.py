"""One call for a scanner capture: quality with advice, minutiae, and the ISO template to send."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.fingerprint.extraction import DEFAULT_RESOLUTION_DPI, analyse_ridges, as_grey
from matcher.fingerprint.iso_template import encode_template
from matcher.fingerprint.minutiae import Minutiae
from matcher.fingerprint.quality import QualityAssessment, assess_quality


@dataclass(frozen=True)
class FingerprintCapture:
    """What the station needs from one captured image."""

    minutiae: Minutiae
    quality: QualityAssessment

    def template(self, finger_position: int = 0, impression_type: int = 0) -> bytes:
        """ISO/IEC 19794-2:2005 record with the capture's quality as the finger quality."""
        record = self.minutiae.to_record(
            finger_position=finger_position,
            finger_quality=self.quality.score,
            impression_type=impression_type,
        )
        return encode_template(record)


def process_capture(
    image: NDArray[np.generic], resolution_dpi: int = DEFAULT_RESOLUTION_DPI
) -> FingerprintCapture:
    """Extract minutiae and assess quality of a grey-scale capture (ridges dark)."""
    grey = as_grey(image)
    analysis = analyse_ridges(grey, resolution_dpi)
    return FingerprintCapture(
        minutiae=analysis.minutiae, quality=assess_quality(analysis, grey, resolution_dpi)
    )
