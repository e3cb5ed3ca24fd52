"""The `portal` command line (`hawiya portal ...`, `python -m portal_mock ...`): serve, and
administer stations and operators."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from portal_mock.admin import AdminError, add_operator, is_expired, register_station, revoke_station
from portal_mock.data_key import DataKeyError
from portal_mock.fingerprint_records import ReferenceFingerprints
from portal_mock.reference_photos import ReferencePhotos
from portal_mock.settings import PortalSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the portal subcommands to `parser`."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="database URL (default: settings)")
    common.add_argument("--pki-dir", metavar="DIR", type=Path, help="test PKI directory")
    commands = parser.add_subparsers(dest="portal_command", required=True, metavar="COMMAND")

    commands.add_parser("serve", parents=[common], help="run the portal over HTTPS with mutual TLS")

    register = commands.add_parser(
        "register-station", parents=[common], help="accept a station certificate"
    )
    register.add_argument("--cert", required=True, type=Path, metavar="FILE")

    revoke = commands.add_parser(
        "revoke-station", parents=[common], help="refuse a station from now on"
    )
    revoke.add_argument("--id", required=True, dest="station_id", metavar="ID")

    operator = commands.add_parser(
        "add-operator", parents=[common], help="create or update an operator"
    )
    operator.add_argument("--username", required=True, metavar="U")
    operator.add_argument("--display-name", required=True, metavar="D")
    operator.add_argument("--role", default="operator", choices=("operator", "supervisor"))
    operator.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="read the password from FILE (first line); without it, you are prompted",
    )


def run(
    args: argparse.Namespace,
    *,
    reference_fingerprints: ReferenceFingerprints | None = None,
    reference_photos: ReferencePhotos | None = None,
) -> int:
    """Run the subcommand parsed into `args`; returns the process exit status.

    `reference_fingerprints` and `reference_photos` are the national record's fingerprint and
    photo sources for `serve`."""
    try:
        settings = _settings(args)
    except ValidationError as error:
        _complain(*_settings_problem(error))
        return 2
    try:
        if args.portal_command == "serve":
            return _serve(settings, reference_fingerprints, reference_photos)
        if args.portal_command == "register-station":
            station_ca = settings.station_ca if settings.station_ca.is_file() else None
            station_id = register_station(settings.db_url, args.cert, station_ca=station_ca)
            if is_expired(args.cert):
                _say(
                    "Warning: this certificate has expired; the portal will refuse it. Issue "
                    "the station a new certificate.\nتحذير: انتهت صلاحية هذه الشهادة وسترفضها "
                    "البوابة. أصدر للمحطة شهادة جديدة."
                )
            _say(f"Station {station_id} registered.")
        elif args.portal_command == "revoke-station":
            revoke_station(settings.db_url, args.station_id)
            _say(f"Station {args.station_id} revoked.")
        elif args.portal_command == "add-operator":
            password = _read_password(args.password_file)
            created = add_operator(
                settings.db_url, args.username, args.display_name, password, role=args.role
            )
            _say(f"Operator {args.username} {'added' if created else 'updated'}.")
        else:  # argparse only lets the subcommands above through
            raise AssertionError(args.portal_command)
    except AdminError as error:
        _complain(error.message, error.message_ar)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _serve(
    settings: PortalSettings,
    reference_fingerprints: ReferenceFingerprints | None,
    reference_photos: ReferencePhotos | None = None,
) -> int:
    from portal_mock.server import MissingCertificateError, serve  # uvicorn only when serving

    try:
        serve(
            settings,
            reference_fingerprints=reference_fingerprints,
            reference_photos=reference_photos,
        )
    except (MissingCertificateError, DataKeyError) as error:
        _complain(error.message, error.message_ar)
        return 1
    return 0


def _settings_problem(error: ValidationError) -> tuple[str, str]:
    first = error.errors()[0]
    key = "HAWIYA_PORTAL_" + "__".join(str(part) for part in first["loc"]).upper()
    return (
        f"The setting {key} is invalid: {first['msg']}. Fix it in the environment.",
        f"قيمة الإعداد {key} غير صالحة: {first['msg']}. صحّحها في متغيرات البيئة.",
    )


def _complain(message: str, message_ar: str) -> None:
    print(f"hawiya portal: {message}\n{message_ar}", file=sys.stderr)


def _settings(args: argparse.Namespace) -> PortalSettings:
    overrides: dict[str, Any] = {}
    if args.db:
        overrides["db_url"] = args.db
    if args.pki_dir:
        overrides["pki_dir"] = args.pki_dir
    return PortalSettings(**overrides)


def _read_password(password_file: Path | None) -> str:
    # Never from the command line: arguments are visible to every user in `ps`.
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AdminError(
                f"Cannot read {password_file}: {exc.strerror}. Check the path.",
                f"تعذرت قراءة {password_file}: {exc.strerror}. راجع المسار.",
            ) from exc
        if not lines or not lines[0]:
            raise AdminError(
                f"{password_file} is empty: put the password on its first line.",
                f"الملف {password_file} فارغ: اكتب كلمة المرور في سطره الأول.",
            )
        return lines[0]
    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != password:
        raise AdminError(
            "The two passwords differ. Run the command again.",
            "كلمتا المرور مختلفتان. شغّل الأمر مرة أخرى.",
        )
    return password


def _say(message: str) -> None:
    print(message)
