"""The capture hash chain (MOSIP SBI style): each capture's hash covers its image and the hash
of the capture before it in the same session, so a capture cannot be dropped, replayed or
moved without the chain showing it."""

from __future__ import annotations

import hashlib

# The "previous hash" of a session's first capture: SHA-256 of nothing, as in MOSIP SBI.
GENESIS_HASH = hashlib.sha256(b"").hexdigest()


def chain_hash(previous_hash: str, image: bytes) -> str:
    """hex SHA-256 of (previous hash, hex) + (SHA-256 of the image bytes, hex)."""
    image_digest = hashlib.sha256(image).hexdigest()
    return hashlib.sha256((previous_hash + image_digest).encode("ascii")).hexdigest()
