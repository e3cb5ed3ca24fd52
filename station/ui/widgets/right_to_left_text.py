"""Arabic paragraphs in a terminal: wrapped in logical order first, then shaped line by line.

Shaping and reordering a whole paragraph and letting the terminal wrap it would put its end on
the first line; so lines are cut from the logical text at the widget's width, and each line is
shaped and reordered on its own, right-aligned.
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widget import Widget

from station.bidi_text import for_display, is_right_to_left


def display_lines(text: str, width: int) -> list[str]:
    """`text` cut into lines of at most `width` cells, each ready to draw left to right."""
    if not text:
        return []
    logical = textwrap.wrap(text, width=max(width, 8)) or [text]
    right_to_left = is_right_to_left(text)
    return [for_display(line, right_to_left=right_to_left) for line in logical]


class RightToLeftText(Widget):
    """A right-aligned, wrapped Arabic (or mixed) paragraph; `text` stays in logical order."""

    DEFAULT_CSS = """
    RightToLeftText { height: auto; width: 1fr; }
    """

    def __init__(
        self, text: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def update(self, text: str) -> None:
        self._text = text
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(display_lines(self._text, width))

    def render(self) -> RenderResult:
        lines = display_lines(self._text, self.content_size.width)
        return Text("\n".join(lines), justify="right", no_wrap=True, end="")
