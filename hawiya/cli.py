"""`hawiya`: one command line for the booth and each of its parts.

Each part keeps its own command-line module (`portal_mock.cli`, `simulator.cli`,
`station.cli`); this module only mounts them, so the layering of the packages holds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_STATE_DIR = Path(os.environ.get("HAWIYA_STATE_DIR", ".hawiya"))

Runner = Callable[[argparse.Namespace], int]


def _simulator_devices(argv: Sequence[str] | None) -> bool | str:
    """Which device subcommands `hawiya simulator` needs: none for other commands, the one
    named (the first word after `simulator`; its only option is a flag), else all of them."""
    from simulator.cli import DEVICES

    if argv is None:
        return True
    if "simulator" not in argv:
        return False
    after = [word for word in argv[list(argv).index("simulator") + 1 :] if not word.startswith("-")]
    return after[0] if after and after[0] in DEVICES else True


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; `argv` (when given) lets commands other than `simulator` skip
    building the simulator's device subcommands, which import the vision stack."""
    from portal_mock import cli as portal_cli
    from simulator import cli as simulator_cli
    from station import cli as station_cli

    parser = argparse.ArgumentParser(
        prog="hawiya",
        description="Hawiya enrollment station, its portal and its simulated devices.",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help="where the test PKI, databases and logs live (default: %(default)s, "
        "or $HAWIYA_STATE_DIR)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    population = commands.add_parser(
        "population", help="generate or export the synthetic population"
    )
    population_commands = population.add_subparsers(dest="population_command", required=True)
    generate = population_commands.add_parser(
        "generate", help="write a deterministic population into a database"
    )
    generate.add_argument("--seed", type=int, required=True)
    generate.add_argument("--size", type=int, required=True, help="number of persons")
    generate.add_argument("--db", required=True, help="SQLAlchemy URL, e.g. sqlite:///pop.db")
    generate.set_defaults(runner=_population_generate)
    export = population_commands.add_parser(
        "export", help="write the population as JSON lines sorted by id_number"
    )
    export.add_argument("--db", required=True)
    export.add_argument("--out", type=Path, required=True)
    export.set_defaults(runner=_population_export)

    portal = commands.add_parser("portal", help="run or administer the portal (portal_mock)")
    portal_cli.add_arguments(portal)
    portal.set_defaults(runner=_portal)

    simulator = commands.add_parser("simulator", help="run the simulated devices")
    simulator_cli.add_arguments(simulator, devices=_simulator_devices(argv))
    simulator.set_defaults(runner=simulator_cli.run)

    station = commands.add_parser("station", help="run the station (Textual UI)")
    station_cli.add_arguments(station)
    station.set_defaults(runner=station_cli.run)

    setup = commands.add_parser(
        "setup", help="prepare the state directory: test PKI, demo population, demo operator"
    )
    _add_provision_arguments(setup)
    setup.set_defaults(runner=_setup)

    bench = commands.add_parser("bench", help="run one benchmark and write its figures as JSON")
    bench_commands = bench.add_subparsers(dest="bench_command", required=True)
    fingerprint = bench_commands.add_parser(
        "fingerprint", help="FVC protocol: EER, FMR100, FMR1000, ZeroFMR per set"
    )
    fingerprint.add_argument(
        "--fvc", type=Path, required=True, help="one FVC set, or a folder of <year>/<set>/ sets"
    )
    fingerprint.add_argument("--json", type=Path, required=True, dest="json_out")
    fingerprint.add_argument(
        "--templates",
        action="store_true",
        help="match the .iso templates beside the images instead of extracting from images",
    )
    fingerprint.set_defaults(runner=_bench_fingerprint)
    face = bench_commands.add_parser(
        "face", help="LFW verification: accuracy, EER, FNMR at FMR 1e-3 and 1e-4"
    )
    face.add_argument("--lfw", type=Path, required=True, help="laid out like ../shared/data/lfw")
    face.add_argument("--json", type=Path, required=True, dest="json_out")
    face.set_defaults(runner=_bench_face)
    pad = bench_commands.add_parser(
        "pad", help="presentation attack detection on the simulator: APCER per type, BPCER"
    )
    pad.add_argument("--sessions", type=int, default=100, help="sessions per attack type")
    pad.add_argument("--seed", type=int, default=1)
    pad.add_argument("--json", type=Path, required=True, dest="json_out")
    pad.set_defaults(runner=_bench_pad)
    liveness_speed = bench_commands.add_parser(
        "liveness-speed", help="per-frame latency of the liveness loop at 640x480 on one core"
    )
    liveness_speed.add_argument("--frames", type=int, default=300)
    liveness_speed.add_argument("--json", type=Path, required=True, dest="json_out")
    liveness_speed.set_defaults(runner=_bench_liveness_speed)

    card = commands.add_parser("card", help="diagnose the ID card in a PC/SC reader")
    card_commands = card.add_subparsers(dest="card_command", required=True)
    card_read = card_commands.add_parser(
        "read", help="read the card, verify passive authentication, print identity or failure"
    )
    card_read.add_argument("--reader", help="PC/SC reader name (default: the first with a card)")
    card_read.add_argument("--json", action="store_true", dest="as_json")
    card_read.set_defaults(runner=_card_read)

    rehearse = commands.add_parser(
        "rehearse", help="the real booth walks simulated citizens through enrollment"
    )
    _add_rehearse_arguments(rehearse)
    rehearse.set_defaults(runner=_rehearse)

    booth = commands.add_parser(
        "booth", help="start portal, simulators and station together; stop them all on exit"
    )
    _add_provision_arguments(booth)
    booth.add_argument("--portal-port", type=int, default=8443)
    booth.set_defaults(runner=_booth)
    return parser


def _add_provision_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--people", type=int, default=2000, help="demo population size")
    parser.add_argument("--seed", type=int, default=1, help="demo population seed")


def _population_generate(args: argparse.Namespace) -> int:
    from fixtures.population import PopulationExistsError, generate_population

    try:
        stats = generate_population(args.seed, args.size, args.db)
    except (PopulationExistsError, ValueError) as error:
        print(f"hawiya population generate: {error}", file=sys.stderr)
        return 1
    print(
        f"generated {stats.persons} persons, {stats.families} families, "
        f"{stats.sponsorships} sponsorships in {stats.seconds:.1f} s"
    )
    return 0


def _population_export(args: argparse.Namespace) -> int:
    from fixtures.population import count_persons, export_population

    if count_persons(args.db) == 0:
        print(
            f"hawiya population export: {args.db} holds no population; "
            "generate one first with `hawiya population generate`.",
            file=sys.stderr,
        )
        return 1
    try:
        count = export_population(args.db, args.out)
    except OSError as error:
        print(f"hawiya population export: {error}", file=sys.stderr)
        return 1
    print(f"exported {count} persons to {args.out}")
    return 0


def _portal(args: argparse.Namespace) -> int:
    from portal_mock import cli as portal_cli

    if args.portal_command != "serve":
        return portal_cli.run(args)
    # Assembled here, where the simulator may be imported: the national record's fingerprints
    # are rendered from the population's synthetic fingers.
    from hawiya.fingerprint_references import SyntheticReferenceFingerprints
    from hawiya.reference_photos import SyntheticReferencePhotos

    return portal_cli.run(
        args,
        reference_fingerprints=SyntheticReferenceFingerprints(),
        reference_photos=SyntheticReferencePhotos(),
    )


def _setup(args: argparse.Namespace) -> int:
    from hawiya.provision import provision_booth

    state = provision_booth(args.state_dir, people=args.people, seed=args.seed)
    print(state.summary())
    return 0


def _write_json(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, sort_keys=True))


def _bench_fingerprint(args: argparse.Namespace) -> int:
    from benchmarks.bench_fingerprint import fvc_report

    if not args.fvc.is_dir():
        print(f"hawiya bench fingerprint: {args.fvc} is not a folder of FVC sets", file=sys.stderr)
        return 2
    _write_json(args.json_out, fvc_report(args.fvc.resolve(), templates=args.templates))
    return 0


def _bench_face(args: argparse.Namespace) -> int:
    from benchmarks.bench_face import measure, summary

    if not (args.lfw / "pairs.txt").is_file():
        print(f"hawiya bench face: {args.lfw} has no pairs.txt (LFW layout)", file=sys.stderr)
        return 2
    _write_json(args.json_out, summary(measure(args.lfw.resolve())))
    return 0


def _bench_pad(args: argparse.Namespace) -> int:
    from benchmarks.bench_pad import pad_report

    _write_json(args.json_out, pad_report(sessions=args.sessions, seed=args.seed))
    return 0


def _bench_liveness_speed(args: argparse.Namespace) -> int:
    from benchmarks.bench_liveness_speed import speed_report

    _write_json(args.json_out, speed_report(frames=args.frames))
    return 0


def _card_read(args: argparse.Namespace) -> int:
    from station.card_diagnostic import run_card_read

    return run_card_read(args.state_dir, reader=args.reader, as_json=args.as_json)


def _add_rehearse_arguments(parser: argparse.ArgumentParser) -> None:
    from hawiya.rehearsal.arguments import add_arguments

    add_arguments(parser)


def _rehearse(args: argparse.Namespace) -> int:
    from hawiya.rehearsal.run import run

    return run(args)


def _booth(args: argparse.Namespace) -> int:
    from hawiya.booth import run_booth

    return run_booth(
        args.state_dir, people=args.people, seed=args.seed, portal_port=args.portal_port
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments).parse_args(arguments)
    runner: Runner = args.runner
    return runner(args)


if __name__ == "__main__":
    sys.exit(main())
