"""Consent: the operator reads the consent text with the citizen (it is on their screen too)
and records the answer: y agrees, n declines (the enrollment stops; nothing was captured)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from station.bilingual import Bilingual
from station.customer_display.consent import CONSENT
from station.enrollment.machine import EnrollmentState, StepOutcome
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.wizard.base import WizardStepScreen, tone_of

S = EnrollmentState


class ConsentScreen(WizardStepScreen):
    SCREEN_ID = "wizard-consent"
    STATES = frozenset({S.CONSENT})
    TITLE_TEXT = CONSENT.title

    DEFAULT_CSS = """
    ConsentScreen .consent-paragraph { margin-bottom: 1; }
    ConsentScreen #consent-question { text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "agree", "Agrees", id="consent.agree"),
        Binding("n", "decline", "Declines", id="consent.decline"),
    ]

    def compose_body(self) -> ComposeResult:
        for paragraph in CONSENT.paragraphs:
            yield BilingualLines(paragraph, classes="consent-paragraph")
        yield BilingualLines(
            CONSENT.question.join(Bilingual("(y / n)", "(y / n)")), id="consent-question"
        )
        yield BilingualLines(
            Bilingual(f"Consent text {CONSENT.version}", f"نص الموافقة {CONSENT.version}"),
            classes="hint",
        )

    def on_mount(self) -> None:
        # At 80x24 the text does not fit: arrows and page keys scroll it.
        self.query_one("#step-body").focus()

    def action_agree(self) -> None:
        self._apply(self.enrollment.give_consent())

    def action_decline(self) -> None:
        self._apply(self.enrollment.decline_consent())

    def _apply(self, outcome: StepOutcome) -> None:
        if self.wizard.state in self.STATES:
            self.show_status(outcome.message, tone_of(outcome.ok))
        else:
            self.wizard.show_current()
