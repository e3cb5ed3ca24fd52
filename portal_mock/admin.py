"""Administration of the portal's stations and operators, as plain functions for the CLI."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlmodel import Session, select

from fixtures.pki import certificate_thumbprint
from portal_mock.clock import utc_now
from portal_mock.db import create_db_engine, create_tables
from portal_mock.operator_auth import hash_password
from portal_mock.tables import Operator, RegisteredStation

ROLES = ("operator", "supervisor")
MINIMUM_PASSWORD_LENGTH = 8  # NIST SP 800-63B's floor for a memorised secret
_STATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


class AdminError(Exception):
    """A request the administrator must correct; the message says how, in English and Arabic."""

    def __init__(self, message: str, message_ar: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_ar = message_ar


def register_station(db_url: str, cert_path: Path, *, station_ca: Path | None = None) -> str:
    """Accept signatures from the station holding `cert_path`'s key; returns the station id
    (the certificate's CN). Registering the same certificate again changes nothing; a new
    certificate for a known station id is added beside the old one (renewal).

    With `station_ca`, the certificate must have been issued by that CA.
    """
    cert = _load_certificate(cert_path)
    station_id = _station_id_of(cert, cert_path)
    if not isinstance(cert.public_key(), ec.EllipticCurvePublicKey):
        raise AdminError(
            f"{cert_path}: stations sign with P-256 (ES256) keys; issue an EC P-256 certificate.",
            f"{cert_path}: توقّع المحطات بمفاتيح P-256 (ES256)؛ أصدر شهادة EC P-256.",
        )
    if station_ca is not None:
        _check_issued_by(cert, cert_path, station_ca)
    kid = certificate_thumbprint(cert)
    engine = create_db_engine(db_url)
    try:
        create_tables(engine)
        with Session(engine) as session:
            existing = session.get(RegisteredStation, kid)
            if existing is not None:
                if existing.revoked_at is not None:
                    revoked = f"{existing.revoked_at:%Y-%m-%d %H:%M} UTC"
                    raise AdminError(
                        f"The certificate of {station_id} was revoked on {revoked} and cannot "
                        "be registered again. Issue the station a new certificate.",
                        f"أُلغيت شهادة {station_id} في {revoked} ولا يمكن تسجيلها مرة أخرى. "
                        "أصدر للمحطة شهادة جديدة.",
                    )
                return existing.station_id
            session.add(
                RegisteredStation(
                    kid=kid,
                    station_id=station_id,
                    cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
                    not_before=cert.not_valid_before_utc,
                    not_after=cert.not_valid_after_utc,
                    registered_at=utc_now(),
                )
            )
            session.commit()
    finally:
        engine.dispose()
    return station_id


def revoke_station(db_url: str, station_id: str) -> None:
    """Refuse every certificate of `station_id` from now on; revoking twice changes nothing."""
    engine = create_db_engine(db_url)
    try:
        create_tables(engine)
        with Session(engine) as session:
            rows = session.exec(
                select(RegisteredStation).where(RegisteredStation.station_id == station_id)
            ).all()
            if not rows:
                raise AdminError(
                    f"No station {station_id!r} is registered. Check the id (the certificate's "
                    "CN, e.g. station-0001).",
                    f"لا توجد محطة مسجلة بالمعرّف {station_id!r}. راجع المعرّف (الاسم CN في "
                    "الشهادة، مثل station-0001).",
                )
            now = utc_now()
            for row in rows:
                if row.revoked_at is None:
                    row.revoked_at = now
                    session.add(row)
            session.commit()
    finally:
        engine.dispose()


def add_operator(
    db_url: str, username: str, display_name: str, password: str, role: str = "operator"
) -> bool:
    """Create the operator, or update their name, role and password if they exist (which also
    clears a lockout). Returns True if the operator was created."""
    if not _USERNAME.fullmatch(username):
        raise AdminError(
            f"Username {username!r} is not valid: use 2-64 lowercase letters, digits, '.', '_' "
            "or '-', starting with a letter or digit.",
            f"اسم المستخدم {username!r} غير صالح: استخدم من 2 إلى 64 حرفًا لاتينيًا صغيرًا أو "
            "رقمًا أو '.' أو '_' أو '-'، يبدأ بحرف أو رقم.",
        )
    if role not in ROLES:
        raise AdminError(
            f"Role {role!r} is not valid: use one of {', '.join(ROLES)}.",
            f"الدور {role!r} غير صالح: استخدم أحد الأدوار {', '.join(ROLES)}.",
        )
    if not display_name.strip():
        raise AdminError(
            "The display name is empty: give the operator's name as it should be shown.",
            "الاسم المعروض فارغ: اكتب اسم المشغّل كما يجب أن يظهر.",
        )
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise AdminError(
            f"The password is too short: use at least {MINIMUM_PASSWORD_LENGTH} characters.",
            f"كلمة المرور قصيرة جدًا: استخدم {MINIMUM_PASSWORD_LENGTH} أحرف على الأقل.",
        )
    password_hash = hash_password(password)
    engine = create_db_engine(db_url)
    try:
        create_tables(engine)
        with Session(engine) as session:
            operator = session.get(Operator, username)
            created = operator is None
            if operator is None:
                operator = Operator(username=username, display_name="", role=role, password_hash="")
            operator.display_name = display_name.strip()
            operator.role = role
            operator.password_hash = password_hash
            operator.failed_attempts = 0
            operator.locked_until = None
            session.add(operator)
            session.commit()
    finally:
        engine.dispose()
    return created


def _load_certificate(cert_path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(cert_path.read_bytes())
    except OSError as exc:
        raise AdminError(
            f"Cannot read {cert_path}: {exc.strerror}. Check the path.",
            f"تعذرت قراءة {cert_path}: {exc.strerror}. راجع المسار.",
        ) from exc
    except ValueError as exc:
        raise AdminError(
            f"{cert_path} is not a PEM certificate. Give the station's certificate file "
            "(-----BEGIN CERTIFICATE-----).",
            f"{cert_path} ليس شهادة بصيغة PEM. استخدم ملف شهادة المحطة "
            "(-----BEGIN CERTIFICATE-----).",
        ) from exc


def _station_id_of(cert: x509.Certificate, cert_path: Path) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    station_id = str(names[0].value) if names else ""
    if not _STATION_ID.fullmatch(station_id):
        raise AdminError(
            f"{cert_path}: the subject CN {station_id!r} is not a station id (e.g. station-0001).",
            f"{cert_path}: الاسم CN {station_id!r} ليس معرّف محطة (مثل station-0001).",
        )
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return station_id
    if ExtendedKeyUsageOID.CLIENT_AUTH not in usages:
        raise AdminError(
            f"{cert_path} is not a TLS client certificate (no clientAuth usage); issue the "
            "station a client certificate.",
            f"{cert_path} ليست شهادة عميل TLS (لا تتضمن clientAuth)؛ أصدر للمحطة شهادة عميل.",
        )
    return station_id


def _check_issued_by(cert: x509.Certificate, cert_path: Path, ca_path: Path) -> None:
    ca = _load_certificate(ca_path)
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise AdminError(
            f"{cert_path} was not issued by the station CA {ca_path}; the portal would refuse "
            "it at the TLS handshake. Issue it from the station CA.",
            f"{cert_path} لم تصدر عن جهة شهادات المحطات {ca_path}، وسترفضها البوابة عند "
            "مصافحة TLS. أصدرها من جهة شهادات المحطات.",
        ) from exc


def is_expired(cert_path: Path, now: datetime | None = None) -> bool:
    """Whether the certificate at `cert_path` has expired (the CLI warns before registering)."""
    cert = _load_certificate(cert_path)
    return (now or utc_now()) > cert.not_valid_after_utc
