"""The portal's data key: AES-256-GCM sealing of biometric data at rest (enrollment portraits),
and the HMAC key of one-time SMS codes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from portal_mock.settings import PortalSettings

KEY_BYTES = 32
_NONCE_BYTES = 12  # the GCM standard nonce; random nonces are safe far beyond our volumes
_KEY_FILE = "portal-data.key"


class DataKeyError(RuntimeError):
    """The data key setting is missing or unusable; the message says what to do."""

    def __init__(self, message: str, message_ar: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_ar = message_ar


@dataclass(frozen=True)
class Sealed:
    key_id: str
    nonce: bytes
    ciphertext: bytes


class DataKey:
    """One AES-256 key. `key_id` names it in stored rows so a rotated key can still open them."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"the data key must be {KEY_BYTES} bytes, not {len(key)}")
        self._aead = AESGCM(key)
        # A separate key for code digests: one key, one purpose.
        self._mac_key = hashlib.sha256(b"hawiya-sms-code\x00" + key).digest()
        self.key_id = hashlib.sha256(b"hawiya-key-id\x00" + key).hexdigest()[:16]

    def seal(self, plaintext: bytes, context: bytes) -> Sealed:
        """Encrypt and authenticate `plaintext`, bound to `context` (e.g. the enrollment id)."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return Sealed(self.key_id, nonce, self._aead.encrypt(nonce, plaintext, context))

    def open(self, sealed: Sealed, context: bytes) -> bytes:
        """The plaintext; raises `cryptography.exceptions.InvalidTag` if anything was altered."""
        if sealed.key_id != self.key_id:
            raise ValueError(f"sealed with key {sealed.key_id}, not with this key")
        return self._aead.decrypt(sealed.nonce, sealed.ciphertext, context)

    def code_digest(self, enrollment_id: str, code: str) -> str:
        return hmac.new(
            self._mac_key, f"{enrollment_id}:{code}".encode(), hashlib.sha256
        ).hexdigest()


def load_data_key(settings: PortalSettings) -> DataKey:
    """The key from `HAWIYA_PORTAL_DATA_KEY`; in simulation, one kept in the state folder."""
    if settings.data_key is not None:
        try:
            return DataKey(base64.b64decode(settings.data_key.get_secret_value(), validate=True))
        except (binascii.Error, ValueError):
            raise DataKeyError(
                "HAWIYA_PORTAL_DATA_KEY is not 32 bytes in base64. Generate one with "
                '`python -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())"`.',
                "قيمة HAWIYA_PORTAL_DATA_KEY ليست 32 بايت بترميز base64. أنشئ مفتاحًا جديدًا "
                "بالأمر المذكور في وثائق البوابة.",
            ) from None
    if not settings.simulation:
        raise DataKeyError(
            "The portal has no data key: set HAWIYA_PORTAL_DATA_KEY (32 bytes, base64) from the "
            "key store. Biometric data is never stored unencrypted.",
            "لا يوجد مفتاح بيانات للبوابة: اضبط HAWIYA_PORTAL_DATA_KEY (32 بايت بترميز base64) "
            "من مخزن المفاتيح. لا تُخزَّن البيانات الحيوية دون تشفير.",
        )
    return DataKey(_simulation_key(settings.state_dir / _KEY_FILE))


def _simulation_key(path: Path) -> bytes:
    if path.is_file():
        key = path.read_bytes()
        if len(key) == KEY_BYTES:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key)
    temporary.replace(path)
    return key
