"""The half-block preview: two pixels per cell, centred, with the face box and the challenge
drawn over the picture; and a screenshot of it at 80x30."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import numpy.typing as npt
from rich.color import Color
from textual.app import App, ComposeResult

from station.ui.widgets.half_block_preview import (
    UPPER_HALF,
    HalfBlockPreview,
    HalfBlockRenderer,
    PreviewOverlay,
)


def _halves() -> npt.NDArray[np.uint8]:
    """Left half red, right half blue, 640x480."""
    image = np.zeros((480, 640, 3), np.uint8)
    image[:, :320] = (0, 0, 255)
    image[:, 320:] = (255, 0, 0)
    return image


def test_each_cell_holds_two_pixels_and_the_picture_fills_80_by_30() -> None:
    strips = HalfBlockRenderer().strips(_halves(), 80, 30)
    assert len(strips) == 30
    assert {strip.cell_length for strip in strips} == {80}
    segments = list(strips[10])
    assert [segment.text for segment in segments] == [UPPER_HALF * 40, UPPER_HALF * 40]
    red, blue = (segment.style for segment in segments)
    assert red is not None
    assert blue is not None
    assert red.color == red.bgcolor == Color.from_rgb(255, 0, 0)
    assert blue.color == Color.from_rgb(0, 0, 255)


def test_a_narrow_area_keeps_the_aspect_and_centres_the_picture() -> None:
    strips = HalfBlockRenderer().strips(_halves(), 80, 20)  # 40 rows of pixels: 53 wide
    first = list(strips[5])
    assert first[0].text.strip() == ""  # black margin on the left
    assert sum(len(s.text) for s in first if s.text.startswith(UPPER_HALF)) == 53


def test_the_face_box_and_the_challenge_are_drawn_over_the_picture() -> None:
    grey = np.full((480, 640, 3), 100, np.uint8)
    overlay = PreviewOverlay(face_box=(160.0, 120.0, 320.0, 240.0), label="→ Turn head")
    strips = HalfBlockRenderer().strips(grey, 80, 30, overlay)
    # The box's top edge, pixel row 15 (120 of 480), is the lower half of cell row 7.
    lower_halves = [s.style.bgcolor for s in strips[7] if s.style and s.style.bgcolor]
    assert Color.from_rgb(57, 231, 57) in lower_halves  # BOX_BGR at 5 bits per channel
    assert "→ Turn head" in "".join(segment.text for segment in strips[29])


def test_the_style_of_a_colour_pair_is_made_once() -> None:
    renderer = HalfBlockRenderer()
    renderer.strips(_halves(), 80, 30)
    renderer.strips(_halves(), 80, 30)
    assert renderer.cached_styles == 2


class PreviewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield HalfBlockPreview()

    def on_mount(self) -> None:
        # A drawn face, not the simulator's: the snapshot is about the preview's layout and
        # must not change whenever the face generator does.
        frame = np.full((480, 640, 3), 70, np.uint8)
        cv2.ellipse(frame, (320, 225), (100, 135), 0, 0, 360, (120, 160, 210), -1)
        for eye_x in (282, 358):
            cv2.circle(frame, (eye_x, 200), 12, (40, 40, 40), -1)
        cv2.ellipse(frame, (320, 290), (35, 12), 0, 0, 180, (60, 60, 150), 4)
        self.query_one(HalfBlockPreview).show(
            frame, PreviewOverlay(face_box=(215.0, 90.0, 210.0, 270.0), label="↑ Look up · 4 s")
        )


def test_preview_snapshot(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(PreviewApp(), terminal_size=(80, 30))
