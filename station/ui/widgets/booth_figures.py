"""The home screen's panel of today's figures: enrollments, success rate, median duration,
and the most frequent reasons enrollments stopped."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.enrollment.figures import BoothFigures, format_seconds
from station.ui.widgets.bilingual_lines import BilingualLines


def figure_lines(figures: BoothFigures | None) -> list[Bilingual]:
    if figures is None:
        return [Bilingual("Reading today's figures…", "جارٍ قراءة أرقام اليوم…")]
    if figures.enrollments == 0:
        return [Bilingual("No enrollment yet today.", "لا يوجد تسجيل اليوم بعد.")]
    rate = figures.success_rate or 0.0
    lines = [
        Bilingual(
            f"Today: {figures.enrollments} enrollments, {figures.completed} completed ({rate:.0%})",
            f"اليوم: {figures.enrollments} تسجيل، اكتمل {figures.completed} ({rate:.0%})",
        )
    ]
    if figures.median_seconds is not None:
        shown = format_seconds(figures.median_seconds)
        lines.append(Bilingual(f"Median duration: {shown}", f"المدة الوسيطة: {shown}"))
    if figures.top_failure_reasons:
        reasons = ", ".join(f"{reason} ({count})" for reason, count in figures.top_failure_reasons)
        lines.append(Bilingual(f"Top failure reasons: {reasons}", f"أكثر أسباب التوقف: {reasons}"))
    return lines


class BoothFiguresPanel(Vertical):
    DEFAULT_CSS = """
    BoothFiguresPanel { border: round $primary; height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.figures: BoothFigures | None = None
        self.border_title = "Today · " + for_display("اليوم")

    def compose(self) -> ComposeResult:
        for line in figure_lines(None):
            yield BilingualLines(line, "busy")

    def show(self, figures: BoothFigures) -> None:
        self.figures = figures
        self.remove_children()
        self.mount_all([BilingualLines(line) for line in figure_lines(figures)])

    @property
    def lines(self) -> list[Bilingual]:
        return figure_lines(self.figures)
