"""Verification error rates from genuine and impostor scores, as the FVC competitions define them
(Maio et al., "FVC2000", IEEE TPAMI 2002): EER, FMR100, FMR1000 and ZeroFMR.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class ErrorRates:
    """Rates are fractions (0.05 = 5%). `fmr100` is the lowest FNMR at FMR <= 1%, `fmr1000` at
    FMR <= 0.1%, `zero_fmr` at FMR = 0. `genuine`/`impostor` count the comparisons."""

    eer: float
    fmr100: float
    fmr1000: float
    zero_fmr: float
    genuine: int
    impostor: int
    eer_threshold: float


def false_match_rate(impostor: NDArray[np.float64], threshold: float) -> float:
    """Share of impostor scores at or above the threshold (accepted)."""
    return float(np.mean(impostor >= threshold)) if len(impostor) else 0.0


def false_non_match_rate(genuine: NDArray[np.float64], threshold: float) -> float:
    """Share of genuine scores below the threshold (rejected)."""
    return float(np.mean(genuine < threshold)) if len(genuine) else 0.0


def error_rates(genuine_scores: ArrayLike, impostor_scores: ArrayLike) -> ErrorRates:
    """FVC figures for one set of genuine and impostor comparison scores (higher = more alike)."""
    genuine = np.sort(np.asarray(genuine_scores, np.float64))
    impostor = np.sort(np.asarray(impostor_scores, np.float64))
    if len(genuine) == 0 or len(impostor) == 0:
        raise ValueError("error rates need at least one genuine and one impostor score")
    # Every distinct score is a candidate threshold, plus one above them all.
    thresholds = np.unique(np.concatenate([genuine, impostor, [np.inf]]))
    fmr = 1.0 - np.searchsorted(impostor, thresholds, side="left") / len(impostor)
    fnmr = np.searchsorted(genuine, thresholds, side="left") / len(genuine)
    eer, eer_threshold = _equal_error_rate(thresholds, fmr, fnmr)
    return ErrorRates(
        eer=eer,
        fmr100=_lowest_fnmr(fmr, fnmr, 0.01),
        fmr1000=_lowest_fnmr(fmr, fnmr, 0.001),
        zero_fmr=_lowest_fnmr(fmr, fnmr, 0.0),
        genuine=len(genuine),
        impostor=len(impostor),
        eer_threshold=eer_threshold,
    )


def threshold_for_fmr(impostor_scores: ArrayLike, target_fmr: float) -> float:
    """The lowest threshold whose false match rate on these impostor scores is <= target_fmr."""
    impostor = np.sort(np.asarray(impostor_scores, np.float64))
    thresholds = np.unique(np.concatenate([impostor, [np.inf]]))
    fmr = 1.0 - np.searchsorted(impostor, thresholds, side="left") / len(impostor)
    allowed = thresholds[fmr <= target_fmr + 1e-12]  # 1 - 990/1000 is not exactly 0.01
    # Just above the highest impostor score still accepted at the target.
    lowest = float(allowed.min())
    if np.isinf(lowest):
        return float(impostor[-1]) + 1e-9
    return lowest


def _lowest_fnmr(fmr: NDArray[np.float64], fnmr: NDArray[np.float64], limit: float) -> float:
    allowed = fmr <= limit + 1e-12
    return float(fnmr[allowed].min())


def _equal_error_rate(
    thresholds: NDArray[np.float64], fmr: NDArray[np.float64], fnmr: NDArray[np.float64]
) -> tuple[float, float]:
    """FVC's EER: the crossing of the FMR and FNMR step curves, averaged over its interval."""
    below = np.nonzero(fnmr <= fmr)[0]
    above = np.nonzero(fnmr >= fmr)[0]
    t1 = below[-1]  # largest threshold with FNMR <= FMR (exists: the lowest threshold)
    t2 = above[0]  # smallest threshold with FNMR >= FMR (exists: the infinite threshold)
    if fnmr[t1] + fmr[t1] <= fnmr[t2] + fmr[t2]:
        low, high, at = fnmr[t1], fmr[t1], t1
    else:
        low, high, at = fmr[t2], fnmr[t2], t2
    return float((low + high) / 2), float(thresholds[at])
