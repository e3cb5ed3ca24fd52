"""Passive image cue for prints and devices held up to the camera: their straight edges.

A print, a phone or a tablet shows an outline around the face it carries: long straight,
high-contrast edges on opposite sides (the paper's border, the device's bezel), parallel to
each other, and carried along with the face whenever the attacker's hand moves it. A real head
has no such outline. The booth itself has straight edges (a door frame, a poster, the backdrop's
seams) that may stand on both sides of a face, but they stay where they are when the face
moves; a ghutra or shemagh hangs in straight folds that do move with the face, but they splay
outwards from the temples (not parallel); glasses frames and a hijab's edge lie on or against
the face outline, which the search leaves out.

Each sampled frame: the grey ring around the face box, downscaled so the face is about
`_FACE_PX` pixels tall; line segments (FastLineDetector) there that do not cross the face box, long
enough and running along the face (beside it or above or below it). Each candidate is then
checked against an earlier sample in which the face had moved: mapped with the face's own
motion (an affine fit to FaceMesh's rigid points) it must land on an edge of that frame, and
left where it was it must not. A frame shows a held-up outline when two such segments on
opposite sides of the face are parallel.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from matcher.face import FaceLandmarks
from matcher.face.image_input import BgrImage
from matcher.face.reference_face import RIGID_POINTS

_RIGID = list(RIGID_POINTS)
# The face box (forehead to chin) is brought to this many pixels: edges are judged at the
# face's scale, and the work stays small (a ring of about 150x150 pixels).
_FACE_PX = 36.0
# Points sampled along a segment when checking it against an earlier frame's edges.
_SUPPORT_POINTS = 16
# How far (ring pixels, either way across it) a segment may land from where the face's motion
# carries it: FaceMesh's jitter, extrapolated from the face out to its edges.
_TOLERANCE_PX = 2

Segment = npt.NDArray[np.float64]  # (2, 2): two end points, full-image pixels


@dataclass(frozen=True)
class HeldUpEdgeSettings:
    """Geometry of the search; the thresholds the session decides on are in LivenessSettings.
    Lengths are in face heights (the face box's larger side)."""

    ring: float = 1.7  # how far from the face centre the search reaches, each way
    min_length: float = 0.8  # a side at least this long
    overlap: float = 0.5  # it runs along at least this share of the face box's side
    max_parallel_deg: float = 12.0  # opposite sides this close in direction are parallel
    axis_deg: float = 30.0  # "beside" segments are within this of vertical, "above/below" of
    # horizontal
    min_shift: float = 0.12  # the face moved at least this far between the compared frames
    on_edge: float = 0.6  # share of a mapped segment's points on the earlier frame's edges
    off_edge: float = 0.5  # ... and at most this share where it would be if it stood still
    history_s: float = 3.0  # earlier samples kept for the motion check


@dataclass(frozen=True)
class _Sample:
    timestamp_s: float
    rigid: npt.NDArray[np.float64]  # (n, 2) full-image pixels
    centre: tuple[float, float]
    face_px: float
    origin: tuple[int, int]  # top-left of the ring in the full image
    scale: float  # ring pixels per image pixel
    gradient: npt.NDArray[np.float32]  # (h, w, 2) Sobel x and y of the grey ring


@dataclass(frozen=True)
class EdgeVerdict:
    """One sampled frame: `decided` when an earlier frame with the face elsewhere was found;
    `outline` when a held-up outline moving with the face was seen."""

    decided: bool
    outline: bool
    sides: tuple[str, ...]  # the sides seen moving with the face ("left", "top", ...)


UNDECIDED = EdgeVerdict(False, False, ())


class HeldUpEdges:
    """Feed sampled frames in time order with `observe`; keeps a few seconds of history."""

    def __init__(self, settings: HeldUpEdgeSettings | None = None) -> None:
        self.settings = settings or HeldUpEdgeSettings()
        self._history: deque[_Sample] = deque()
        # FastLineDetector (opencv-contrib): a third of LSD's time on the ring, and it keeps
        # only segments long enough to matter.
        self._lines = cv2.ximgproc.createFastLineDetector(
            int(self.settings.min_length * _FACE_PX * 0.8), 1.41, 40, 100, 3, False
        )

    def observe(self, image: BgrImage, face: FaceLandmarks, timestamp_s: float) -> EdgeVerdict:
        s = self.settings
        sample, segments = self._sample(image, face, timestamp_s)
        if sample is None:
            return UNDECIDED
        while self._history and timestamp_s - self._history[0].timestamp_s > s.history_s:
            self._history.popleft()
        moved = self._most_moved(sample)
        history = list(self._history)
        self._history.append(sample)
        if moved is None:
            return UNDECIDED
        if not segments:
            return EdgeVerdict(True, False, ())
        affines = [_affine(sample.rigid, earlier.rigid) for earlier in history]
        moving: dict[str, list[Segment]] = {}
        for side, segment in segments:
            if self._moves_with_face(segment, sample, history, affines):
                moving.setdefault(side, []).append(segment)
        beside = moving.get("left", []) + moving.get("right", [])
        across = moving.get("top", []) + moving.get("bottom", [])
        # Two sides of one outline: opposite and parallel, or one beside the face and one
        # above or below it (a corner). A ghutra's two falls are opposite but splay outwards.
        outline = (
            _parallel(moving.get("left"), moving.get("right"), s.max_parallel_deg)
            or _parallel(moving.get("top"), moving.get("bottom"), s.max_parallel_deg)
            or bool(beside and across)
        )
        return EdgeVerdict(True, outline, tuple(sorted(moving)))

    def _moves_with_face(
        self,
        segment: Segment,
        sample: _Sample,
        history: list[_Sample],
        affines: list[npt.NDArray[np.float64]],
    ) -> bool:
        """Against the latest earlier sample from which the face's motion carried this segment
        far enough across itself (motion along a straight edge cannot be seen; the latest, as
        the face's motion predicts the edge best over a short time): on an edge there when
        carried with the face, and not on one where it stands now."""
        s = self.settings
        direction = segment[1] - segment[0]
        normal = np.array([-direction[1], direction[0]]) / max(np.linalg.norm(direction), 1e-9)
        middle = segment.mean(axis=0)
        best = -1
        for index in range(len(affines) - 1, -1, -1):
            shift = abs(float((_apply(affines[index], middle[None, :])[0] - middle) @ normal))
            if shift >= s.min_shift * sample.face_px:
                best = index
                break
        if best < 0:
            return False
        polarity = _edge_strength(sample, segment)
        if polarity is None or abs(polarity) < 1e-6:
            return False
        with_face = _support(history[best], _apply(affines[best], segment), polarity)
        still = _support(history[best], segment, polarity)
        if with_face is None or still is None:
            return False
        return with_face >= s.on_edge and still <= s.off_edge

    def _sample(
        self, image: BgrImage, face: FaceLandmarks, timestamp_s: float
    ) -> tuple[_Sample | None, list[tuple[str, Segment]]]:
        s = self.settings
        left, top, right, bottom = face.box
        face_px = max(right - left, bottom - top)
        if not math.isfinite(face_px) or face_px < 8.0:
            return None, []
        cx, cy = (left + right) / 2, (top + bottom) / 2
        height, width = image.shape[:2]
        reach = s.ring * face_px
        x0, y0 = max(0, int(cx - reach)), max(0, int(cy - reach))
        x1, y1 = min(width, int(cx + reach) + 1), min(height, int(cy + reach) + 1)
        if x1 - x0 < 16 or y1 - y0 < 16:
            return None, []
        scale = min(1.0, _FACE_PX / face_px)
        grey = cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
        size = (max(8, round((x1 - x0) * scale)), max(8, round((y1 - y0) * scale)))
        small = cv2.resize(grey, size, interpolation=cv2.INTER_LINEAR)
        gradient = np.asarray(
            np.dstack([cv2.Sobel(small, cv2.CV_32F, 1, 0), cv2.Sobel(small, cv2.CV_32F, 0, 1)]),
            np.float32,
        )
        sample = _Sample(
            timestamp_s,
            np.array(face.xy[_RIGID], np.float64),
            (cx, cy),
            face_px,
            (x0, y0),
            scale,
            gradient,
        )
        found: object = self._lines.detect(small)
        if not isinstance(found, np.ndarray):  # None when it finds no line
            return sample, []
        lines = found.reshape(-1, 2, 2).astype(np.float64) / scale + np.array([x0, y0])
        box = (left, top, right, bottom)
        return sample, [(side, line) for line in lines if (side := _side(line, box, s))]

    def _most_moved(self, sample: _Sample) -> _Sample | None:
        """The earlier sample in which the face stood furthest from where it is now, if far
        enough to tell edges that move with it from edges that stay."""
        s = self.settings
        cx, cy = sample.centre
        f = sample.face_px
        probes = np.array([[cx - f, cy], [cx + f, cy], [cx, cy - f], [cx, cy + f]])
        best, best_shift = None, s.min_shift * f
        for earlier in self._history:
            moved = _apply(_affine(sample.rigid, earlier.rigid), probes)
            shift = float(np.median(np.linalg.norm(moved - probes, axis=1)))
            if shift >= best_shift:
                best, best_shift = earlier, shift
        return best


def _side(
    line: Segment, box: tuple[float, float, float, float], s: HeldUpEdgeSettings
) -> str | None:
    """Which side of the face a segment could outline, or None."""
    left, top, right, bottom = box
    face_px = max(right - left, bottom - top)
    (xa, ya), (xb, yb) = line
    dx, dy = xb - xa, yb - ya
    if math.hypot(dx, dy) < s.min_length * face_px:
        return None
    # A print's or a device's outline never crosses the face it carries.
    margin = 0.05 * face_px
    rect = (
        int(left - margin),
        int(top - margin),
        int(right - left + 2 * margin),
        int(bottom - top + 2 * margin),
    )
    crosses, _, _ = cv2.clipLine(rect, (int(xa), int(ya)), (int(xb), int(yb)))
    if crosses:
        return None
    tilt = math.tan(math.radians(s.axis_deg))
    mid_x, mid_y = (xa + xb) / 2, (ya + yb) / 2
    if abs(dx) <= tilt * abs(dy):
        along = min(max(ya, yb), bottom) - max(min(ya, yb), top)
        if along < s.overlap * (bottom - top):
            return None
        if mid_x < left:
            return "left"
        return "right" if mid_x > right else None
    if abs(dy) <= tilt * abs(dx):
        along = min(max(xa, xb), right) - max(min(xa, xb), left)
        if along < s.overlap * (right - left):
            return None
        if mid_y < top:
            return "top"
        return "bottom" if mid_y > bottom else None
    return None


def _affine(
    source: npt.NDArray[np.float64], target: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Least-squares affine map (2x3) taking the face's rigid points in one frame to another."""
    design = np.hstack([source, np.ones((len(source), 1))])
    solution, *_ = np.linalg.lstsq(design, target, rcond=None)
    affine: npt.NDArray[np.float64] = solution.T
    return affine


def _apply(affine: npt.NDArray[np.float64], points: npt.NDArray[np.float64]) -> Segment:
    moved: Segment = points @ affine[:, :2].T + affine[:, 2]
    return moved


def _ring_points(sample: _Sample, segment: Segment) -> tuple[npt.NDArray[np.float64], Segment]:
    """Points along `segment` in `sample`'s ring pixels, and the segment's unit normal."""
    steps = np.linspace(0.0, 1.0, _SUPPORT_POINTS)[:, None]
    points = segment[0] + steps * (segment[1] - segment[0])
    ring = (points - np.array(sample.origin)) * sample.scale
    direction = segment[1] - segment[0]
    normal = np.array([-direction[1], direction[0]]) / max(float(np.linalg.norm(direction)), 1e-9)
    return ring, normal


def _across(sample: _Sample, ring: npt.NDArray[np.float64], normal: Segment) -> Segment:
    """Grey-level gradient across the segment's direction at each point and at offsets of up
    to `_TOLERANCE_PX` along the normal: (offsets, points), NaN outside the ring."""
    offsets = np.arange(-_TOLERANCE_PX, _TOLERANCE_PX + 1)[:, None, None] * normal
    where = np.round(ring[None, :, :] + offsets).astype(int)
    cols, rows = where[..., 0], where[..., 1]
    height, width = sample.gradient.shape[:2]
    inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
    values = np.full(cols.shape, np.nan)
    picked = sample.gradient[rows[inside], cols[inside]]
    values[inside] = picked @ normal
    return values


def _edge_strength(sample: _Sample, segment: Segment) -> float | None:
    """Signed mean gradient across `segment` in its own frame (its sign says which side is
    darker: a bezel's outer and inner edges have opposite signs)."""
    ring, normal = _ring_points(sample, segment)
    values = _across(sample, ring, normal)[_TOLERANCE_PX]
    values = values[np.isfinite(values)]
    return float(np.mean(values)) if len(values) else None


def _support(sample: _Sample, segment: Segment, polarity: float) -> float | None:
    """Share of points along `segment` (full-image pixels) where `sample` has an edge of the
    same polarity and at least half the strength, within `_TOLERANCE_PX`; None when most of
    the segment falls outside the ring."""
    ring, normal = _ring_points(sample, segment)
    values = _across(sample, ring, normal) * math.copysign(1.0, polarity)
    seen = np.isfinite(values).any(axis=0)
    if seen.sum() < _SUPPORT_POINTS // 2:
        return None
    best = np.nanmax(np.where(np.isfinite(values), values, -np.inf), axis=0)[seen]
    return float(np.mean(best >= 0.5 * abs(polarity)))


def _direction_deg(segment: Segment) -> float:
    dx, dy = segment[1] - segment[0]
    return math.degrees(math.atan2(dy, dx)) % 180.0


def _parallel(first: list[Segment] | None, second: list[Segment] | None, limit: float) -> bool:
    if not first or not second:
        return False
    for a in first:
        for b in second:
            difference = abs(_direction_deg(a) - _direction_deg(b))
            if min(difference, 180.0 - difference) <= limit:
                return True
    return False
