"""A live camera picture in the terminal: each cell shows two pixels stacked, the upper as the
foreground of "▀" and the lower as its background, so an 80x30-cell area holds 80x60 pixels.

Per frame: one `cv2.resize` (INTER_AREA, which averages and so does not shimmer), colours cut
to 5 bits per channel, and runs of equal cells merged into one segment. The `Style` of each
colour pair is built once and kept, since Rich styles cost far more to make than to look up.
The face box is drawn into the small picture and the current challenge written over its
bottom row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

BgrImage = npt.NDArray[np.uint8]

UPPER_HALF = "▀"
_BITS = 5
_SHIFT = 8 - _BITS
_MASK = (1 << _BITS) - 1
_STYLE_CACHE_LIMIT = 65_536  # a face under steady light uses a few thousand pairs
_BLANK = Style(bgcolor=Color.from_rgb(0, 0, 0))
BOX_BGR = (60, 230, 60)  # a green face box: visible on every skin tone and backdrop
LABEL_STYLE = Style(color="white", bgcolor="rgb(20,20,90)", bold=True)


@dataclass(frozen=True)
class PreviewOverlay:
    """What is drawn over the picture: `face_box` as (x, y, width, height) in the source
    image's pixels; `label` (already shaped for display) on the bottom row."""

    face_box: tuple[float, float, float, float] | None = None
    label: str | None = None


class HalfBlockRenderer:
    """Turns BGR images into `Strip`s of half blocks; keeps its style cache between frames."""

    def __init__(self) -> None:
        self._styles: dict[int, Style] = {}

    @property
    def cached_styles(self) -> int:
        return len(self._styles)

    def strips(
        self, image: BgrImage, width: int, height: int, overlay: PreviewOverlay | None = None
    ) -> list[Strip]:
        """`height` strips of `width` cells: the picture scaled to fit, centred on black."""
        if width <= 0 or height <= 0:
            return []
        source_h, source_w = image.shape[:2]
        scale = min(width / source_w, 2 * height / source_h)
        pixels_w = max(1, min(width, round(source_w * scale)))
        pixels_h = max(2, min(2 * height, round(source_h * scale)))
        pixels_h -= pixels_h % 2
        small = np.asarray(
            cv2.resize(image, (pixels_w, pixels_h), interpolation=cv2.INTER_AREA), np.uint8
        )
        if overlay is not None and overlay.face_box is not None:
            x, y, w, h = overlay.face_box
            sx, sy = pixels_w / source_w, pixels_h / source_h
            x, y, w, h = x * sx, y * sy, w * sx, h * sy
            cv2.rectangle(
                small, (round(x), round(y)), (round(x + w) - 1, round(y + h) - 1), BOX_BGR, 1
            )
        quantized = (small >> _SHIFT).astype(np.uint32)
        # 15-bit RGB code per pixel (from BGR), then one 30-bit key per cell: upper, lower.
        code = (quantized[..., 2] << (2 * _BITS)) | (quantized[..., 1] << _BITS) | quantized[..., 0]
        keys = (code[0::2] << (3 * _BITS)) | code[1::2]
        rows = keys.shape[0]
        pad_left = (width - pixels_w) // 2
        pad_right = width - pixels_w - pad_left
        pad_top = (height - rows) // 2
        blank = Strip([Segment(" " * width, _BLANK)], width)
        strips = [blank] * pad_top
        strips.extend(
            Strip(segments, width)
            for segments in self._row_segments(keys, pad_left, pad_right, pixels_w)
        )
        strips.extend([blank] * (height - len(strips)))
        if overlay is not None and overlay.label:
            label_row = pad_top + rows - 1
            strips[label_row] = _with_label(strips[label_row], overlay.label, width)
        return strips

    def _row_segments(
        self, keys: npt.NDArray[np.integer[Any]], pad_left: int, pad_right: int, pixels_w: int
    ) -> list[list[Segment]]:
        # Runs of equal cells become one segment (fewer objects for Textual to compose), found
        # for the whole picture at once; each distinct colour pair's style is looked up once.
        starts = np.ones(keys.shape, dtype=bool)
        starts[:, 1:] = keys[:, 1:] != keys[:, :-1]
        run_rows, run_cols = np.nonzero(starts)
        next_rows = np.append(run_rows[1:], -1)
        next_cols = np.append(run_cols[1:], pixels_w)
        lengths = np.where(next_rows == run_rows, next_cols, pixels_w) - run_cols
        distinct, which = np.unique(keys[run_rows, run_cols], return_inverse=True)
        styles = [self._style(key) for key in distinct.tolist()]
        blocks = [UPPER_HALF * n for n in range(pixels_w + 1)]
        left = [Segment(" " * pad_left, _BLANK)] if pad_left else []
        right = Segment(" " * pad_right, _BLANK) if pad_right else None
        rows: list[list[Segment]] = [list(left) for _ in range(keys.shape[0])]
        for row, length, index in zip(
            run_rows.tolist(), lengths.tolist(), which.tolist(), strict=True
        ):
            rows[row].append(Segment(blocks[length], styles[index]))
        if right is not None:
            for segments in rows:
                segments.append(right)
        return rows

    def _style(self, key: int) -> Style:
        style = self._styles.get(key)
        if style is None:
            if len(self._styles) >= _STYLE_CACHE_LIMIT:
                self._styles.clear()
            upper, lower = key >> (3 * _BITS), key & ((1 << (3 * _BITS)) - 1)
            style = Style(color=_colour(upper), bgcolor=_colour(lower))
            self._styles[key] = style
        return style


def _colour(code: int) -> Color:
    red, green, blue = (code >> (2 * _BITS)) & _MASK, (code >> _BITS) & _MASK, code & _MASK
    # Back to 8 bits with the high bits repeated, so 31 becomes 255, not 248.
    return Color.from_rgb(*((v << _SHIFT) | (v >> (2 * _BITS - 8)) for v in (red, green, blue)))


def _with_label(strip: Strip, label: str, width: int) -> Strip:
    text = f" {label} "
    length = cell_len(text)
    if length > width:
        text = text[: max(0, width - 1)] + "…"
        length = cell_len(text)
    start = (width - length) // 2
    return Strip.join(
        [
            strip.crop(0, start),
            Strip([Segment(text, LABEL_STYLE)], length),
            strip.crop(start + length, width),
        ]
    )


class HalfBlockPreview(Widget):
    """Shows the latest image given to `show`; draws only when a new one arrives."""

    DEFAULT_CSS = """
    HalfBlockPreview { width: 80; height: 30; background: black; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.renderer = HalfBlockRenderer()
        self._image: BgrImage | None = None
        self._overlay: PreviewOverlay | None = None
        self._strips: list[Strip] | None = None
        self._built_for: tuple[int, int] = (0, 0)
        self.frames_shown = 0
        self.waiting_text = "Waiting for the camera…"

    def show(self, image: BgrImage, overlay: PreviewOverlay | None = None) -> None:
        self._image = image
        self._overlay = overlay
        self._strips = None
        self.frames_shown += 1
        self.refresh()

    @property
    def overlay(self) -> PreviewOverlay | None:
        return self._overlay

    def render_line(self, y: int) -> Strip:
        width, height = self.size.width, self.size.height
        if self._image is None:
            if y == height // 2:
                text = self.waiting_text[:width].center(width)
                return Strip([Segment(text, Style(color="grey70", bgcolor="black"))], width)
            return Strip([Segment(" " * width, _BLANK)], width)
        if self._strips is None or self._built_for != (width, height):
            self._strips = self.renderer.strips(self._image, width, height, self._overlay)
            self._built_for = (width, height)
        return self._strips[y] if y < len(self._strips) else Strip.blank(width)
