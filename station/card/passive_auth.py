"""Passive authentication (ICAO 9303 part 11, 5.1): EF.SOD's signature, the document signer's
chain to a trusted country signing CA, and the hash of every data group read.

`verify_passive_authentication` returns only when all three hold; otherwise it raises
`NotGenuineError` with a reason code and what exactly failed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import algos, cms, core
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from station.card.layout import SOD_TAG
from station.card.tlv import TlvError, unwrap

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"
_HASHES: dict[str, tuple[str, type[hashes.HashAlgorithm]]] = {
    "sha256": ("sha256", hashes.SHA256),
    "sha384": ("sha384", hashes.SHA384),
    "sha512": ("sha512", hashes.SHA512),
}


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


class NotGenuineError(Exception):
    """Passive authentication failed. `reason`: sod_malformed, bad_signature, unknown_signer,
    signer_expired, dg_hash_mismatch or dg_not_signed."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class PassiveAuthentication:
    """What was verified: the signer, its CA, the data groups whose hashes matched."""

    signer_subject: str
    country_ca_subject: str
    hash_algorithm: str
    data_groups: tuple[int, ...]


def verify_passive_authentication(
    sod: bytes,
    data_groups: Mapping[int, bytes],
    country_cas: Sequence[x509.Certificate],
    now: datetime,
) -> PassiveAuthentication:
    """Check EF.SOD (as read, with its tag 77) against `data_groups` (number -> file bytes)."""
    signed_data = _signed_data(sod)
    content = _security_object_content(signed_data)
    security_object = _parse_security_object(content)
    hash_name, _ = _hash_algorithm(security_object["hash_algorithm"]["algorithm"].native)
    signer_info = _single_signer(signed_data)
    signer = _signer_certificate(signed_data, signer_info)
    _check_signed_attributes(signer_info, content)
    _check_signature(signer_info, signer)
    country_ca = _check_chain(signer, country_cas, now)
    signed_hashes = _signed_hashes(security_object)
    for number, data in sorted(data_groups.items()):
        expected = signed_hashes.get(number)
        if expected is None:
            raise NotGenuineError("dg_not_signed", f"DG{number} is not covered by EF.SOD")
        actual = hashlib.new(hash_name, data).digest()
        if not hmac.compare_digest(actual, expected):
            raise NotGenuineError("dg_hash_mismatch", f"DG{number} does not match its hash")
    return PassiveAuthentication(
        signer.subject.rfc4514_string(),
        country_ca.subject.rfc4514_string(),
        hash_name,
        tuple(sorted(data_groups)),
    )


def _signed_data(sod: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(unwrap(sod, SOD_TAG), strict=True)
        if info["content_type"].native != "signed_data":
            raise NotGenuineError("sod_malformed", "EF.SOD holds no CMS SignedData")
        signed_data = info["content"]
        signed_data.native  # noqa: B018 - parse everything now, so errors surface here
    except NotGenuineError:
        raise
    except (TlvError, ValueError, TypeError, KeyError) as error:
        raise NotGenuineError("sod_malformed", f"EF.SOD cannot be parsed: {error}") from error
    return signed_data


def _security_object_content(signed_data: cms.SignedData) -> bytes:
    encapsulated = signed_data["encap_content_info"]
    if encapsulated["content_type"].dotted != LDS_SECURITY_OBJECT_OID:
        raise NotGenuineError("sod_malformed", "EF.SOD does not carry an LDS security object")
    content = encapsulated["content"]
    if content.native is None:
        raise NotGenuineError("sod_malformed", "EF.SOD's security object is missing")
    return bytes(content.contents)


def _parse_security_object(content: bytes) -> LdsSecurityObject:
    try:
        parsed: LdsSecurityObject = LdsSecurityObject.load(content, strict=True)
        parsed.native  # noqa: B018
    except (ValueError, TypeError) as error:
        raise NotGenuineError("sod_malformed", f"LDS security object: {error}") from error
    return parsed


def _hash_algorithm(name: str) -> tuple[str, type[hashes.HashAlgorithm]]:
    if name not in _HASHES:
        raise NotGenuineError("sod_malformed", f"hash algorithm {name} is not accepted")
    return _HASHES[name]


def _single_signer(signed_data: cms.SignedData) -> cms.SignerInfo:
    signer_infos = signed_data["signer_infos"]
    if len(signer_infos) != 1:
        raise NotGenuineError("sod_malformed", f"EF.SOD has {len(signer_infos)} signers, not 1")
    return signer_infos[0]


def _signer_certificate(
    signed_data: cms.SignedData, signer_info: cms.SignerInfo
) -> x509.Certificate:
    sid = signer_info["sid"]
    for choice in signed_data["certificates"] or []:
        if choice.name != "certificate":
            continue
        candidate = choice.chosen
        if sid.name == "issuer_and_serial_number":
            matches = (
                candidate.issuer == sid.chosen["issuer"]
                and candidate.serial_number == sid.chosen["serial_number"].native
            )
        else:
            matches = candidate.key_identifier == sid.chosen.native
        if matches:
            try:
                return x509.load_der_x509_certificate(candidate.dump())
            except ValueError as error:
                raise NotGenuineError("sod_malformed", f"signer certificate: {error}") from error
    raise NotGenuineError("sod_malformed", "EF.SOD does not carry its signer's certificate")


def _check_signed_attributes(signer_info: cms.SignerInfo, content: bytes) -> None:
    attributes = signer_info["signed_attrs"]
    if not attributes:
        raise NotGenuineError("sod_malformed", "EF.SOD's signature has no signed attributes")
    values = {attribute["type"].native: attribute["values"] for attribute in attributes}
    content_type = values.get("content_type")
    if not content_type or content_type[0].dotted != LDS_SECURITY_OBJECT_OID:
        raise NotGenuineError("bad_signature", "the signed content type is not the LDS object")
    digest_name, _ = _hash_algorithm(signer_info["digest_algorithm"]["algorithm"].native)
    digest = values.get("message_digest")
    expected = hashlib.new(digest_name, content).digest()
    if not digest or not hmac.compare_digest(bytes(digest[0].native), expected):
        raise NotGenuineError("bad_signature", "the signed digest does not match the content")


def _check_signature(signer_info: cms.SignerInfo, signer: x509.Certificate) -> None:
    # Signed attributes are signed as a SET (tag 31), not as the [0] they are stored as.
    signed = b"\x31" + bytes(signer_info["signed_attrs"].dump())[1:]
    signature = bytes(signer_info["signature"].native)
    _, hash_class = _hash_algorithm(signer_info["digest_algorithm"]["algorithm"].native)
    scheme = signer_info["signature_algorithm"].signature_algo
    key = signer.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey) and scheme == "ecdsa":
            key.verify(signature, signed, ec.ECDSA(hash_class()))
        elif isinstance(key, rsa.RSAPublicKey) and scheme == "rsassa_pkcs1v15":
            key.verify(signature, signed, padding.PKCS1v15(), hash_class())
        elif isinstance(key, rsa.RSAPublicKey) and scheme == "rsassa_pss":
            pss = padding.PSS(padding.MGF1(hash_class()), padding.PSS.DIGEST_LENGTH)
            key.verify(signature, signed, pss, hash_class())
        else:
            raise NotGenuineError("bad_signature", f"signature scheme {scheme} is not accepted")
    except InvalidSignature as error:
        raise NotGenuineError("bad_signature", "EF.SOD's signature does not verify") from error


def _check_chain(
    signer: x509.Certificate, country_cas: Sequence[x509.Certificate], now: datetime
) -> x509.Certificate:
    for country_ca in country_cas:
        try:
            signer.verify_directly_issued_by(country_ca)
        except (ValueError, TypeError, InvalidSignature):
            continue
        for certificate, what in ((country_ca, "country CA"), (signer, "document signer")):
            if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
                raise NotGenuineError("signer_expired", f"the {what} certificate is not valid now")
        return country_ca
    raise NotGenuineError(
        "unknown_signer",
        f"the document signer ({signer.issuer.rfc4514_string()}) is not issued by a trusted "
        "country CA",
    )


def _signed_hashes(security_object: LdsSecurityObject) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    for entry in security_object["data_group_hash_values"]:
        number = entry["data_group_number"].native
        if number in found:
            raise NotGenuineError("sod_malformed", f"EF.SOD lists DG{number} twice")
        found[number] = bytes(entry["data_group_hash_value"].native)
    return found
