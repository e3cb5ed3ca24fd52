"""`hawiya card read`: the operator's diagnostic for the ID card in a real PC/SC reader.

Prints the verified identity, or the precise failure; `--json` prints one object with at least
`id_number`, `expiry`, `passive_auth` ("valid" | "invalid") and `reason` (None when all is well).
Exit status 0 for a valid, unexpired card, 1 for a card problem, 2 for a configuration problem.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from station.card.failures import CardFailure, CardReadError
from station.card.identity import CardIdentity
from station.card.reading import ExpiredCardError
from station.devices.card_reader import PcscCardReader, load_country_cas
from station.logging import configure_logging
from station.settings import SettingsError, load_settings


def run_card_read(state_dir: Path, *, reader: str | None = None, as_json: bool = False) -> int:
    try:
        settings = load_settings(state_dir=state_dir)
    except SettingsError as error:
        print(f"{error.message.en}\n{error.message.ar}", file=sys.stderr)
        return 2
    configure_logging(settings.log_path)  # stdout carries the report only
    identity: CardIdentity | None = None
    problem: CardReadError | None = None
    try:
        card_reader = PcscCardReader(
            load_country_cas(settings.card_country_ca_path),
            reader_name=reader if reader is not None else settings.devices.card_reader_name,
            apdu_timeout_seconds=settings.devices.card_apdu_timeout_seconds,
        )
        identity = card_reader.read()
    except ExpiredCardError as error:
        identity, problem = error.identity, error
    except CardReadError as error:
        problem = error
    report = card_report(identity, problem)
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(_as_text(report))
    return 0 if problem is None else 1


def card_report(identity: CardIdentity | None, problem: CardReadError | None) -> dict[str, Any]:
    """The diagnostic as data. The identity is given only when passive authentication held."""
    report: dict[str, Any] = {
        "id_number": identity.id_number if identity else None,
        "expiry": identity.expiry_date.isoformat() if identity else None,
        "passive_auth": "valid" if identity else "invalid",
        "reason": problem.failure.value if problem else None,
    }
    if identity is not None:
        report |= {
            "name_en": identity.name_en,
            "name_ar": identity.name_ar,
            "birth_date": identity.birth_date.isoformat(),
            "nationality": identity.nationality,
            "sex": identity.sex,
            "reader": identity.reader,
            "signer": identity.authentication.signer_subject,
            "portrait_bytes": len(identity.portrait_jpeg),
        }
    if problem is not None:
        report |= {
            "detail": problem.detail,
            "message": {"en": problem.message.en, "ar": problem.message.ar},
        }
    return report


def _as_text(report: dict[str, Any]) -> str:
    lines = []
    if report["id_number"]:
        lines += [
            f"ID number      {report['id_number']}",
            f"Name           {report['name_en']}",
            f"Name (Arabic)  {report['name_ar']}",
            f"Date of birth  {report['birth_date']}",
            f"Expiry         {report['expiry']}",
            f"Signed by      {report['signer']}",
        ]
    lines.append(f"Passive authentication: {report['passive_auth']}")
    if report["reason"]:
        failure = CardFailure(report["reason"])
        lines += [
            f"Problem: {failure.value} ({report['detail']})",
            report["message"]["en"],
            report["message"]["ar"],
        ]
    return "\n".join(lines)
