"""Open the customer display on its own, without the station: `python -m station.customer_display
[--port 8765] [--demo]` prints the page's URL; with --demo it walks through every screen, so the
page can be checked on the booth's citizen-facing monitor before the station is set up."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from station.customer_display.model import DisplayScreen, DisplayUpdate
from station.customer_display.server import CustomerDisplayServer

DEMO: tuple[DisplayUpdate, ...] = (
    DisplayUpdate(DisplayScreen.IDLE),
    DisplayUpdate(DisplayScreen.WELCOME, name_en="Abdullah Al-Qahtani", name_ar="عبدالله القحطاني"),
    DisplayUpdate(DisplayScreen.CONSENT),
    DisplayUpdate(DisplayScreen.PLACE_FINGER, finger="right_index"),
    DisplayUpdate(DisplayScreen.FACE),
    DisplayUpdate(DisplayScreen.FACE, challenge="turn_left", challenge_deadline_s=4.0),
    DisplayUpdate(DisplayScreen.FACE, challenge="turn_right", challenge_deadline_s=4.0),
    DisplayUpdate(DisplayScreen.FACE, challenge="look_up", challenge_deadline_s=4.0),
    DisplayUpdate(DisplayScreen.FACE, challenge="blink", challenge_deadline_s=4.0),
    DisplayUpdate(DisplayScreen.FACE, challenge="smile", challenge_deadline_s=4.0),
    DisplayUpdate(DisplayScreen.ENTER_CODE, masked_mobile="05X XXX X123"),
    DisplayUpdate(DisplayScreen.SUCCESS),
    DisplayUpdate(
        DisplayScreen.FAILURE,
        message_en="Your face did not match the card photo.",
        message_ar="لم يتطابق وجهك مع صورة البطاقة.",
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m station.customer_display",
        description="Serve the customer display on its own and print its URL.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--demo", action="store_true", help="walk through every screen")
    parser.add_argument("--seconds", type=float, default=5.0, help="time per demo screen")
    options = parser.parse_args(argv)
    display = CustomerDisplayServer(options.host, options.port)
    try:
        display.start()
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Customer display: {display.page_url}  (events: {display.events_url})", flush=True)
    print("Ctrl-C stops it.", flush=True)
    forever = threading.Event()  # never set: waits end only by Ctrl-C
    try:
        while options.demo:
            for update in DEMO:
                display.show(update)
                forever.wait(options.seconds)
        forever.wait()
    except KeyboardInterrupt:
        pass
    finally:
        display.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
