"""Station settings: environment, TOML file, paths under the state directory, clear errors."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from station import cli
from station.settings import SettingsError, load_settings


def test_defaults_put_everything_under_the_state_directory(tmp_path: Path) -> None:
    settings = load_settings(state_dir=tmp_path)

    assert settings.portal.url == "https://127.0.0.1:8443"
    assert settings.client_cert_path == tmp_path / "pki" / "station-0001.pem"
    assert settings.client_key_path == tmp_path / "pki" / "station-0001-key.pem"
    assert settings.portal_ca_path == tmp_path / "pki" / "portal-ca.pem"
    assert settings.operators.idle_sign_out_minutes == 5
    assert settings.operators.lockout_failures == 5
    assert settings.operators.lockout_minutes == 15
    assert settings.devices.fingerprint_scanner_url == ""
    assert settings.devices.camera_url == ""


def test_environment_uses_the_prefix_and_nested_delimiter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAWIYA_STATION_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("HAWIYA_STATION_PORTAL__URL", "https://portal.example:9443/")
    monkeypatch.setenv("HAWIYA_STATION_OPERATORS__IDLE_SIGN_OUT_MINUTES", "2")

    settings = load_settings()

    assert settings.state_dir == tmp_path
    assert settings.portal.url == "https://portal.example:9443"
    assert settings.operators.idle_sign_out_minutes == 2


def test_toml_file_in_the_state_directory_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "station.toml").write_text(
        'customer_locale = "en"\n'
        "[portal]\n"
        'url = "https://from-file:1"\n'
        "retry_attempts = 4\n"
        "[keymap]\n"
        '"lookup.toggle_calendar" = "f2"\n'
    )
    monkeypatch.setenv("HAWIYA_STATION_PORTAL__URL", "https://from-env:2")

    settings = load_settings(state_dir=tmp_path)

    assert settings.customer_locale == "en"
    assert settings.portal.retry_attempts == 4  # from the file
    assert settings.portal.url == "https://from-env:2"  # the environment is stronger
    assert settings.keymap == {"lookup.toggle_calendar": "f2"}


def test_a_bad_value_names_the_key_and_where_to_fix_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAWIYA_STATION_OPERATORS__LOCKOUT_FAILURES", "many")

    with pytest.raises(SettingsError) as raised:
        load_settings(state_dir=tmp_path)

    message = raised.value.message
    assert "`operators.lockout_failures`" in message.en
    assert "HAWIYA_STATION_OPERATORS__LOCKOUT_FAILURES" in message.en
    assert "'many'" in message.en
    assert "`operators.lockout_failures`" in message.ar


def test_plain_http_portal_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"`portal\.url`.*https://"):
        load_settings(state_dir=tmp_path, portal={"url": "http://127.0.0.1:8443"})


def test_a_misspelt_key_in_the_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "station.toml").write_text("[operators]\nidle_signout_minutes = 3\n")

    with pytest.raises(SettingsError, match=r"`operators\.idle_signout_minutes`.*unknown setting"):
        load_settings(state_dir=tmp_path)


def test_a_broken_toml_file_is_reported_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "station.toml").write_text("[portal\n")

    with pytest.raises(SettingsError, match=r"station\.toml"):
        load_settings(state_dir=tmp_path)


def test_command_line_options_override_and_absent_ones_keep_the_parent_value(
    tmp_path: Path,
) -> None:
    parent = argparse.ArgumentParser()
    parent.add_argument("--state-dir", type=Path, default=Path("from-parent"))
    subcommands = parent.add_subparsers(dest="command")
    cli.add_arguments(subcommands.add_parser("station"))

    mounted = parent.parse_args(["--state-dir", str(tmp_path), "station"])
    direct = parent.parse_args(["station", "--portal-url", "https://x:1"])

    assert mounted.state_dir == tmp_path  # the subcommand did not reset it to a default
    assert direct.portal_url == "https://x:1"


def test_run_reports_missing_pki_in_both_languages_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(state_dir=tmp_path, portal_url="https://127.0.0.1:1")

    status = cli.run(args)

    assert status == 2
    err = capsys.readouterr().err
    assert "`portal.client_cert`" in err
    assert "hawiya setup" in err
    assert "غير موجود" in err


def test_run_reports_a_bad_portal_url_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.run(argparse.Namespace(state_dir=tmp_path, portal_url="ftp://nowhere"))

    assert status == 2
    assert "`portal.url`" in capsys.readouterr().err
