"""The calibrated decision threshold and the figures it rests on (threshold.json beside this
module, written by `python -m benchmarks.bench_face --write-threshold`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from matcher.face.errors import ThresholdFileError
from matcher.face.messages import BilingualMessage

THRESHOLD_FILE = Path(__file__).with_name("threshold.json")


@dataclass(frozen=True)
class FaceThreshold:
    """Match when the embedding distance is strictly below `threshold`.

    Valid only for embeddings of `model` aligned by `alignment`; `fnmr` and `fmr` are the rates
    measured at the threshold over `genuine_pairs` and `impostor_pairs` of `dataset`.
    """

    threshold: float
    model: str
    alignment: str
    fmr_target: float
    fmr: float
    fnmr: float
    genuine_pairs: int
    impostor_pairs: int
    dataset: str
    calibrated_on: str  # ISO date
    command: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def _unusable(path: Path, reason: str) -> ThresholdFileError:
    return ThresholdFileError(
        BilingualMessage(
            en=f"The face-match threshold file {path} cannot be used ({reason}). Face matching "
            "is unavailable: reinstall the station software or ask support to recalibrate.",
            ar=f"لا يمكن استخدام ملف عتبة مطابقة الوجه {path} ({reason}). مطابقة الوجه غير "
            "متاحة: أعد تثبيت برنامج المحطة أو اطلب من الدعم الفني إعادة المعايرة.",
        )
    )


def read_threshold(path: Path) -> FaceThreshold:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _unusable(path, "missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _unusable(path, f"unreadable: {error}") from None
    if not isinstance(data, dict):
        raise _unusable(path, "not a JSON object")
    fields = FaceThreshold.__dataclass_fields__
    missing = sorted(set(fields) - set(data))
    if missing:
        raise _unusable(path, "missing " + ", ".join(missing))
    try:
        threshold = FaceThreshold(
            threshold=float(data["threshold"]),
            model=str(data["model"]),
            alignment=str(data["alignment"]),
            fmr_target=float(data["fmr_target"]),
            fmr=float(data["fmr"]),
            fnmr=float(data["fnmr"]),
            genuine_pairs=int(data["genuine_pairs"]),
            impostor_pairs=int(data["impostor_pairs"]),
            dataset=str(data["dataset"]),
            calibrated_on=str(data["calibrated_on"]),
            command=str(data["command"]),
        )
    except (TypeError, ValueError) as error:
        raise _unusable(path, f"bad value: {error}") from None
    if not (0 < threshold.threshold < 4 and 0 < threshold.fmr_target < 1):
        raise _unusable(path, "threshold or FMR target out of range")
    return threshold


@cache
def production_threshold() -> FaceThreshold:
    """The committed calibration, read once per process."""
    return read_threshold(THRESHOLD_FILE)
