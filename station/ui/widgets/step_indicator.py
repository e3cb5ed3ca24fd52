"""The wizard's steps across the top of each step screen, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from station.bilingual import Bilingual

WIZARD_STEPS: tuple[Bilingual, ...] = (
    Bilingual("Identity", "الهوية"),
    Bilingual("Consent", "الموافقة"),
    Bilingual("Fingerprint", "البصمة"),
    Bilingual("Face", "الوجه"),
    Bilingual("Account", "الحساب"),
    Bilingual("Done", "تم"),
)


class StepIndicator(Static):
    """`● 1 Identity  ○ 2 Consent ...`: done steps ticked, later steps dim."""

    DEFAULT_CSS = """
    StepIndicator { height: 1; width: 1fr; padding: 0 1; background: $boost; }
    """

    def __init__(self, active: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.active = active

    def on_mount(self) -> None:
        self.update(self.render_steps())

    def render_steps(self) -> Text:
        text = Text()
        for index, step in enumerate(WIZARD_STEPS):
            if index:
                text.append("  ")
            if index < self.active:
                text.append(f"✓ {index + 1} {step.en}", style="green")
            elif index == self.active:
                text.append(f"● {index + 1} {step.en}", style="bold reverse")
            else:
                text.append(f"○ {index + 1} {step.en}", style="dim")
        return text
