"""One message in both languages side by side: English on the left, Arabic on the right."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from station.bilingual import Bilingual
from station.ui.widgets.right_to_left_text import RightToLeftText

Tone = Literal["neutral", "good", "warning", "bad", "busy"]
TONES: tuple[Tone, ...] = ("neutral", "good", "warning", "bad", "busy")


class BilingualLines(Horizontal):
    """Shows one `Bilingual` message; `message` keeps it in logical order for whoever asks."""

    DEFAULT_CSS = """
    BilingualLines { height: auto; }
    BilingualLines > .en { width: 1fr; height: auto; }
    BilingualLines > .ar { width: 1fr; margin-left: 2; }
    BilingualLines.-good { color: $text-success; }
    BilingualLines.-warning { color: $text-warning; }
    BilingualLines.-bad { color: $text-error; }
    BilingualLines.-busy { color: $text-accent; }
    """

    def __init__(
        self,
        message: Bilingual | None = None,
        tone: Tone = "neutral",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.message = message
        self.tone: Tone = tone

    def compose(self) -> ComposeResult:
        yield Static(self.message.en if self.message else "", classes="en")
        yield RightToLeftText(self.message.ar if self.message else "", classes="ar")

    def on_mount(self) -> None:
        self.show(self.message, self.tone)

    def show(self, message: Bilingual | None, tone: Tone = "neutral") -> None:
        self.message = message
        self.tone = tone
        for name in TONES:
            self.set_class(name == tone, f"-{name}")
        if not self.is_mounted:
            return
        self.query_one(".en", Static).update(message.en if message else "")
        self.query_one(".ar", RightToLeftText).update(message.ar if message else "")
