"""The test PKI: complete, chained, private keys private, and reused only while valid."""

from __future__ import annotations

import ipaddress
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from fixtures.pki import TestPki, ensure_test_pki, issue_station_certificate, make_foreign_ca


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _common_name(cert: x509.Certificate) -> str:
    return str(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def _usages(cert: x509.Certificate) -> list[x509.ObjectIdentifier]:
    return list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return ensure_test_pki(tmp_path_factory.mktemp("pki"))


def test_every_file_is_written_with_private_keys_readable_by_the_owner_only(
    pki: TestPki,
) -> None:
    names = {path.name for path in pki.directory.glob("*.pem")}

    assert names == {
        "country-ca.pem", "country-ca-key.pem", "document-signer.pem",
        "document-signer-key.pem", "device-ca.pem", "device-ca-key.pem", "device-0001.pem",
        "device-0001-key.pem", "station-ca.pem", "station-ca-key.pem", "station-0001.pem",
        "station-0001-key.pem", "portal-ca.pem", "portal-ca-key.pem", "portal-server.pem",
        "portal-server-key.pem",
    }  # fmt: skip
    for key in pki.directory.glob("*-key.pem"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key.name


@pytest.mark.parametrize(
    ("leaf", "issuer"),
    [
        ("document_signer", "country_ca"),
        ("device_cert", "device_ca"),
        ("station_cert", "station_ca"),
        ("portal_server_cert", "portal_ca"),
    ],
)
def test_each_certificate_is_issued_by_its_ca_on_p256(pki: TestPki, leaf: str, issuer: str) -> None:
    cert, ca = _cert(getattr(pki, leaf)), _cert(getattr(pki, issuer))

    cert.verify_directly_issued_by(ca)
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"  # type: ignore[union-attr]
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_station_certificate_names_the_station_for_client_auth(pki: TestPki) -> None:
    cert = _cert(pki.station_cert)

    assert _common_name(cert) == "station-0001"
    assert _usages(cert) == [ExtendedKeyUsageOID.CLIENT_AUTH]


def test_portal_certificate_names_every_loopback_name_for_server_auth(pki: TestPki) -> None:
    cert = _cert(pki.portal_server_cert)
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value

    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert set(names.get_values_for_type(x509.IPAddress)) == {
        ipaddress.ip_address("127.0.0.1"),
        ipaddress.ip_address("::1"),
    }
    assert _usages(cert) == [ExtendedKeyUsageOID.SERVER_AUTH]


def test_a_second_run_reuses_every_file(tmp_path: Path) -> None:
    pki = ensure_test_pki(tmp_path)
    before = {path.name: path.read_bytes() for path in tmp_path.glob("*.pem")}

    ensure_test_pki(tmp_path)

    assert {path.name: path.read_bytes() for path in tmp_path.glob("*.pem")} == before
    assert pki.station_cert.name in before


def test_a_damaged_certificate_is_reissued_and_nothing_else(tmp_path: Path) -> None:
    pki = ensure_test_pki(tmp_path)
    ca_before = pki.station_ca.read_bytes()
    pki.station_cert.write_text("damaged")

    ensure_test_pki(tmp_path)

    _cert(pki.station_cert).verify_directly_issued_by(_cert(pki.station_ca))
    assert pki.station_ca.read_bytes() == ca_before


def test_a_replaced_ca_gets_its_certificates_reissued(tmp_path: Path) -> None:
    pki = ensure_test_pki(tmp_path)
    old_station_cert = pki.station_cert.read_bytes()
    pki.station_ca_key.unlink()

    ensure_test_pki(tmp_path)

    assert pki.station_cert.read_bytes() != old_station_cert
    _cert(pki.station_cert).verify_directly_issued_by(_cert(pki.station_ca))


def test_issue_station_certificate_honours_the_validity_window(
    pki: TestPki, tmp_path: Path
) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    cert_path, key_path = issue_station_certificate(
        pki, "station-0042", tmp_path,
        not_valid_before=start, not_valid_after=start + timedelta(days=10),
    )  # fmt: skip

    cert = _cert(cert_path)
    assert (cert.not_valid_before_utc, cert.not_valid_after_utc) == (
        start,
        start + timedelta(days=10),
    )
    assert _common_name(cert) == "station-0042"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_foreign_ca_copies_the_station_ca_name_but_not_its_key(
    pki: TestPki, tmp_path: Path
) -> None:
    foreign = make_foreign_ca(tmp_path)
    cert_path, _ = issue_station_certificate(foreign, "station-0001", tmp_path)

    assert _cert(foreign.cert).subject == _cert(pki.station_ca).subject
    with pytest.raises(InvalidSignature):
        _cert(cert_path).verify_directly_issued_by(_cert(pki.station_ca))
