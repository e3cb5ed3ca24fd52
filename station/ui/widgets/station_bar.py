"""The line at the top of every screen: product, station, and who is signed in."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from station.bidi_text import for_display
from station.operators import OperatorSession


class StationBar(Static):
    DEFAULT_CSS = """
    StationBar {
        dock: top; height: 1; width: 1fr; padding: 0 1; background: $primary; color: $text;
    }
    """

    def __init__(self, station_id: str, session: OperatorSession | None = None) -> None:
        super().__init__(id="station-bar")
        self.station_id = station_id
        self.session = session

    def on_mount(self) -> None:
        text = Text.assemble(("Hawiya ", "bold"), (for_display("هوية"), "bold"))
        text.append(f" · {self.station_id}")
        if self.session is not None:
            text.append(f" · {self.session.display_name} ({self.session.operator_id})")
            if self.session.offline:
                text.append(" OFFLINE ", style="bold black on yellow")
        self.update(text)
