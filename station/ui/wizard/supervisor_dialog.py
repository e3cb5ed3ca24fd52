"""The supervisor's sign-off for a fingerprint exception (a scarred, injured or missing
finger): username, password and the reason, checked by `SupervisorCheck`; or, when no
supervisor can be checked at this station, a clear "needs a supervisor"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.wizard.supervisor import NO_SUPERVISOR, SupervisorCheck, SupervisorVerdict

NEEDS_REASON = Bilingual(
    "Write why: e.g. scarred finger, injured, missing finger.",
    "اكتب السبب: مثل إصبع متندب، أو مصاب، أو مفقود.",
)


@dataclass(frozen=True, slots=True)
class Approval:
    supervisor_id: str
    reason: str


class SupervisorDialog(ModalScreen[Approval | None]):
    DEFAULT_CSS = """
    SupervisorDialog { align: center middle; }
    SupervisorDialog > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%; border: thick $warning;
        padding: 0 1; background: $surface;
    }
    SupervisorDialog .form-row { height: 1; margin-top: 1; }
    SupervisorDialog .form-row Label { width: 24; }
    SupervisorDialog .form-row Input { width: 1fr; background: $boost; }
    SupervisorDialog #supervisor-status { margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="supervisor.back"),
        Binding("ctrl+s", "approve", "Approve", id="supervisor.approve", priority=True),
    ]

    def __init__(self, check: SupervisorCheck | None, operator_id: str) -> None:
        super().__init__(id="supervisor-dialog")
        self._check = check
        self._operator_id = operator_id
        self.available = check is not None and check.available()
        self.checking = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Supervisor exception · " + for_display("استثناء المشرف")
            if self.available:
                yield BilingualLines(
                    Bilingual(
                        "A supervisor approves enrolling without a verified fingerprint.",
                        "يعتمد المشرف التسجيل دون بصمة متحقق منها.",
                    )
                )
                with Horizontal(classes="form-row"):
                    yield Label("Supervisor · " + for_display("المشرف"))
                    yield Input(id="supervisor-username", compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("Password · " + for_display("كلمة المرور"))
                    yield Input(id="supervisor-password", password=True, compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("Reason · " + for_display("السبب"))
                    yield Input(id="supervisor-reason", placeholder="scarred finger", compact=True)
                yield BilingualLines(id="supervisor-status")
            else:
                yield BilingualLines(NO_SUPERVISOR, "warning", id="supervisor-status")
        yield Footer()

    def on_mount(self) -> None:
        if self.available:
            self.query_one("#supervisor-username", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "approve":
            return self.available and not self.checking
        return True

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        order = ["#supervisor-username", "#supervisor-password", "#supervisor-reason"]
        position = order.index(f"#{event.input.id}")
        if position + 1 < len(order):
            self.query_one(order[position + 1], Input).focus()
        else:
            self.action_approve()

    def action_approve(self) -> None:
        if not self.available or self.checking:
            return
        reason = self.query_one("#supervisor-reason", Input).value.strip()
        if not reason:
            self._say(NEEDS_REASON, "bad")
            self.query_one("#supervisor-reason", Input).focus()
            return
        self.checking = True
        self.refresh_bindings()
        self._say(Bilingual("Checking the supervisor…", "جارٍ التحقق من المشرف…"), "busy")
        self._run_check(
            self.query_one("#supervisor-username", Input).value,
            self.query_one("#supervisor-password", Input).value,
            reason,
        )

    @work(exclusive=True, group="supervisor-check")
    async def _run_check(self, username: str, password: str, reason: str) -> None:
        assert self._check is not None
        verdict = await self._check.check(username, password, operator_id=self._operator_id)
        self._checked(verdict, reason)

    def _checked(self, verdict: SupervisorVerdict, reason: str) -> None:
        self.checking = False
        self.refresh_bindings()
        if verdict.approved and verdict.supervisor_id is not None:
            self.dismiss(Approval(verdict.supervisor_id, reason))
            return
        self.query_one("#supervisor-password", Input).value = ""
        self._say(verdict.message, "bad")

    def _say(self, message: Bilingual, tone: str) -> None:
        self.query_one("#supervisor-status", BilingualLines).show(message, tone)  # type: ignore[arg-type]

    def action_back(self) -> None:
        self.dismiss(None)
