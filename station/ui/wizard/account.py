"""Account: username, password, mobile number and optional email, checked as typed (the
username's availability asked of the portal in the background), then sent (ctrl+s or Enter
in the last field); the portal's refusals are shown under the fields they concern."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.enrollment.machine import EnrollmentState, StepOutcome
from station.portal.errors import PortalError
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.wizard.account_rules import (
    FieldCheck,
    check_email,
    check_mobile,
    check_password,
    check_username,
    normalised_mobile,
)
from station.ui.wizard.base import WizardStepScreen, tone_of
from station.ui.wizard.messages import StepDone

S = EnrollmentState

FIELDS: tuple[tuple[str, Bilingual, bool], ...] = (
    ("username", Bilingual("Username", "اسم المستخدم"), False),
    ("password", Bilingual("Password", "كلمة المرور"), True),
    ("mobile", Bilingual("Mobile", "الجوال"), False),
    ("email", Bilingual("Email", "البريد"), False),
)
FIELD_NAMES = frozenset(name for name, _, _ in FIELDS)
_TAKEN = Bilingual("This username is taken; choose another.", "اسم المستخدم مأخوذ؛ اختر غيره.")
_FREE = Bilingual("Available.", "متاح.")


class AccountScreen(WizardStepScreen):
    SCREEN_ID = "wizard-account"
    STATES = frozenset({S.ACCOUNT})
    TITLE_TEXT = Bilingual("Portal account", "حساب البوابة")
    STEP_ACTIONS = frozenset({"send"})

    DEFAULT_CSS = """
    AccountScreen .form-row { margin-top: 0; }
    AccountScreen .hint { color: $text-muted; }
    AccountScreen .hint.-bad { color: $text-error; }
    AccountScreen .hint.-good { color: $text-success; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send the code", id="account.send", priority=True),
    ]

    def compose_body(self) -> ComposeResult:
        for name, label, secret in FIELDS:
            with Horizontal(classes="form-row"):
                yield Label(f"{label.en} · {for_display(label.ar)}")
                yield Input(id=name, password=secret, compact=True)
            yield BilingualLines(id=f"{name}-hint", classes="hint")

    def on_mount(self) -> None:
        draft = self.wizard.account
        self.query_one("#username", Input).value = draft.username
        self.query_one("#mobile", Input).value = draft.mobile
        self.query_one("#email", Input).value = draft.email
        self._show_check("email", strict=False)  # says it is optional
        first_empty = "#password" if draft.username else "#username"
        self.query_one(first_empty, Input).focus()
        self.show_status(
            Bilingual(
                "Type the details with the person; ctrl+s sends them.",
                "اكتب البيانات مع الشخص؛ ctrl+s يرسلها.",
            )
        )

    # --- live checks ---------------------------------------------------------------------

    def _id_number(self) -> str | None:
        entry = self.wizard.manual_entry
        person = self.enrollment.person
        return person.id_number if person is not None else entry[0] if entry else None

    def _check(self, name: str) -> FieldCheck:
        value = self.query_one(f"#{name}", Input).value
        if name == "username":
            return check_username(value, self._id_number())
        if name == "password":
            return check_password(value)
        if name == "mobile":
            return check_mobile(value)
        return check_email(value)

    def _show_check(self, name: str, *, strict: bool) -> bool:
        check = self._check(name)
        failed = not check.ok and (strict or not check.in_progress)
        field = self.query_one(f"#{name}", Input)
        field.set_class(failed, "-invalid")
        field.set_class(check.ok, "-valid")
        tone: Tone = "good" if check.ok else "bad" if failed else "neutral"
        self.query_one(f"#{name}-hint", BilingualLines).show(check.message, tone)
        return check.ok

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        self._show_check(name, strict=False)
        if name == "username" and self._check(name).ok:
            self._ask_username(event.value)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # An empty field says what it expects as it takes the focus, so the operator sees
        # where the keys go after Enter; a filled one keeps its hint (the portal's answers).
        field = event.widget
        if isinstance(field, Input) and field.id in FIELD_NAMES and not field.value:
            self._show_check(field.id, strict=False)

    @work(exclusive=True, group="username-available")
    async def _ask_username(self, username: str) -> None:
        token = self.wizard.session.token
        if token is None:
            return
        try:
            free = await self.wizard.parts.portal.username_available(token, username)
        except PortalError:
            return  # the portal judges it again when the details are sent
        if self.query_one("#username", Input).value != username:
            return  # typed on since: a newer check is coming
        self.query_one("#username-hint", BilingualLines).show(
            _FREE if free else _TAKEN, "good" if free else "bad"
        )
        self.query_one("#username", Input).set_class(not free, "-invalid")

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        names = [name for name, _, _ in FIELDS]
        position = names.index(event.input.id or "username")
        if position + 1 < len(names):
            self.query_one(f"#{names[position + 1]}", Input).focus()
        else:
            self.action_send()

    # --- sending -------------------------------------------------------------------------

    def action_send(self) -> None:
        if self.busy:
            return
        results = [self._show_check(name, strict=True) for name, _, _ in FIELDS]
        if not all(results):
            first_bad = FIELDS[results.index(False)][0]
            self.query_one(f"#{first_bad}", Input).focus()
            self.show_status(
                Bilingual("Correct the fields marked in red.", "صحّح الحقول المعلّمة بالأحمر."),
                "bad",
            )
            return
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        mobile = normalised_mobile(self.query_one("#mobile", Input).value)
        email = self.query_one("#email", Input).value.strip()
        draft = self.wizard.account
        draft.username, draft.mobile, draft.email = username, mobile, email
        self.run_step(
            "open_account",
            lambda: self.enrollment.open_account(
                username=username, password=password, mobile=mobile, email=email or None
            ),
        )

    def working_message(self, action: str) -> Bilingual:
        return Bilingual("Sending the details to the portal…", "جارٍ إرسال البيانات إلى البوابة…")

    def on_step_done(self, message: StepDone) -> None:
        if isinstance(message.result, StepOutcome) and self.wizard.state is S.SMS_CODE:
            self.wizard.code_sent()
        super().on_step_done(message)

    def step_done(self, message: StepDone) -> None:
        outcome = message.result
        assert isinstance(outcome, StepOutcome)
        self.show_status(outcome.message, tone_of(outcome.ok))
        first_bad: str | None = None
        for name, problem in outcome.field_errors:
            if name not in {field for field, _, _ in FIELDS}:
                continue
            self.query_one(f"#{name}-hint", BilingualLines).show(problem, "bad")
            self.query_one(f"#{name}", Input).set_class(True, "-invalid")
            first_bad = first_bad or name
        if first_bad is not None:
            self.query_one(f"#{first_bad}", Input).focus()
