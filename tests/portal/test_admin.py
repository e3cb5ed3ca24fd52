"""Station and operator administration, and the `portal` command line around it."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from fixtures.pki import TestPki, ensure_test_pki, issue_station_certificate, make_foreign_ca
from portal_mock import cli
from portal_mock.admin import AdminError, add_operator, register_station, revoke_station
from portal_mock.db import create_db_engine, create_tables
from portal_mock.tables import Operator, RegisteredStation


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return ensure_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    engine = create_db_engine(url)
    create_tables(engine)
    engine.dispose()
    return url


def _stations(db_url: str) -> list[RegisteredStation]:
    engine = create_db_engine(db_url)
    with Session(engine) as session:
        rows = list(session.exec(select(RegisteredStation)).all())
    engine.dispose()
    return rows


def _operator(db_url: str, username: str) -> Operator | None:
    engine = create_db_engine(db_url)
    with Session(engine) as session:
        row = session.get(Operator, username)
    engine.dispose()
    return row


def _run(*arguments: str) -> int:
    parser = argparse.ArgumentParser(prog="hawiya portal")
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(arguments))


def test_registering_a_certificate_twice_keeps_one_registration(pki: TestPki, db_url: str) -> None:
    first = register_station(db_url, pki.station_cert, station_ca=pki.station_ca)
    second = register_station(db_url, pki.station_cert, station_ca=pki.station_ca)

    assert first == second == "station-0001"
    assert len(_stations(db_url)) == 1
    assert len(_stations(db_url)[0].kid) == 64


def test_a_renewed_certificate_is_registered_beside_the_old_one(
    pki: TestPki, db_url: str, tmp_path: Path
) -> None:
    renewed, _ = issue_station_certificate(pki, "station-0001", tmp_path / "renewed")

    register_station(db_url, pki.station_cert)
    register_station(db_url, renewed)

    assert [row.station_id for row in _stations(db_url)] == ["station-0001"] * 2


def test_a_certificate_from_another_ca_is_not_registered(
    pki: TestPki, db_url: str, tmp_path: Path
) -> None:
    foreign_cert, _ = issue_station_certificate(make_foreign_ca(tmp_path), "station-0007", tmp_path)

    with pytest.raises(AdminError, match="not issued by the station CA") as refused:
        register_station(db_url, foreign_cert, station_ca=pki.station_ca)

    assert refused.value.message_ar
    assert _stations(db_url) == []


def test_a_file_that_is_not_a_certificate_is_explained(db_url: str, tmp_path: Path) -> None:
    not_a_cert = tmp_path / "notes.txt"
    not_a_cert.write_text("hello")

    with pytest.raises(AdminError, match="not a PEM certificate"):
        register_station(db_url, not_a_cert)


def test_revoking_twice_is_harmless_and_a_revoked_certificate_stays_out(
    pki: TestPki, db_url: str
) -> None:
    register_station(db_url, pki.station_cert)

    revoke_station(db_url, "station-0001")
    revoked_at = _stations(db_url)[0].revoked_at
    revoke_station(db_url, "station-0001")

    assert revoked_at is not None
    assert _stations(db_url)[0].revoked_at == revoked_at
    with pytest.raises(AdminError, match="revoked"):
        register_station(db_url, pki.station_cert)


def test_revoking_an_unknown_station_is_explained(db_url: str) -> None:
    with pytest.raises(AdminError, match="No station 'station-9999'"):
        revoke_station(db_url, "station-9999")


def test_add_operator_creates_then_updates_and_unlocks(db_url: str) -> None:
    created = add_operator(db_url, "op-a", "Aisha", "first password")
    updated = add_operator(db_url, "op-a", "Aisha Al-Harbi", "second password", "supervisor")

    operator = _operator(db_url, "op-a")
    assert (created, updated) == (True, False)
    assert operator is not None
    assert (operator.display_name, operator.role) == ("Aisha Al-Harbi", "supervisor")
    assert operator.password_hash.startswith("$argon2id$")
    assert "second password" not in operator.password_hash


@pytest.mark.parametrize(
    ("username", "password", "role", "complaint"),
    [
        ("Op A", "long enough", "operator", "Username"),
        ("op-b", "short", "operator", "too short"),
        ("op-c", "long enough", "admin", "Role"),
    ],
)
def test_add_operator_refuses_bad_input(
    db_url: str, username: str, password: str, role: str, complaint: str
) -> None:
    with pytest.raises(AdminError, match=complaint) as refused:
        add_operator(db_url, username, "Name", password, role)

    assert refused.value.message_ar


def test_cli_adds_an_operator_from_a_password_file(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password_file = tmp_path / "password"
    password_file.write_text("from the file\n")

    status = _run(
        "add-operator", "--db", db_url, "--username", "op-cli", "--display-name", "CLI",
        "--password-file", str(password_file),
    )  # fmt: skip

    assert status == 0
    assert "Operator op-cli added." in capsys.readouterr().out
    assert _operator(db_url, "op-cli") is not None


def test_cli_registers_and_revokes_a_station(
    pki: TestPki, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    registered = _run(
        "register-station", "--db", db_url, "--pki-dir", str(pki.directory),
        "--cert", str(pki.station_cert),
    )  # fmt: skip
    revoked = _run("revoke-station", "--db", db_url, "--id", "station-0001")

    assert (registered, revoked) == (0, 0)
    out = capsys.readouterr().out
    assert "Station station-0001 registered." in out
    assert "Station station-0001 revoked." in out


def test_cli_errors_are_bilingual_and_fail_the_command(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _run("revoke-station", "--db", db_url, "--id", "station-9999")

    error = capsys.readouterr().err
    assert status == 1
    assert "No station 'station-9999' is registered" in error
    assert "لا توجد محطة مسجلة" in error


def test_cli_reports_an_invalid_setting_by_its_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HAWIYA_PORTAL_PORT", "not-a-port")

    status = _run("revoke-station", "--id", "station-0001")

    assert status == 2
    assert "HAWIYA_PORTAL_PORT" in capsys.readouterr().err


def test_python_m_portal_mock_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portal_mock", "--help"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0
    for command in ("serve", "register-station", "revoke-station", "add-operator"):
        assert command in result.stdout
