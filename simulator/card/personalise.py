"""Personalisation: a person of the population becomes a card's files, signed as the scenario
says (genuine, expired, tampered after signing, or signed under a foreign CSCA)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from fixtures.pki import ensure_test_pki
from fixtures.population.calendar import age_on
from fixtures.records import Person, PopulationInfo
from simulator.card.data_groups import CardHolder, encode_com, encode_data_groups, encode_dg1
from simulator.card.layout import DATA_GROUP_NUMBERS, CardFile
from simulator.card.scenarios import CardScenario
from simulator.card.security_object import security_object, sign_security_object

# Portrait JPEG quality: ~20 KB for 480x600, about what national ID chips hold.
PORTRAIT_QUALITY = 75
EXPIRED_DAYS_AGO = 30
TAMPERED_EXTRA_YEARS = 10


class CardHolderNotFoundError(LookupError):
    """No such ID number in the population, or the population cannot be read."""


@dataclass(frozen=True)
class DocumentSigner:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def load_document_signer(pki_dir: Path) -> DocumentSigner:
    """The test PKI's document signer (created under `pki_dir` if missing)."""
    pki = ensure_test_pki(pki_dir)
    certificate = x509.load_pem_x509_certificate(pki.document_signer.read_bytes())
    key = serialization.load_pem_private_key(pki.document_signer_key.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError(f"{pki.document_signer_key} does not hold an EC private key")
    return DocumentSigner(certificate, key)


def foreign_document_signer() -> DocumentSigner:
    """A document signer under a CSCA the station does not trust, made in memory. Its names copy
    the real test CSCA's and signer's, so trust must rest on keys, not names."""
    csca_key = ec.generate_private_key(ec.SECP256R1())
    signer_key = ec.generate_private_key(ec.SECP256R1())
    organisation = x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hawiya Test PKI")
    country = x509.NameAttribute(NameOID.COUNTRY_NAME, "SA")
    csca_name = x509.Name(
        [country, organisation, x509.NameAttribute(NameOID.COMMON_NAME, "Hawiya Test CSCA")]
    )
    signer_name = x509.Name(
        [
            country,
            organisation,
            x509.NameAttribute(NameOID.COMMON_NAME, "Hawiya Test Document Signer"),
        ]
    )
    start = datetime.now(UTC) - timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(signer_name)
        .issuer_name(csca_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(csca_key, hashes.SHA256())
    )
    return DocumentSigner(certificate, signer_key)


def load_person(db_url: str, id_number: str) -> tuple[Person, date]:
    """The person with `id_number` and the date their card was issued (for the portrait's age):
    the record's issue date, else the population's reference date, else today."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            person = session.get(Person, id_number)
            if person is None:
                raise CardHolderNotFoundError(
                    f"no person with ID number {id_number} in the population"
                )
            issued = person.id_issue_date
            if issued is None:
                info = session.exec(select(PopulationInfo)).first()
                issued = info.reference_date if info is not None else date.today()
            session.expunge(person)
            return person, issued
    except SQLAlchemyError as error:
        raise CardHolderNotFoundError(f"the population cannot be read: {error}") from error
    finally:
        engine.dispose()


def render_portrait(person: Person, on: date) -> tuple[bytes, tuple[int, int]]:
    """The card portrait of `person` as on `on`: JPEG bytes and (width, height)."""
    # Imported here: the face renderer loads mediapipe, which a card built from a given
    # portrait (tests, benchmarks, a cached portrait) does not need.
    from simulator.subject import identity_for_person, portrait_jpeg, render_card_portrait

    image = render_card_portrait(identity_for_person(person, on))
    height, width = image.shape[:2]
    return portrait_jpeg(image, PORTRAIT_QUALITY), (width, height)


def portrait_cache_path(cache_dir: Path, person: Person, on: date) -> Path:
    """Where the rendered portrait of `person` as on `on` is kept: the face depends only on
    the face seed, sex, nationality and age, so the name says exactly those."""
    age = age_on(person.birth_date, on)
    name = f"{person.face_seed}-{person.sex}-{person.nationality}-{age}.jpg"
    return cache_dir / name


def cached_portrait(
    person: Person, on: date, cache_dir: Path | None
) -> tuple[bytes, tuple[int, int]]:
    """The card portrait, rendered once (~3 s) and then read from `cache_dir` (synthetic
    faces of the simulated population only; the station never writes portraits to disk)."""
    if cache_dir is None:
        return render_portrait(person, on)
    path = portrait_cache_path(cache_dir, person, on)
    if path.exists():
        jpeg = path.read_bytes()
        size = jpeg_size(jpeg)
        if size is not None:
            return jpeg, size
    jpeg, size = render_portrait(person, on)
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(jpeg)
    temporary.replace(path)
    return jpeg, size


def card_holder(
    person: Person, portrait: tuple[bytes, tuple[int, int]], expiry: date | None = None
) -> CardHolder:
    jpeg, size = portrait
    return CardHolder(
        id_number=person.id_number,
        names_en=(
            person.given_name_en,
            person.father_name_en,
            person.grandfather_name_en,
            person.family_name_en,
        ),
        names_ar=(
            person.given_name_ar,
            person.father_name_ar,
            person.grandfather_name_ar,
            person.family_name_ar,
        ),
        nationality=person.nationality,
        sex=person.sex,
        birth_date=person.birth_date,
        expiry_date=expiry or person.id_expiry,
        portrait_jpeg=jpeg,
        portrait_size=size,
    )


def personalise(
    holder: CardHolder,
    scenario: CardScenario,
    signer: DocumentSigner | Callable[[], DocumentSigner],
    today: date | None = None,
) -> dict[CardFile, bytes]:
    """The card's files for `holder` under `scenario`; `signer` signs unless the scenario
    calls for a foreign one."""
    today = today or date.today()
    if scenario is CardScenario.EXPIRED:
        holder = dataclasses.replace(holder, expiry_date=today - timedelta(EXPIRED_DAYS_AGO))
    groups = encode_data_groups(holder)
    content = security_object({DATA_GROUP_NUMBERS[f]: data for f, data in groups.items()})
    chosen = foreign_document_signer() if scenario is CardScenario.UNKNOWN_CA else signer
    if callable(chosen):
        chosen = chosen()
    sod = sign_security_object(content, chosen.certificate, chosen.key)
    if scenario is CardScenario.TAMPERED:
        # A forger extends the card's life after it was signed: DG1 no longer matches its hash.
        expiry = holder.expiry_date
        longer = date(expiry.year + TAMPERED_EXTRA_YEARS, expiry.month, min(expiry.day, 28))
        groups[CardFile.DG1] = encode_dg1(dataclasses.replace(holder, expiry_date=longer))
    return {CardFile.COM: encode_com(), **groups, CardFile.SOD: sod}


def jpeg_size(jpeg: bytes) -> tuple[int, int] | None:
    """(width, height) from a JPEG's start-of-frame segment, or None if there is none."""
    offset = 2
    while offset + 9 <= len(jpeg) and jpeg[offset] == 0xFF:
        marker = jpeg[offset + 1]
        length = int.from_bytes(jpeg[offset + 2 : offset + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(jpeg[offset + 5 : offset + 7], "big")
            width = int.from_bytes(jpeg[offset + 7 : offset + 9], "big")
            return width, height
        offset += 2 + length
    return None
