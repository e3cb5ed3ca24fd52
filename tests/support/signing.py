"""Station request signatures for tests (docs/portal-api.md); the station has its own signer."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

SIGNATURE_HEADER = "Hawiya-Signature"


def sign_request(
    method: str,
    path: str,
    body: bytes,
    key_pem_path: Path,
    cert_pem_path: Path,
    *,
    iat: int | None = None,
    jti: str | None = None,
    sub: str | None = None,
) -> str:
    """A compact ES256 JWS for one request, as a station makes it. `iat`, `jti` and `sub`
    default to now, a fresh UUID4 and the certificate's CN; tests override them to misbehave."""
    cert = x509.load_pem_x509_certificate(cert_pem_path.read_bytes())
    key = serialization.load_pem_private_key(key_pem_path.read_bytes(), password=None)
    common_name = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    claims = {
        "sub": sub if sub is not None else str(common_name),
        "htm": method.upper(),
        "htu": path,
        "bdh": base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode(),
        "iat": iat if iat is not None else int(time.time()),
        "jti": jti if jti is not None else str(uuid.uuid4()),
    }
    headers = {"kid": cert.fingerprint(hashes.SHA256()).hex(), "typ": "hawiya-request+jwt"}
    return jwt.encode(claims, key, algorithm="ES256", headers=headers)  # type: ignore[arg-type]


def signed_post(
    client: httpx.Client,
    path: str,
    payload: Any,
    *,
    cert: Path,
    key: Path,
    token: str | None = None,
    iat: int | None = None,
    jti: str | None = None,
) -> httpx.Response:
    """POST `payload` as JSON, signed with the station `cert`/`key`, with an operator token."""
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign_request("POST", path, body, key, cert, iat=iat, jti=jti),
    }
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(path, content=body, headers=headers)
