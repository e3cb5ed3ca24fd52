"""The home screen between enrollments: portal and device status, and the way to start one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

import structlog
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.clock import Clock
from station.devices.status import DeviceState, DeviceStatus, DeviceStatusSource
from station.enrollment.figures import BoothFigures, booth_figures
from station.enrollment_store import EnrollmentStore
from station.operators import OperatorSession
from station.portal.errors import PortalError
from station.portal.protocol import Portal
from station.store import StationStore
from station.ui.messages import DeviceStatusRead, PortalHealthChecked
from station.ui.steps.lookup.screen import LookupScreen
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.widgets.booth_figures import BoothFiguresPanel
from station.ui.widgets.station_bar import StationBar

log = structlog.get_logger(__name__)

_DEVICE_TONES: dict[DeviceState, Tone] = {
    DeviceState.READY: "good",
    DeviceState.ABSENT: "warning",
    DeviceState.SERVICE_DOWN: "bad",
    DeviceState.ERROR: "bad",
    DeviceState.NOT_CONFIGURED: "neutral",
}

_DEVICE_MARKS: dict[DeviceState, str] = {
    DeviceState.READY: "●",
    DeviceState.ABSENT: "▲",
    DeviceState.SERVICE_DOWN: "✖",
    DeviceState.ERROR: "✖",
    DeviceState.NOT_CONFIGURED: "○",
}


def clock_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M:%S")


class HomeScreen(Screen[None]):
    DEFAULT_CSS = """
    HomeScreen > Vertical { padding: 0 1; }
    .panel { border: round $primary; height: auto; padding: 0 1; }
    #portal-status-line, #devices-table { height: auto; }
    .device-name { text-style: bold; }
    .device-summary { padding-left: 2; }
    .devices-checked { color: $text-muted; }
    #offline-notice { height: auto; }
    #start-hint { margin-top: 1; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_enrollment", "New enrollment", id="home.new_enrollment"),
        Binding("r", "refresh", "Refresh status", id="home.refresh"),
    ]

    def __init__(
        self,
        *,
        session: OperatorSession,
        portal: Portal,
        device_status: DeviceStatusSource,
        clock: Clock,
        station_id: str,
        health_check_seconds: float,
        device_check_seconds: float,
        figures: Callable[[datetime], BoothFigures] | None = None,
    ) -> None:
        super().__init__(id="home")
        # Today's figures; by default read from the app's station database.
        self._figures = figures
        self.session = session
        self._portal = portal
        self._device_status = device_status
        self._clock = clock
        self._station_id = station_id
        self._health_check_seconds = health_check_seconds
        self._device_check_seconds = device_check_seconds
        self.last_health: PortalHealthChecked | None = None
        self.last_devices: DeviceStatusRead | None = None

    def compose(self) -> ComposeResult:
        yield StationBar(self._station_id, self.session)
        with Vertical():
            if self.session.offline:
                yield BilingualLines(
                    Bilingual(
                        "Signed in OFFLINE: lookups need the portal. Sign out and in again "
                        "once it is reachable.",
                        "تسجيل دخول دون اتصال: البحث يحتاج البوابة. سجّل الخروج والدخول "
                        "مجددًا عند توفرها.",
                    ),
                    "warning",
                    id="offline-notice",
                )
            with Vertical(classes="panel", id="portal-panel") as portal_panel:
                portal_panel.border_title = "Portal · " + for_display("البوابة")
                yield BilingualLines(
                    Bilingual("Checking the portal…", "جارٍ فحص البوابة…"),
                    "busy",
                    id="portal-status-line",
                )
            with Vertical(classes="panel", id="devices-panel") as devices_panel:
                devices_panel.border_title = "Devices · " + for_display("الأجهزة")
                yield Vertical(id="devices-table")
            yield BoothFiguresPanel(id="booth-figures")
            yield BilingualLines(
                Bilingual("Press n to start a new enrollment.", "اضغط n لبدء تسجيل جديد."),
                id="start-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        store = getattr(self.app, "store", None)
        if self._figures is None and isinstance(store, StationStore):
            enrollments = EnrollmentStore(store.engine)
            self._figures = lambda now: booth_figures(enrollments, now)
        self.action_refresh()
        self.set_interval(self._health_check_seconds, self._check_portal)
        self.set_interval(self._device_check_seconds, self._read_devices)

    def action_refresh(self) -> None:
        self._check_portal()
        self._read_devices()
        self._read_figures()

    def on_screen_resume(self) -> None:
        # Back from an enrollment: it is in today's figures now.
        if self.is_mounted:
            self._read_figures()

    @work(exclusive=True, group="booth-figures", thread=True)
    def _read_figures(self) -> None:
        if self._figures is None:
            return
        figures = self._figures(self._clock())  # an SQLite query: off the UI thread
        self.app.call_from_thread(self._show_figures, figures)

    def _show_figures(self, figures: BoothFigures) -> None:
        for panel in self.query("#booth-figures").results(BoothFiguresPanel):
            panel.show(figures)

    def action_new_enrollment(self) -> None:
        self.app.push_screen(
            LookupScreen(
                session=self.session,
                portal=self._portal,
                clock=self._clock,
                station_id=self._station_id,
            )
        )

    @work(exclusive=True, group="portal-health")
    async def _check_portal(self) -> None:
        try:
            health = await self._portal.health()
        except PortalError as error:
            self.post_message(PortalHealthChecked(self._clock(), None, error.message))
            return
        self.post_message(PortalHealthChecked(self._clock(), health, None))

    @work(exclusive=True, group="device-status", thread=True)
    def _read_devices(self) -> None:
        statuses = self._device_status.read()  # blocks on pcscd: hence the thread
        self.post_message(DeviceStatusRead(self._clock(), statuses))

    def on_portal_health_checked(self, message: PortalHealthChecked) -> None:
        self.last_health = message
        # A check may finish as the screen is being taken down (sign-out, quit): then there
        # is nothing left to update.
        line = next(iter(self.query("#portal-status-line").results(BilingualLines)), None)
        if line is None:
            return
        checked = clock_time(message.checked_at)
        if message.health is not None and message.health.ok:
            version = message.health.version
            line.show(
                Bilingual(
                    f"● Reachable · checked {checked}",
                    f"متاحة · آخر فحص {checked}",
                ),
                "good",
            )
            log.info("home.portal_reachable", version=version)
        elif message.health is not None:
            line.show(
                Bilingual(
                    f"▲ Answering but degraded (database: {message.health.database}) · "
                    f"checked {checked}. Lookups may fail; tell technical support.",
                    f"تستجيب مع خلل (قاعدة البيانات: {message.health.database}) · آخر فحص "
                    f"{checked}. قد يفشل البحث؛ أبلغ الدعم الفني.",
                ),
                "warning",
            )
        else:
            problem = message.problem or Bilingual("Unreachable.", "غير متاحة.")
            line.show(
                Bilingual(
                    f"✖ {problem.en} (checked {checked})", f"{problem.ar} (آخر فحص {checked})"
                ),
                "bad",
            )

    def on_device_status_read(self, message: DeviceStatusRead) -> None:
        self.last_devices = message
        for table in self.query("#devices-table").results(Vertical):
            table.remove_children()
            table.mount_all(device_rows(message.statuses, message.read_at))


def device_rows(statuses: Sequence[DeviceStatus], read_at: datetime) -> list[Widget]:
    """Per device: its mark and name, then what is the case, English beside Arabic."""
    rows: list[Widget] = []
    for status in statuses:
        mark = _DEVICE_MARKS[status.state]
        tone = _DEVICE_TONES[status.state]
        rows.append(
            BilingualLines(
                Bilingual(f"{mark} {status.device.en}", status.device.ar),
                tone,
                classes="device-name",
            )
        )
        rows.append(BilingualLines(status.summary, tone, classes="device-summary"))
    rows.append(Static(f"checked {clock_time(read_at)}", classes="devices-checked"))
    return rows
