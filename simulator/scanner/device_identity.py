"""The scanner's identity: its certificate (issued by the test device CA) and private key, and
the ES256 JWS it signs every device-info and capture answer with (certificate in `x5c`)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


class DeviceIdentityError(Exception):
    """The device certificate or key cannot be used."""


@dataclass(frozen=True)
class DeviceIdentity:
    """A certificate and the key it certifies; `device_id` is the certificate's common name."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @classmethod
    def from_files(cls, cert_path: Path, key_path: Path) -> DeviceIdentity:
        try:
            certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        except (OSError, ValueError) as error:
            raise DeviceIdentityError(
                f"cannot read the device certificate {cert_path} or key {key_path}: {error}"
            ) from error
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise DeviceIdentityError(f"{key_path} does not hold an EC private key")
        return cls(certificate, key)

    @property
    def device_id(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else "unknown-device"

    def x5c(self) -> list[str]:
        # RFC 7515 section 4.1.6: standard (not URL-safe) base64 of the DER certificate.
        return [
            base64.b64encode(self.certificate.public_bytes(serialization.Encoding.DER)).decode()
        ]

    def sign(
        self, payload: dict[str, Any], *, key: ec.EllipticCurvePrivateKey | None = None
    ) -> str:
        """Compact JWS of `payload` (ES256, x5c = this certificate). `key` overrides the signing
        key, which is how the bad-signature fault signs with a key the certificate does not
        certify."""
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        return jwt.api_jws.PyJWS().encode(
            body, key or self.key, algorithm="ES256", headers={"typ": "JWS", "x5c": self.x5c()}
        )


def stranger_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def foreign_identity(device_id: str) -> DeviceIdentity:
    """The same device name certified by a self-made CA that no station trusts: a cloned or
    counterfeit device must be refused for its issuer's key, not for its name."""
    ca_key = stranger_key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hawiya Test Device CA")])
    now = datetime.now(UTC) - timedelta(minutes=5)
    leaf_key = stranger_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, device_id)]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return DeviceIdentity(certificate, leaf_key)
