"""The operator sign-in screen: username, masked password, errors and lockouts said inline."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.operators import OperatorSignIn, SignInStatus
from station.ui.messages import OperatorSignedIn, SignInFinished
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.widgets.station_bar import StationBar

_TONES: dict[SignInStatus, Tone] = {
    SignInStatus.SIGNED_IN: "good",
    SignInStatus.SIGNED_IN_OFFLINE: "warning",
    SignInStatus.MISSING_INPUT: "warning",
    SignInStatus.OFFLINE_NOT_CACHED: "bad",
}


class SignInScreen(Screen[None]):
    """First screen of the day, and the one every sign-out returns to."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    #sign-in-box {
        width: 72; max-width: 100%; height: auto; padding: 0 1;
        border: round $primary; background: $panel;
    }
    #sign-in-title { text-style: bold; margin-bottom: 1; }
    #sign-in-box .field-row { height: 1; margin-bottom: 1; }
    #sign-in-box .field-row Label { width: 28; }
    #sign-in-box .field-row Input { width: 1fr; background: $boost; }
    #sign-in-message { min-height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Sign in", id="sign_in.submit", priority=True),
    ]

    def __init__(
        self, sign_in: OperatorSignIn, station_id: str, notice: Bilingual | None = None
    ) -> None:
        super().__init__(id="sign-in")
        self._sign_in = sign_in
        self._station_id = station_id
        self._notice = notice

    def compose(self) -> ComposeResult:
        yield StationBar(self._station_id)
        with Vertical(id="sign-in-box"):
            yield BilingualLines(
                Bilingual("Operator sign-in", "تسجيل دخول المشغل"), id="sign-in-title"
            )
            with Horizontal(classes="field-row"):
                yield Label("Username · " + for_display("اسم المستخدم"))
                yield Input(id="username", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Password · " + for_display("كلمة المرور"))
                yield Input(id="password", password=True, compact=True)
            yield BilingualLines(self._notice, "warning", id="sign-in-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def action_submit(self) -> None:
        # Enter is a priority key, handled as it arrives, while keys typed just before it may
        # still wait in the input's queue (fast typists, a terminal sending a whole line).
        # So focus moves at once, and the fields are read only after that queue is drained.
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        if self.focused is username and not password.value:
            self.set_focus(password)  # at once: what is typed next goes to the password
            return
        field = self.focused if isinstance(self.focused, Input) else password
        field.call_later(self.submit)

    def submit(self) -> None:
        """Sign in with what the fields hold now, in a worker."""
        username = self.query_one("#username", Input).value
        password = self.query_one("#password", Input).value
        if self._sign_in_running():
            return
        self._set_busy(True)
        self.query_one("#sign-in-message", BilingualLines).show(
            Bilingual("Signing in…", "جارٍ تسجيل الدخول…"), "busy"
        )
        self._run_sign_in(username, password)

    @work(exclusive=True, group="sign-in")
    async def _run_sign_in(self, username: str, password: str) -> None:
        outcome = await self._sign_in.sign_in(username, password)
        self.post_message(SignInFinished(outcome))

    def on_sign_in_finished(self, message: SignInFinished) -> None:
        outcome = message.outcome
        self._set_busy(False)
        self.query_one("#sign-in-message", BilingualLines).show(
            outcome.message, _TONES.get(outcome.status, "bad")
        )
        if outcome.session is not None:
            self.post_message(OperatorSignedIn(outcome.session))
            return
        password = self.query_one("#password", Input)
        password.value = ""
        if (
            outcome.status is SignInStatus.MISSING_INPUT
            and not self.query_one("#username", Input).value.strip()
        ):
            self.query_one("#username", Input).focus()
        else:
            password.focus()

    def _sign_in_running(self) -> bool:
        return any(worker.group == "sign-in" and worker.is_running for worker in self.workers)

    def _set_busy(self, busy: bool) -> None:
        for field in self.query(Input):
            field.disabled = busy
