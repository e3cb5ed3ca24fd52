"""EF.SOD: a CMS SignedData over the data-group hashes (ICAO 9303 part 10, 4.6.2), signed by a
document signer. Built with asn1crypto (structures) and cryptography (keys, signature)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from simulator.card.layout import SOD_TAG
from simulator.card.tlv import tlv

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"


class DataGroupHash(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012 - asn1crypto's declaration style
        ("data_group_number", core.Integer),
        ("data_group_hash_value", core.OctetString),
    ]


class DataGroupHashValues(core.SequenceOf):  # type: ignore[misc]
    _child_spec = DataGroupHash


class LdsSecurityObject(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
    ]


def security_object(data_groups: Mapping[int, bytes]) -> bytes:
    """DER of the LDSSecurityObject (v0, SHA-256) over `data_groups` (number -> file bytes)."""
    return bytes(
        LdsSecurityObject(
            {
                "version": 0,
                "hash_algorithm": {"algorithm": "sha256"},
                "data_group_hash_values": [
                    {
                        "data_group_number": number,
                        "data_group_hash_value": hashlib.sha256(content).digest(),
                    }
                    for number, content in sorted(data_groups.items())
                ],
            }
        ).dump()
    )


def sign_security_object(
    content: bytes, signer_cert: x509.Certificate, signer_key: ec.EllipticCurvePrivateKey
) -> bytes:
    """EF.SOD: tag 77 around a ContentInfo(SignedData) carrying `content` and the signer's
    certificate, signed over the signed attributes (content type, message digest)."""
    certificate = asn1_x509.Certificate.load(signer_cert.public_bytes(serialization.Encoding.DER))
    signed_attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": [LDS_SECURITY_OBJECT_OID]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
            {"type": "signing_time", "values": [cms.Time({"utc_time": datetime.now(UTC)})]},
        ]
    )
    # The signature covers the attributes DER-encoded as a SET (tag 31), not as the [0] they
    # become inside SignerInfo (RFC 5652, 5.4).
    signature = signer_key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
    signer_info = {
        "version": "v1",
        "sid": cms.SignerIdentifier(
            {
                "issuer_and_serial_number": {
                    "issuer": certificate.issuer,
                    "serial_number": certificate.serial_number,
                }
            }
        ),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": signed_attrs,
        "signature_algorithm": {"algorithm": "sha256_ecdsa"},
        "signature": signature,
    }
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {
                "content_type": LDS_SECURITY_OBJECT_OID,
                "content": core.ParsableOctetString(content),
            },
            "certificates": [certificate],
            "signer_infos": [signer_info],
        }
    )
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return tlv(SOD_TAG, bytes(info.dump()))
