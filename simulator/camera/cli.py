"""`python -m simulator.camera`: one simulated IP camera until stopped (SIGINT/SIGTERM).

`add_arguments` and `run_camera` are what `hawiya simulator` mounts; `--ready-file` receives
JSON with the URLs once the camera serves, for whoever started it.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import cv2

from simulator.camera.choice import ChoiceError, SubjectChoice
from simulator.camera.mjpeg_server import CameraConfig, CameraServer
from simulator.subject.attacks import AttackKind
from simulator.subject.behaviour import Scenario


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (loopback)")
    parser.add_argument("--port", type=int, default=8554, help="0 picks a free port")
    parser.add_argument("--db", dest="db_url", help="population database URL (SQLAlchemy)")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--fps", type=float, default=15.0)
    parser.add_argument("--exposure", type=float, default=1.0, help="sensor gain, 1 = normal")
    parser.add_argument("--seed", type=int, default=0, help="sensor noise and booth backdrop")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--id-number", help="show this person of the population (needs --db)")
    who.add_argument("--face-seed", type=int, help="show the face of this seed")
    parser.add_argument("--sex", choices=("male", "female"), default="male")
    parser.add_argument("--age", type=float, default=35.0)
    parser.add_argument("--nationality", default="SAU")
    parser.add_argument("--scenario", choices=[s.value for s in Scenario], default="cooperative")
    parser.add_argument("--attack", choices=[a.value for a in AttackKind])
    parser.add_argument("--display-url", help="the customer display's event stream (SSE)")
    parser.add_argument("--ready-file", type=Path, help="write the camera's URLs here (JSON)")


def camera_from_arguments(args: argparse.Namespace) -> CameraServer:
    config = CameraConfig(
        host=args.host,
        port=args.port,
        width=args.width,
        height=args.height,
        fps=args.fps,
        exposure=args.exposure,
        db_url=args.db_url,
        display_url=args.display_url,
        seed=args.seed,
    )
    choice = SubjectChoice(
        id_number=args.id_number,
        face_seed=args.face_seed,
        sex=args.sex,
        age=args.age,
        nationality=args.nationality,
        scenario=Scenario(args.scenario),
        attack=AttackKind(args.attack) if args.attack else None,
    )
    return CameraServer(config, choice)


def run_camera(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve until `stop` is set (or a signal arrives when `stop` is not given)."""
    # One core per camera: OpenCV's own thread pool costs more than it gains on small images
    # (a frame takes ~40% less CPU single-threaded on the booth's 2 cores).
    cv2.setNumThreads(1)
    if stop is None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, request_stop)
    try:
        camera = camera_from_arguments(args)
        camera.start()
    except ChoiceError as error:
        print(f"camera: {error.en}\ncamera: {error.ar}", file=sys.stderr, flush=True)
        return 2
    except OSError as error:
        print(
            f"camera: cannot serve on {args.host}:{args.port} ({error}). Choose another --port.\n"
            f"camera: لا يمكن التشغيل على {args.host}:{args.port}. اختر منفذًا آخر (‎--port‎).",
            file=sys.stderr,
            flush=True,
        )
        return 1
    try:
        urls = {"video_url": camera.video_url, "base_url": camera.base_url, "port": camera.port}
        if args.ready_file:
            args.ready_file.write_text(json.dumps(urls) + "\n", encoding="utf-8")
        print(f"camera: streaming {camera.video_url}", flush=True)
        stop.wait()
    finally:
        camera.stop()
    print("camera: stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator.camera", description=__doc__)
    add_arguments(parser)
    return run_camera(parser.parse_args(argv))
