"""The customer display's event stream, read over a real loopback connection: the current
state at once, updates in order, resuming by Last-Event-ID, many listeners, and stop()."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from station.customer_display import DisplayPublisher, DisplayScreen, DisplayUpdate
from station.customer_display.__main__ import main as standalone
from station.customer_display.consent import CONSENT
from station.customer_display.server import CustomerDisplayServer
from tests.station.customer_display.sse import Event, open_stream

FACE_LEFT = DisplayUpdate(DisplayScreen.FACE, challenge="turn_left", challenge_deadline_s=5.0)
FACE_BLINK = DisplayUpdate(DisplayScreen.FACE, challenge="blink", challenge_deadline_s=5.0)


@pytest.fixture
def display() -> Iterator[CustomerDisplayServer]:
    server = CustomerDisplayServer()
    server.start()
    yield server
    server.stop()


async def wait_until_listening(display: CustomerDisplayServer, count: int) -> None:
    deadline = time.monotonic() + 10.0
    while display.listeners < count:
        assert time.monotonic() < deadline, f"{display.listeners} listeners, wanted {count}"
        await asyncio.sleep(0.01)


def test_the_server_is_a_display_publisher(display: CustomerDisplayServer) -> None:
    publisher: DisplayPublisher = display
    publisher.show(DisplayUpdate(DisplayScreen.SUCCESS))
    assert display.current.screen is DisplayScreen.SUCCESS
    assert display.page_url == f"http://127.0.0.1:{display.port}/"
    assert display.events_url == f"http://127.0.0.1:{display.port}/events"


async def test_a_new_listener_gets_the_current_state_at_once(
    display: CustomerDisplayServer,
) -> None:
    display.show(DisplayUpdate(DisplayScreen.WELCOME, name_en="Noura", name_ar="نورة"))
    async with open_stream(display.events_url) as stream:
        challenge, screen = await stream.take(2)
    assert (challenge.name, challenge.json) == ("challenge", {"challenge": None})
    assert screen.name == "screen"
    assert screen.json["screen"] == "welcome"
    assert screen.json["name_ar"] == "نورة"
    assert screen.json["text"]["title"] == {"en": "Welcome, Noura", "ar": "أهلاً وسهلاً، نورة"}
    assert screen.id == display.current_event_id
    assert stream.comments[0] == "Hawiya customer display"


async def test_updates_arrive_in_the_order_shown_with_rising_ids(
    display: CustomerDisplayServer,
) -> None:
    async with open_stream(display.events_url) as stream:
        await stream.take(2)  # the idle screen
        await wait_until_listening(display, 1)
        display.show(DisplayUpdate(DisplayScreen.PLACE_FINGER, finger="right_index"))
        display.show(FACE_LEFT)
        display.show(FACE_BLINK)
        display.show(DisplayUpdate(DisplayScreen.SUCCESS))
        events = await stream.take(7)
    assert [(e.name, e.json.get("screen", e.json.get("challenge"))) for e in events] == [
        ("screen", "place_finger"),
        ("screen", "face"),
        ("challenge", "turn_left"),
        ("screen", "face"),
        ("challenge", "blink"),
        ("screen", "success"),
        ("challenge", None),  # the challenge went away with the face screen
    ]
    numbers = [e.number for e in events]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)


async def test_a_challenge_event_only_when_the_challenge_changes(
    display: CustomerDisplayServer,
) -> None:
    async with open_stream(display.events_url) as stream:
        await stream.take(2)
        await wait_until_listening(display, 1)
        display.show(FACE_LEFT)
        display.show(FACE_LEFT)  # the same challenge again, e.g. with a note
        display.show(DisplayUpdate(DisplayScreen.CONSENT))
        events = await stream.take(5)
    assert [e.name for e in events] == ["screen", "challenge", "screen", "screen", "challenge"]
    assert events[3].json["consent_version"] == CONSENT.version


async def test_resuming_with_last_event_id_sends_only_what_was_missed(
    display: CustomerDisplayServer,
) -> None:
    async with open_stream(display.events_url) as stream:
        first = await stream.take(2)
    seen = max(first, key=lambda e: e.number).id
    # While the page was away, the station moved on twice.
    display.show(DisplayUpdate(DisplayScreen.PLACE_FINGER, finger="left_thumb"))
    display.show(FACE_LEFT)
    async with open_stream(display.events_url, last_event_id=seen) as stream:
        screen, challenge = await stream.take(2)
        # Up to date now: nothing more until the next show().
        await wait_until_listening(display, 1)
        display.show(FACE_BLINK)
        following = await stream.take(2)
    assert screen.json["screen"] == "face"  # the current screen, not the fingerprint one
    assert challenge.json == {"challenge": "turn_left"}
    assert [e.json.get("challenge") for e in following] == ["blink", "blink"]


async def test_resuming_up_to_date_sends_nothing_twice(display: CustomerDisplayServer) -> None:
    display.show(FACE_LEFT)
    async with open_stream(display.events_url, last_event_id=display.last_event_id) as stream:
        await wait_until_listening(display, 1)
        display.show(DisplayUpdate(DisplayScreen.SUCCESS))
        screen = await stream.next()
    # Had the turn_left challenge been sent again, a citizen would turn their head twice.
    assert screen.json["screen"] == "success"


@pytest.mark.parametrize("last_event_id", ["0-1", "not an id", "", "1a-999999"])
async def test_an_id_from_another_run_gets_the_whole_state(
    display: CustomerDisplayServer, last_event_id: str
) -> None:
    display.show(FACE_LEFT)
    async with open_stream(display.events_url, last_event_id=last_event_id) as stream:
        events = await stream.take(2)
    assert {e.name for e in events} == {"screen", "challenge"}


async def test_two_listeners_see_the_same_events(display: CustomerDisplayServer) -> None:
    async with (
        open_stream(display.events_url) as page,
        open_stream(display.events_url) as subject,
    ):
        await page.take(2)
        await subject.take(2)
        await wait_until_listening(display, 2)
        display.show(FACE_LEFT)
        display.show(DisplayUpdate(DisplayScreen.SUCCESS))
        seen_by_page = await page.take(4)
        seen_by_subject = await subject.take(4)

    def comparable(events: list[Event]) -> list[tuple[str, str | None, dict[str, object]]]:
        # The countdown left is worked out as each stream sends; it differs by microseconds.
        return [
            (e.name, e.id, {k: v for k, v in e.json.items() if k != "challenge_remaining_s"})
            for e in events
        ]

    assert comparable(seen_by_page) == comparable(seen_by_subject)


async def test_stop_ends_every_open_stream() -> None:
    display = CustomerDisplayServer()
    display.start()
    try:
        async with (
            open_stream(display.events_url) as first,
            open_stream(display.events_url) as second,
        ):
            await first.take(2)
            await second.take(2)
            await wait_until_listening(display, 2)
            stopping = asyncio.create_task(asyncio.to_thread(display.stop))
            assert await first.ends()
            assert await second.ends()
            await stopping
    finally:
        display.stop()
    async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(display.events_url)


async def test_a_quiet_stream_gets_keep_alive_comments() -> None:
    display = CustomerDisplayServer(keepalive_s=0.05)
    display.start()
    try:
        async with open_stream(display.events_url) as stream:
            await stream.take(2)
            assert await stream.comment() == "keep-alive"
            display.show(DisplayUpdate(DisplayScreen.SUCCESS))
            assert (await stream.next()).json["screen"] == "success"
    finally:
        display.stop()


async def test_updates_from_many_threads_all_arrive(display: CustomerDisplayServer) -> None:
    screens = [DisplayScreen.WELCOME, DisplayScreen.CONSENT, DisplayScreen.SUCCESS]
    async with open_stream(display.events_url) as stream:
        await stream.take(2)
        await wait_until_listening(display, 1)
        await asyncio.gather(
            *(
                asyncio.to_thread(display.show, DisplayUpdate(screen, message_en=str(n)))
                for n in range(20)
                for screen in screens
            )
        )
        events = await stream.take(60)
    assert sorted(e.number for e in events) == [e.number for e in events]
    assert {(e.json["screen"], e.json["message_en"]) for e in events} == {
        (str(screen), str(n)) for n in range(20) for screen in screens
    }


async def test_the_whole_mobile_number_never_reaches_the_screen(
    display: CustomerDisplayServer,
) -> None:
    display.show(DisplayUpdate(DisplayScreen.ENTER_CODE, masked_mobile="+966 51 234 5678"))
    async with open_stream(display.events_url) as stream:
        _, screen = await stream.take(2)
    assert screen.json["masked_mobile"] == "05X XXX X678"
    assert "2345678" not in screen.data
    assert "05X XXX X678" in screen.json["text"]["title"]["ar"]


def test_the_state_endpoint_shows_the_current_screen(display: CustomerDisplayServer) -> None:
    display.show(FACE_BLINK)
    state = httpx.get(f"{display.base_url}/state", timeout=5.0).json()
    assert state["id"] == display.current_event_id
    assert state["challenge"] == "blink"
    assert 0.0 <= state["challenge_remaining_s"] <= 5.0


def test_the_page_loads_nothing_from_outside_the_station(display: CustomerDisplayServer) -> None:
    for path in ("/", "/display.css", "/display.js"):
        response = httpx.get(f"{display.base_url}{path}", timeout=5.0)
        assert response.status_code == 200
        assert "default-src 'none'" in response.headers["content-security-policy"]
        for scheme in ("http:", "https:", "//fonts", "@import"):
            assert scheme not in response.text, f"{path} refers to {scheme}"
    assert httpx.get(f"{display.base_url}/page/index.html", timeout=5.0).status_code == 404


def test_a_busy_port_is_a_clear_error(display: CustomerDisplayServer) -> None:
    other = CustomerDisplayServer(port=display.port)
    with pytest.raises(RuntimeError, match="choose another port"):
        other.start()


def test_show_before_start_and_after_stop_is_harmless() -> None:
    display = CustomerDisplayServer()
    display.show(FACE_LEFT)
    display.start()
    display.stop()
    display.show(DisplayUpdate(DisplayScreen.IDLE))
    display.stop()
    assert display.current.screen is DisplayScreen.IDLE
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", display.port))


def test_the_standalone_command_reports_a_busy_port(
    display: CustomerDisplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert standalone(["--port", str(display.port)]) == 2
    assert "choose another port" in capsys.readouterr().err


def test_an_unknown_screen_fails_the_caller_not_the_stream(
    display: CustomerDisplayServer,
) -> None:
    with pytest.raises(ValueError, match="bingo"):
        display.show(DisplayUpdate("bingo"))  # type: ignore[arg-type]
    display.show(DisplayUpdate("success"))  # type: ignore[arg-type]
    assert display.current.screen is DisplayScreen.SUCCESS
