"""The customer display page in real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright): every screen in Arabic and English at once, the liveness arrows pointing the right
way, the page following show() live and coming back after the station restarts.

Screenshots go to tests/artifacts/customer-display/ (gitignored; CI keeps them as artifacts).
One browser for the whole module keeps it to a few seconds.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from station.customer_display import DisplayScreen, DisplayUpdate
from station.customer_display.consent import CONSENT
from station.customer_display.server import CustomerDisplayServer
from station.customer_display.wording import text_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {
    "width": 1280,
    "height": 800,
}  # a 24-inch monitor at the booth, or a large tablet
WAIT_MS = 10_000
ARTIFACTS = Path(os.environ.get("HAWIYA_TEST_ARTIFACTS", Path(__file__).parents[2] / "artifacts"))
SHOTS = ARTIFACTS / "customer-display"
ARABIC = re.compile(r"[\u0600-\u06ff]")

pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason="Debian chromium is not installed (./dev installs it)"
)


def face(challenge: str | None, deadline_s: float | None = 5.0) -> DisplayUpdate:
    return DisplayUpdate(DisplayScreen.FACE, challenge=challenge, challenge_deadline_s=deadline_s)


SCREENS: dict[str, DisplayUpdate] = {
    "idle": DisplayUpdate(DisplayScreen.IDLE),
    "welcome": DisplayUpdate(
        DisplayScreen.WELCOME, name_en="Abdullah Al-Qahtani", name_ar="عبدالله القحطاني"
    ),
    "consent": DisplayUpdate(DisplayScreen.CONSENT),
    "place-finger": DisplayUpdate(DisplayScreen.PLACE_FINGER, finger="right_index"),
    "place-finger-again": DisplayUpdate(
        DisplayScreen.PLACE_FINGER,
        finger="left_thumb",
        message_en="Press a little harder.",
        message_ar="اضغط بقوة أكبر قليلاً.",
    ),
    "face": DisplayUpdate(DisplayScreen.FACE),
    "face-turn-left": face("turn_left"),
    "face-turn-right": face("turn_right"),
    "face-look-up": DisplayUpdate(
        DisplayScreen.FACE, challenge="look_up", challenge_deadline_s=5.0
    ),
    "face-blink": DisplayUpdate(DisplayScreen.FACE, challenge="blink", challenge_deadline_s=5.0),
    "face-smile": DisplayUpdate(DisplayScreen.FACE, challenge="smile", challenge_deadline_s=5.0),
    "enter-code": DisplayUpdate(DisplayScreen.ENTER_CODE, masked_mobile="05X XXX X123"),
    "success": DisplayUpdate(DisplayScreen.SUCCESS),
    "failure": DisplayUpdate(
        DisplayScreen.FAILURE,
        message_en="Your face did not match the card photo.",
        message_ar="لم يتطابق وجهك مع صورة البطاقة.",
    ),
}
PICTURES = ["arrow", "eye", "smile", "look", "fingerprint", "phone", "check", "cross"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def display() -> Iterator[CustomerDisplayServer]:
    with CustomerDisplayServer() as server:
        yield server


def open_page(browser: Browser, url: str, errors: list[str]) -> Page:
    page = browser.new_page(viewport=VIEWPORT)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.connected === 'true'", timeout=WAIT_MS)
    return page


@pytest.fixture(scope="module")
def page_errors() -> list[str]:
    return []


@pytest.fixture(scope="module")
def page(
    browser: Browser, display: CustomerDisplayServer, page_errors: list[str]
) -> Iterator[Page]:
    page = open_page(browser, display.page_url, page_errors)
    # Set once: still there at the end means every update arrived without a reload.
    page.evaluate("window.loadedOnce = true")
    yield page
    page.close()


@pytest.fixture(autouse=True)
def _no_page_errors(page_errors: list[str]) -> Iterator[None]:
    yield
    assert page_errors == []


def show(page: Page, display: CustomerDisplayServer, update: DisplayUpdate) -> None:
    """Show `update` and wait until the page draws it."""
    display.show(update)
    page.wait_for_function(
        "id => document.body.dataset.eventId === id", arg=display.current_event_id, timeout=WAIT_MS
    )


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not drawn"
    return {key: float(found[key]) for key in ("x", "y", "width", "height")}


def centre(found: dict[str, float]) -> tuple[float, float]:
    return found["x"] + found["width"] / 2, found["y"] + found["height"] / 2


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def shown_pictures(page: Page) -> list[str]:
    return [name for name in PICTURES if page.locator(f"#{name}").is_visible()]


@pytest.mark.parametrize("name", list(SCREENS))
def test_each_screen_in_arabic_and_english(
    page: Page, display: CustomerDisplayServer, name: str
) -> None:
    update = SCREENS[name]
    show(page, display, update)
    screenshot(page, name)
    expected = text_for(update)
    assert page.locator("body").get_attribute("data-screen") == str(update.screen)
    for lang, direction in (("ar", "rtl"), ("en", "ltr")):
        block = page.locator(f"#block-{lang}")
        assert block.get_attribute("lang") == lang
        assert block.get_attribute("dir") == direction
        assert block.evaluate("e => getComputedStyle(e).direction") == direction
        title = page.locator(f"#title-{lang}")
        assert title.is_visible()
        assert title.text_content() == getattr(expected.title, lang)
        lines = page.locator(f"#lines-{lang} p").all_text_contents()
        assert lines == [getattr(line, lang) for line in expected.lines]
        note = page.locator(f"#note-{lang}")
        if expected.note is None:
            assert not note.is_visible()
        else:
            assert note.text_content() == getattr(expected.note, lang)
    assert ARABIC.search(page.locator("#title-ar").inner_text())
    assert not ARABIC.search(page.locator("#title-en").inner_text())
    # Read at arm's length: nothing to scroll, nothing cut off at the sides.
    size = page.evaluate(
        "({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})"
    )
    assert size["w"] <= VIEWPORT["width"]
    assert size["h"] <= VIEWPORT["height"], f"{name} needs scrolling"
    for picture in shown_pictures(page):
        for lang in ("ar", "en"):
            assert not overlap(box(page, f"#{picture}"), box(page, f"#block-{lang}")), picture
    title_size = page.locator("#title-en").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title_size >= 28  # CSS px; about 7 mm tall on a 24-inch monitor


@pytest.mark.parametrize(
    ("challenge", "direction"), [("turn_left", "left"), ("turn_right", "right"), ("look_up", "up")]
)
def test_the_arrow_points_where_the_head_should_go(
    page: Page, display: CustomerDisplayServer, challenge: str, direction: str
) -> None:
    show(page, display, DisplayUpdate(DisplayScreen.FACE, challenge=challenge))
    assert shown_pictures(page) == ["arrow"]
    assert page.locator("#arrow").get_attribute("data-direction") == direction
    head_x, head_y = centre(box(page, "#arrow .arrow-head"))
    shaft_x, shaft_y = centre(box(page, "#arrow .arrow-shaft"))
    if direction == "left":
        assert head_x < shaft_x - 50
    elif direction == "right":
        assert head_x > shaft_x + 50
    else:
        assert head_y < shaft_y - 50
    arrow = box(page, "#arrow")
    # LARGE: over a third of the screen's height, seen from a step back.
    assert max(arrow["width"], arrow["height"]) >= VIEWPORT["height"] / 3


@pytest.mark.parametrize(("challenge", "picture"), [("blink", "eye"), ("smile", "smile")])
def test_blink_and_smile_have_their_pictures(
    page: Page, display: CustomerDisplayServer, challenge: str, picture: str
) -> None:
    show(page, display, DisplayUpdate(DisplayScreen.FACE, challenge=challenge))
    assert shown_pictures(page) == [picture]
    assert box(page, f"#{picture}")["width"] >= VIEWPORT["height"] / 4


def test_the_countdown_runs_down_to_the_deadline(
    page: Page, display: CustomerDisplayServer
) -> None:
    show(
        page, display, DisplayUpdate(DisplayScreen.FACE, challenge="blink", challenge_deadline_s=3)
    )
    assert page.locator("#countdown").is_visible()
    assert int(page.locator("#countdown-seconds").inner_text()) in (2, 3)
    # The bar empties as time passes; the seconds follow it.
    page.wait_for_function(
        "() => parseFloat(document.getElementById('countdown-bar').style.width) < 50",
        timeout=WAIT_MS,
    )
    assert int(page.locator("#countdown-seconds").inner_text()) <= 2
    show(page, display, DisplayUpdate(DisplayScreen.FACE))
    assert not page.locator("#countdown").is_visible()
    assert shown_pictures(page) == ["look"]


def test_the_page_follows_the_station_live_without_reloading(
    page: Page, display: CustomerDisplayServer
) -> None:
    for update in SCREENS.values():
        show(page, display, update)
    assert page.evaluate("window.loadedOnce") is True
    assert page.locator("#title-en").text_content() == text_for(SCREENS["failure"]).title.en
    show(page, display, DisplayUpdate(DisplayScreen.CONSENT))
    assert page.locator("#consent-version").inner_text() == f"Consent {CONSENT.version}"
    show(page, display, DisplayUpdate(DisplayScreen.IDLE))
    assert not page.locator("#consent-version").is_visible()


def test_the_page_comes_back_after_the_station_restarts(browser: Browser) -> None:
    errors: list[str] = []
    display = CustomerDisplayServer()
    display.start()
    port = display.port
    page = open_page(browser, display.page_url, errors)
    try:
        show(page, display, SCREENS["face-blink"])
        display.stop()
        page.wait_for_function("() => document.body.dataset.connected === 'false'", timeout=WAIT_MS)
        assert page.locator("#offline").is_visible()
        screenshot(page, "reconnecting")
        display = CustomerDisplayServer(port=port)
        display.show(SCREENS["success"])
        display.start()
        page.wait_for_function(
            "id => document.body.dataset.eventId === id",
            arg=display.current_event_id,
            timeout=WAIT_MS,
        )
        assert page.locator("body").get_attribute("data-connected") == "true"
        assert not page.locator("#offline").is_visible()
        assert page.locator("#title-en").text_content() == "Your account is active"
    finally:
        page.close()
        display.stop()
    # While the station was away the browser logged failed connections; nothing else.
    assert all("events" in error or "ERR_CONNECTION_REFUSED" in error for error in errors), errors
