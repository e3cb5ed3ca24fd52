"""The station signature on each portal request (docs/portal-api.md, "Station request signature").

The portal cannot see the TLS client certificate (the ASGI server does not pass it on), so each
request carries an ES256 JWS binding method, path, body and time to the station key.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, load_pem_private_key
from cryptography.x509.oid import NameOID

from station.clock import Clock

SIGNATURE_HEADER = "Hawiya-Signature"
SIGNATURE_TYPE = "hawiya-request+jwt"


def body_digest(body: bytes) -> str:
    """base64url (no padding) of SHA-256 of the exact body bytes."""
    return base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode("ascii")


def certificate_thumbprint(certificate: x509.Certificate) -> str:
    """The `kid`: SHA-256 of the certificate's DER, lowercase hex."""
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def certificate_common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


class SignerError(Exception):
    """The station certificate or key cannot be used for signing."""


@dataclass(frozen=True)
class RequestSigner:
    """Signs requests with the station's P-256 key on behalf of `station_id`."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    station_id: str
    clock: Clock

    @classmethod
    def from_files(
        cls, cert_path: Path, key_path: Path, clock: Clock, station_id: str | None = None
    ) -> RequestSigner:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise SignerError(f"{key_path} is not a P-256 (secp256r1) private key")
        if key.public_key() != certificate.public_key():
            raise SignerError(f"{key_path} is not the private key of {cert_path}")
        common_name = certificate_common_name(certificate)
        if station_id is not None and station_id != common_name:
            raise SignerError(
                f"station_id {station_id!r} differs from the certificate's CN {common_name!r}"
            )
        return cls(key, certificate, station_id or common_name, clock)

    @property
    def kid(self) -> str:
        return certificate_thumbprint(self.certificate)

    def sign(self, method: str, path_with_query: str, body: bytes) -> str:
        """A fresh compact JWS for one request; a retry must be signed again (new jti)."""
        claims = {
            "sub": self.station_id,
            "htm": method.upper(),
            "htu": path_with_query,
            "bdh": body_digest(body),
            "iat": int(self.clock().timestamp()),
            # A nonce, not a simulation choice: it must be unpredictable, so no seed.
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(
            claims,
            self.key,
            algorithm="ES256",
            headers={"kid": self.kid, "typ": SIGNATURE_TYPE},
        )
