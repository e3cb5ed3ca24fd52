"""Expressions as moves of an identity's rest mesh: blinks (each eye), the jaw opening the
mouth, a smile, raised brows. Bases are computed once per identity and mixed per frame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from simulator.subject import face_regions as fr
from simulator.subject.face_shape import gaussian, smoothstep

Array = npt.NDArray[np.float64]

JAW_OPEN_DEGREES = 17.0  # a wide-open mouth: lip gap about 40% of the mouth width
_LID_SKIN_MM = 4.5  # how far above the lid edge the lid skin follows a blink


@dataclass(frozen=True)
class Expression:
    """All 0 is a neutral face with open eyes looking straight ahead."""

    blink_right: float = 0.0  # 0 open, 1 shut
    blink_left: float = 0.0
    mouth_open: float = 0.0  # 0 closed, 1 wide open
    smile: float = 0.0
    brow_raise: float = 0.0
    gaze_yaw: float = 0.0  # degrees, + to the person's left, relative to the head
    gaze_pitch: float = 0.0  # degrees, + up


NEUTRAL = Expression()


@dataclass(frozen=True)
class ExpressionBases:
    blink_right: Array  # (V, 3) mm at a full blink
    blink_left: Array
    smile: Array
    brow_raise: Array
    jaw_weight: Array  # (V,) share of the jaw's rotation each vertex follows
    jaw_hinge: Array  # (3,) a point on the hinge axis (x direction)

    def apply(self, rest: Array, expression: Expression) -> Array:
        """The rest mesh moved by `expression` (mm, head frame)."""
        out = rest.copy()
        for amount, basis in (
            (expression.blink_right, self.blink_right),
            (expression.blink_left, self.blink_left),
            (expression.smile, self.smile),
            (expression.brow_raise, self.brow_raise),
        ):
            if amount:
                out += amount * basis
        if expression.mouth_open:
            angle = np.radians(JAW_OPEN_DEGREES) * expression.mouth_open
            c, s = np.cos(angle), np.sin(angle)
            rel = out - self.jaw_hinge
            turned = np.stack(
                [rel[:, 0], c * rel[:, 1] - s * rel[:, 2], s * rel[:, 1] + c * rel[:, 2]], axis=1
            )
            out += self.jaw_weight[:, None] * (turned - rel)
        return out


def _blink(rest: Array, upper: tuple[int, ...], lower: tuple[int, ...], face_mask: Array) -> Array:
    """The upper lid comes down to meet the lower lid, which rises a little; the lid skin
    above follows, less the farther it is from the edge."""
    move = np.zeros_like(rest)
    up, low = rest[list(upper)], rest[list(lower)]
    edge_moves = (low - up) * 0.9  # the edges stop just short of each other
    lower_moves = (up - low) * 0.06
    edge_moves[[0, -1]] = 0.0  # the corners stay
    lower_moves[[0, -1]] = 0.0
    # Lid skin: face points above the upper lid edge and below the brow.
    candidates = np.flatnonzero(face_mask)
    for index in candidates:
        point = rest[index]
        distance = np.linalg.norm(up - point, axis=1)
        nearest = int(np.argmin(distance))
        if index in upper or index in lower or point[1] > up[nearest, 1]:
            continue
        weight = float(np.exp(-((distance[nearest] / _LID_SKIN_MM) ** 2)))
        move[index] = edge_moves[nearest] * 0.75 * weight
    move[list(upper)] = edge_moves
    move[list(lower[1:-1])] = lower_moves[1:-1]
    return move


def _jaw_weight(rest: Array, face_mask: Array, head_weight: Array) -> Array:
    """1 on the chin and lower lip, 0 on the upper lip and above; blends at the mouth line,
    which rises from the mouth corners towards the jaw hinges in front of the ears."""
    inner_upper = rest[list(fr.UPPER_LIP_INNER)]
    xs, ys = inner_upper[:, 0], inner_upper[:, 1]
    order = np.argsort(xs)
    corner_x = float(np.abs(xs).max())
    x = np.abs(rest[:, 0])
    line = np.interp(rest[:, 0], xs[order], ys[order])
    beyond = np.clip((x - corner_x) / (68.0 - corner_x), 0.0, 1.0)
    line = line + (20.0 - line) * beyond
    weight = smoothstep(-1.0, 3.5, rest[:, 1] - line)
    weight *= 1.0 - smoothstep(55.0, 72.0, x)
    weight *= 1.0 - smoothstep(55.0, 95.0, rest[:, 2])  # the back of the head stays
    weight *= 1.0 - smoothstep(118.0, 150.0, rest[:, 1])  # the neck stretches, the chest stays
    weight *= head_weight
    weight[list(fr.UPPER_LIP_INNER[1:-1])] = 0.0
    weight[list(fr.UPPER_LIP_OUTER[1:-1])] = 0.0
    weight[list(fr.LOWER_LIP_INNER[1:-1])] = 1.0
    weight[list(fr.LOWER_LIP_OUTER[1:-1])] = 1.0
    for corner in (fr.UPPER_LIP_INNER[0], fr.UPPER_LIP_INNER[-1]):
        weight[corner] = 0.3
    del face_mask
    result: Array = weight
    return result


def _smile(rest: Array) -> Array:
    move = np.zeros_like(rest)
    for side, corner in ((-1.0, fr.MOUTH_RIGHT_CORNER), (1.0, fr.MOUTH_LEFT_CORNER)):
        c = rest[corner]
        move += gaussian(rest, c, (11.0, 9.0, 12.0)) * np.array([side * 5.0, -4.0, 2.5])
        cheek = c + np.array([side * 10.0, -22.0, 2.0])
        move += gaussian(rest, cheek, 14.0) * np.array([side * 1.5, -2.5, -2.0])
        eye = rest[list(fr.RIGHT_LOWER_LID if side < 0 else fr.LEFT_LOWER_LID)].mean(axis=0)
        move += gaussian(rest, eye + np.array([0.0, 3.0, 0.0]), (10.0, 4.0, 8.0)) * np.array(
            [0.0, -1.2, -0.5]
        )
    return move


def _brow_raise(rest: Array) -> Array:
    move = np.zeros_like(rest)
    for brow in (
        fr.RIGHT_BROW_UPPER + fr.RIGHT_BROW_LOWER,
        fr.LEFT_BROW_UPPER + fr.LEFT_BROW_LOWER,
    ):
        center = rest[list(brow)].mean(axis=0)
        move += gaussian(rest, center, (20.0, 9.0, 14.0)) * np.array([0.0, -4.0, -0.5])
    return move


def expression_bases(rest: Array, face_mask: Array, head_weight: Array) -> ExpressionBases:
    """Bases for an identity's rest mesh (V, 3); `face_mask` marks the FaceMesh points."""
    hinge = np.array([0.0, 22.0, 72.0])
    return ExpressionBases(
        blink_right=_blink(rest, fr.RIGHT_UPPER_LID, fr.RIGHT_LOWER_LID, face_mask),
        blink_left=_blink(rest, fr.LEFT_UPPER_LID, fr.LEFT_LOWER_LID, face_mask),
        smile=_smile(rest) * face_mask[:, None],
        brow_raise=_brow_raise(rest) * face_mask[:, None],
        jaw_weight=_jaw_weight(rest, face_mask, head_weight),
        jaw_hinge=hinge,
    )
