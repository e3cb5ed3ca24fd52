"""The station's request signature, verified the way the portal verifies it."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from fixtures.pki import ensure_test_pki, issue_station_certificate
from station.portal.signer import SIGNATURE_TYPE, RequestSigner, SignerError, body_digest

FIXED_NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_test_pki(tmp_path_factory.mktemp("pki")).directory


def _signer(pki_dir: Path, station_id: str | None = None) -> RequestSigner:
    pki = ensure_test_pki(pki_dir)
    return RequestSigner.from_files(
        pki.station_cert, pki.station_key, lambda: FIXED_NOW, station_id
    )


def test_signature_verifies_with_the_certificate_key_and_carries_the_request(
    pki_dir: Path,
) -> None:
    pki = ensure_test_pki(pki_dir)
    certificate = x509.load_pem_x509_certificate(pki.station_cert.read_bytes())
    body = b'{"id_number":"1234567897"}'

    token = _signer(pki_dir).sign("post", "/v1/identity/lookup", body)

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, certificate.public_key(), algorithms=["ES256"])  # type: ignore[arg-type]
    assert header["alg"] == "ES256"
    assert header["typ"] == SIGNATURE_TYPE
    assert header["kid"] == hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()
    assert claims["sub"] == "station-0001"
    assert claims["htm"] == "POST"
    assert claims["htu"] == "/v1/identity/lookup"
    expected_digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=")
    assert claims["bdh"] == expected_digest.decode()
    assert claims["iat"] == int(FIXED_NOW.timestamp())


def test_each_signature_has_a_fresh_jti(pki_dir: Path) -> None:
    signer = _signer(pki_dir)

    jtis = {
        jwt.decode(signer.sign("GET", "/x", b""), options={"verify_signature": False})["jti"]
        for _ in range(20)
    }

    assert len(jtis) == 20


def test_empty_body_digest_is_the_hash_of_no_bytes() -> None:
    assert body_digest(b"") == "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"


def test_a_tampered_signature_does_not_verify(pki_dir: Path) -> None:
    pki = ensure_test_pki(pki_dir)
    certificate = x509.load_pem_x509_certificate(pki.station_cert.read_bytes())
    token = _signer(pki_dir).sign("POST", "/v1/operators/sign-in", b"{}")
    head, _payload, signature = token.split(".")
    other = _signer(pki_dir).sign("POST", "/v1/identity/lookup", b"{}").split(".")[1]

    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(f"{head}.{other}.{signature}", certificate.public_key(), algorithms=["ES256"])  # type: ignore[arg-type]


def test_station_id_must_match_the_certificate(pki_dir: Path) -> None:
    with pytest.raises(SignerError, match="differs from the certificate's CN"):
        _signer(pki_dir, station_id="station-0002")


def test_key_of_another_certificate_is_refused(pki_dir: Path, tmp_path: Path) -> None:
    pki = ensure_test_pki(pki_dir)
    _, other_key = issue_station_certificate(pki, "station-0009", tmp_path)

    with pytest.raises(SignerError, match="not the private key"):
        RequestSigner.from_files(pki.station_cert, other_key, lambda: FIXED_NOW)
