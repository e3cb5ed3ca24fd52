"""The citizen-facing screen: what it shows (`model`) and the loopback web page that shows it."""

from station.customer_display.model import DisplayPublisher, DisplayScreen, DisplayUpdate

__all__ = ["DisplayPublisher", "DisplayScreen", "DisplayUpdate"]
