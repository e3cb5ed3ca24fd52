"""The face step's half-block camera preview: how fast 640x480 camera frames become an 80x30-cell
picture, the converter alone and the widget drawn by Textual in a headless app.

`python -m benchmarks.bench_face_preview [--frames N] [--json OUT]`. Frames are the simulated
person turning and smiling, rendered once before timing so only the preview is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from textual.app import App, ComposeResult

from benchmarks.table import format_table
from simulator.subject.behaviour import SubjectScript
from simulator.subject.identity import make_identity
from simulator.subject.live_scene import LiveScene
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue
from station.ui.widgets.half_block_preview import (
    HalfBlockPreview,
    HalfBlockRenderer,
    PreviewOverlay,
)

Image = npt.NDArray[np.uint8]
BENCHMARK = "face preview"
CELLS = (80, 30)
OVERLAY = PreviewOverlay(face_box=(220.0, 120.0, 200.0, 240.0), label="→ Turn head · 5 s")


def camera_frames(count: int, seed: int = 7) -> list[Image]:
    identity = make_identity(seed, "male", 38.0, "SAU")
    scene = LiveScene(identity)
    queue = PromptQueue()
    queue.put(PromptEvent(Prompt.TURN_LEFT, seen_at=0.5))
    queue.put(PromptEvent(Prompt.SMILE, seen_at=2.5))
    script = SubjectScript(seed, prompts=queue)
    return [scene.render(script.state_at(n / 15.0), n) for n in range(count)]


def converter_rows(frames: list[Image]) -> list[dict[str, Any]]:
    renderer = HalfBlockRenderer()
    renderer.strips(frames[0], *CELLS, OVERLAY)  # the first frame fills the style cache
    times, resize = [], []
    for frame in frames:
        started = time.perf_counter()
        renderer.strips(frame, *CELLS, OVERLAY)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        cv2.resize(frame, (80, 60), interpolation=cv2.INTER_AREA)
        resize.append(time.perf_counter() - started)
    median, p95 = (float(np.percentile(times, q)) * 1000 for q in (50, 95))
    baseline = float(np.median(resize)) * 1000
    note = f"{len(frames)} frames 640x480 -> {CELLS[0]}x{CELLS[1]} cells; baseline: resize alone"
    return [
        _row("converter ms per frame (median)", median, "ms", baseline, note),
        _row("converter ms per frame (p95)", p95, "ms", baseline, "baseline: resize alone"),
        _row("converter frames per second (median)", 1000 / median, "fps", None, "goal >= 15"),
        _row("styles cached", renderer.cached_styles, "styles", None, "5 bits per channel"),
    ]


class _PreviewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield HalfBlockPreview()


async def _drawn_per_second(frames: list[Image]) -> tuple[float, int]:
    """Frames the widget shows per second when each is drawn before the next is given."""
    app = _PreviewApp()
    async with app.run_test(size=CELLS) as pilot:
        preview = app.query_one(HalfBlockPreview)
        preview.show(frames[0], OVERLAY)
        await pilot.pause()
        started = time.perf_counter()
        for frame in frames:
            preview.show(frame, OVERLAY)
            await pilot.pause()  # the compositor draws the widget's 30 lines
        elapsed = time.perf_counter() - started
    return len(frames) / elapsed, len(frames)


def widget_rows(frames: list[Image]) -> list[dict[str, Any]]:
    rate, count = asyncio.run(_drawn_per_second(frames))
    note = f"{count} frames, headless Textual app of {CELLS[0]}x{CELLS[1]}, one after another"
    return [_row("widget frames drawn per second", rate, "fps", None, note + "; goal >= 15")]


def _row(figure: str, value: float, unit: str, baseline: float | None, note: str) -> dict[str, Any]:
    row: dict[str, Any] = {"benchmark": BENCHMARK, "figure": figure, "value": value, "unit": unit}
    if baseline is not None:
        row["baseline"] = baseline
    row["note"] = note
    return row


def run(frames: int = 120) -> list[dict[str, Any]]:
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # as on the booth, where the liveness loop has the other core
    try:
        images = camera_frames(frames)
        return converter_rows(images) + widget_rows(images)
    finally:
        cv2.setNumThreads(threads)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_face_preview")
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    rows = run(args.frames)
    print(format_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
