"""`StationApp`: the operator's app. The outside world (portal, devices, clock) comes in as
arguments, so tests and screenshots run it against whatever they choose.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import structlog
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType

from station.bilingual import Bilingual
from station.clock import Clock, system_clock
from station.customer_display.model import DisplayPublisher
from station.devices.camera import Camera, FrameSource
from station.devices.status import DeviceStatusSource, StationDeviceStatus
from station.operators import IdleTimer, OperatorSession, OperatorSignIn
from station.portal.protocol import Portal
from station.settings import StationSettings
from station.store import StationStore
from station.ui.messages import OperatorSignedIn
from station.ui.screens.home import HomeScreen
from station.ui.screens.sign_in import SignInScreen
from station.ui.wizard.home import WizardHomeScreen
from station.ui.wizard.parts import WizardParts

log = structlog.get_logger(__name__)


class StationApp(App[int]):
    """Sign-in, home, and the enrollment steps. Returns 0 on a normal quit."""

    TITLE = "Hawiya"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+o", "sign_out", "Sign out", id="app.sign_out"),
    ]

    def __init__(
        self,
        settings: StationSettings,
        portal: Portal,
        *,
        clock: Clock = system_clock,
        device_status: DeviceStatusSource | None = None,
        store: StationStore | None = None,
        station_id: str | None = None,
        idle_check_seconds: float = 1.0,
        camera: FrameSource | None = None,
        customer_display: DisplayPublisher | None = None,
        enrollment_parts: WizardParts | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.portal = portal
        self.clock = clock
        self.device_status = device_status or StationDeviceStatus(settings.devices)
        self._owns_store = store is None
        self.store = store or StationStore(settings.database_path)
        self.station_id = station_id or settings.station_id or "station"
        self.operator_sign_in = OperatorSignIn(portal, self.store, settings.operators, clock)
        self.idle = IdleTimer(timedelta(minutes=settings.operators.idle_sign_out_minutes), clock)
        self._idle_check_seconds = idle_check_seconds
        self.session: OperatorSession | None = None
        # The camera: given (tests), or opened from devices.camera_url at the first face step.
        self.camera = camera
        self._owned_camera: Camera | None = None
        self.customer_display = customer_display
        # The enrollment core's ports: with them, key n on home opens the enrollment wizard.
        self.enrollment_parts = enrollment_parts

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.push_screen(self._sign_in_screen())
        self.set_interval(self._idle_check_seconds, self.sign_out_if_idle)

    def on_unmount(self) -> None:
        if self._owned_camera is not None:
            self._owned_camera.stop()
        if self._owns_store:
            self.store.close()

    async def on_event(self, event: events.Event) -> None:
        # Any key the operator presses, on any screen, counts as presence.
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self.idle.touch()
        await super().on_event(event)

    def on_operator_signed_in(self, message: OperatorSignedIn) -> None:
        self.start_session(message.session)

    def start_session(self, session: OperatorSession) -> None:
        """Show the home screen for `session` (what a successful sign-in leads to)."""
        self.session = session
        self.idle.touch()
        log.info("ui.session_started", operator_id=session.operator_id, offline=session.offline)
        home = HomeScreen if self.enrollment_parts is None else WizardHomeScreen
        self.switch_screen(
            home(
                session=session,
                portal=self.portal,
                device_status=self.device_status,
                clock=self.clock,
                station_id=self.station_id,
                health_check_seconds=self.settings.portal.health_check_seconds,
                device_check_seconds=self.settings.devices.status_check_seconds,
            )
        )

    def open_face_step(self, reference: npt.NDArray[np.uint8] | None = None) -> None:
        """The Face step against `reference` (the card or portal portrait; None: liveness only)."""
        # Imported here: the vision stack (MediaPipe, dlib) takes a second to load, and the
        # app should start without it.
        from station.ui.steps.face.screen import FaceStepScreen

        if self.camera is None and self.settings.devices.camera_url:
            self._owned_camera = Camera.from_setting(self.settings.devices.camera_url)
            self._owned_camera.start()
            self.camera = self._owned_camera
        if self.camera is None:
            self.notify(
                "No camera configured: set devices.camera_url. / "
                "لا توجد كاميرا مُعدّة: اضبط devices.camera_url.",
                severity="error",
            )
            return
        self.push_screen(
            FaceStepScreen(
                frames=self.camera,
                display=self.customer_display,
                reference=reference,
                station_id=self.station_id,
                session=self.session,
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sign_out":
            return self.session is not None
        return True

    async def action_sign_out(self) -> None:
        await self.sign_out(Bilingual("You signed out.", "سجّلت الخروج."))

    async def sign_out_if_idle(self) -> None:
        if self.session is not None and self.idle.expired():
            minutes = self.settings.operators.idle_sign_out_minutes
            shown = f"{minutes:g}"
            await self.sign_out(
                Bilingual(
                    f"Signed out after {shown} minutes without a key press. Sign in again.",
                    f"تم تسجيل الخروج بعد {shown} دقائق دون ضغط أي مفتاح. سجّل الدخول مجددًا.",
                )
            )

    async def sign_out(self, notice: Bilingual) -> None:
        """End the session and come back to the sign-in screen, whatever was open."""
        if self.session is None:
            return
        log.info("ui.signed_out", operator_id=self.session.operator_id, notice=notice.en)
        self.session = None
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        await self.switch_screen(self._sign_in_screen(notice))
        self.refresh_bindings()

    def _sign_in_screen(self, notice: Bilingual | None = None) -> SignInScreen:
        return SignInScreen(self.operator_sign_in, self.station_id, notice)
