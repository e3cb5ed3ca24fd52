"""The station put together from its settings: the portal adapter, the card watcher, the
fingerprint scanner and step, the camera and face step, the customer display (served by the
station), the supervisor check and the journal, as the wizard's `WizardParts`.

Nothing here knows whether the devices are real or simulated: the same settings name a
physical reader, a vendor's scanner service and a USB or IP camera on a real booth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import structlog

from station.bilingual import Bilingual
from station.card.failures import CardReadError
from station.clock import Clock
from station.customer_display.server import CustomerDisplayServer
from station.devices.card_reader import PcscCardReader, load_country_cas
from station.devices.fingerprint_scanner import SbiFingerprintScanner
from station.devices.status import DeviceState, DeviceStatus, DeviceStatusSource
from station.enrollment.audit import AuditTrail, EnrollmentJournal
from station.enrollment.fingerprint_step import FingerAttempt, FingerprintStep
from station.enrollment_store import EnrollmentStore
from station.portal.client import PortalClient
from station.settings import SettingsError, StationSettings
from station.store import StationStore

if TYPE_CHECKING:  # the UI's types, for annotations only: the core never imports station.ui
    from station.enrollment.live_face_step import OnDemandCamera
    from station.ui.wizard.parts import WizardParts

log = structlog.get_logger(__name__)

CUSTOMER_DISPLAY = Bilingual("Customer display", "شاشة العميل")

TokenSource = Callable[[], str | None]


class BoothFingerprints:
    """The `FingerprintStep` port for one enrollment after another: a fresh step (tries per
    finger, the scanner's hash chain) for each enrollment, with the signed-in operator's
    portal token of that moment."""

    def __init__(
        self,
        scanner: SbiFingerprintScanner,
        client: PortalClient,
        token: TokenSource,
        clock: Clock,
    ) -> None:
        self.scanner = scanner
        self._client = client
        self._token = token
        self._clock = clock
        self._step: FingerprintStep | None = None

    def new_enrollment(self) -> None:
        self._step = None

    async def capture_and_verify(self, id_number: str, finger_position: int) -> FingerAttempt:
        if self._step is None:
            # No token (an offline sign-in): the portal refuses the verification, which the
            # step reports as the portal's problem, not the person's.
            self._step = FingerprintStep(
                self.scanner, self._client, self._token() or "", clock=self._clock
            )
        return await self._step.capture_and_verify(id_number, finger_position)


class BoothDeviceStatus:
    """The configured devices' status, plus the customer display; the camera's line comes from
    the running camera while the face step has it open (no second stream)."""

    def __init__(
        self,
        devices: DeviceStatusSource,
        camera: OnDemandCamera | None,
        display: CustomerDisplayServer | None,
    ) -> None:
        self._devices = devices
        self._camera = camera
        self._display = display

    def read(self) -> Sequence[DeviceStatus]:
        from station.devices.camera import camera_status
        from station.devices.status import CAMERA

        statuses = list(self._devices.read())
        running = None if self._camera is None else self._camera.running
        if running is not None and self._camera is not None:
            statuses = [
                camera_status(self._camera.camera_url, running) if s.device == CAMERA else s
                for s in statuses
            ]
        statuses.append(display_status(self._display))
        return tuple(statuses)


def display_status(display: CustomerDisplayServer | None) -> DeviceStatus:
    if display is None:
        return DeviceStatus(
            CUSTOMER_DISPLAY,
            DeviceState.NOT_CONFIGURED,
            Bilingual(
                "Off (customer_display.enabled = false): the citizen sees no prompts.",
                "متوقفة (customer_display.enabled = false): لا يرى المواطن أي تعليمات.",
            ),
        )
    return DeviceStatus(
        CUSTOMER_DISPLAY,
        DeviceState.READY,
        Bilingual(
            f"Ready: open {display.page_url} on the citizen's screen.",
            f"جاهزة: افتح {display.page_url} على شاشة المواطن.",
        ),
    )


@dataclass
class StationAssembly:
    """What `assemble_station` built; `close()` releases it (after the app has ended)."""

    store: StationStore
    display: CustomerDisplayServer | None
    device_status: DeviceStatusSource
    parts: WizardParts | None  # None: devices missing, key n opens the lookup step only
    missing: list[Bilingual] = field(default_factory=list)  # why there are no parts
    scanner: SbiFingerprintScanner | None = None
    camera: OnDemandCamera | None = None
    fingerprints: BoothFingerprints | None = None
    _token: list[TokenSource] = field(default_factory=list)

    def use_session_token(self, token: TokenSource) -> None:
        """Where the operator's portal token comes from (the app's session, once built)."""
        self._token[:] = [token]

    def session_token(self) -> str | None:
        return self._token[0]() if self._token else None

    async def aclose(self) -> None:
        if self.scanner is not None:
            await self.scanner.aclose()
        if self.camera is not None:
            while self.camera.running is not None:
                self.camera.close()
        if self.display is not None:
            self.display.stop()
        self.store.close()


def start_customer_display(settings: StationSettings) -> CustomerDisplayServer | None:
    """Serve the citizen's screen; raises `SettingsError` when its port is taken."""
    wanted = settings.customer_display
    if not wanted.enabled:
        return None
    display = CustomerDisplayServer(host=wanted.host, port=wanted.port)
    try:
        display.start()
    except RuntimeError as error:
        raise SettingsError(
            Bilingual(
                f"Customer display: {error}. Set customer_display.port (0 picks a free one) "
                "or stop what uses the port.",
                f"شاشة العميل: تعذّر التشغيل على {wanted.host}:{wanted.port}. اضبط "
                "customer_display.port (القيمة 0 تختار منفذًا متاحًا) أو أوقف ما يستخدم المنفذ.",
            )
        ) from error
    log.info("station.customer_display", page_url=display.page_url, events_url=display.events_url)
    return display


def assemble_station(
    settings: StationSettings, client: PortalClient, clock: Clock
) -> StationAssembly:
    """Build the station's parts. Raises `SettingsError` for a customer display that cannot
    start; devices that are not configured leave the wizard out (`missing` says which)."""
    from station.devices.status import StationDeviceStatus

    store = StationStore(settings.database_path)
    try:
        display = start_customer_display(settings)
    except SettingsError:
        store.close()
        raise
    assembly = StationAssembly(
        store=store,
        display=display,
        device_status=BoothDeviceStatus(StationDeviceStatus(settings.devices), None, display),
        parts=None,
    )
    devices = settings.devices
    if not devices.fingerprint_scanner_url:
        assembly.missing.append(
            Bilingual(
                "no fingerprint scanner (set devices.fingerprint_scanner_url)",
                "لا يوجد ماسح بصمات (اضبط devices.fingerprint_scanner_url)",
            )
        )
    if not devices.camera_url:
        assembly.missing.append(
            Bilingual(
                "no camera (set devices.camera_url)", "لا توجد كاميرا (اضبط devices.camera_url)"
            )
        )
    if assembly.missing:
        log.warning("station.no_wizard", missing=[m.en for m in assembly.missing])
        return assembly
    _add_wizard(assembly, settings, client, clock)
    return assembly


def _add_wizard(
    assembly: StationAssembly, settings: StationSettings, client: PortalClient, clock: Clock
) -> None:
    # Imported here: the face stack (OpenCV, MediaPipe, dlib) takes seconds to load, and a
    # station without devices should start without it.
    from station.devices.status import StationDeviceStatus
    from station.enrollment.adapters import LivenessLedger, PortalEnrollmentAdapter
    from station.enrollment.live_face_step import LiveFaceStep, OnDemandCamera
    from station.ui.wizard.parts import NoDisplay, WatchedCards, WizardParts
    from station.ui.wizard.supervisor import SupervisorCheck

    devices = settings.devices
    scanner = SbiFingerprintScanner.from_settings(settings, clock)
    fingerprints = BoothFingerprints(scanner, client, assembly.session_token, clock)
    camera = OnDemandCamera(devices.camera_url)
    liveness = LivenessLedger()
    face = LiveFaceStep(camera, assembly.display, liveness)
    cards: WatchedCards | None = None
    try:
        cas = load_country_cas(settings.card_country_ca_path)
        cards = WatchedCards(
            PcscCardReader(
                cas,
                reader_name=devices.card_reader_name,
                apdu_timeout_seconds=devices.card_apdu_timeout_seconds,
            )
        )
    except CardReadError as error:
        log.warning("station.no_card_reader", detail=str(error))  # manual entry still works
    engine = assembly.store.engine

    def new_enrollment() -> EnrollmentJournal:
        # The wizard asks for one journal per enrollment: the moment to start afresh.
        fingerprints.new_enrollment()
        liveness.checks = ()
        return AuditTrail(EnrollmentStore(engine))

    assembly.scanner = scanner
    assembly.camera = camera
    assembly.fingerprints = fingerprints
    assembly.device_status = BoothDeviceStatus(
        StationDeviceStatus(devices), camera, assembly.display
    )
    assembly.parts = WizardParts(
        portal=PortalEnrollmentAdapter(client, liveness),
        fingerprint=fingerprints,
        face=face,
        journal=new_enrollment,
        clock=clock,
        receipts_dir=settings.receipts_dir,
        supervisor=SupervisorCheck(assembly.store, client),
        cards=cards,
        display=assembly.display if assembly.display is not None else NoDisplay(),
    )
