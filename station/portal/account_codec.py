"""JSON of the account-step and submit calls, both ways: request bodies from the station's
values, typed values from the portal's answers (a malformed answer raises `KeyError`,
`ValueError` or `TypeError`, which the client reports as an invalid answer)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from station.bilingual import Bilingual
from station.portal.account_models import (
    AccountRequest,
    ActivatedAccount,
    CodeStatus,
    EnrollmentDraft,
    EnrollmentEvidence,
    FingerprintExceptionEvidence,
    UsernameCheck,
)


def account_body(request: AccountRequest) -> dict[str, Any]:
    return {
        "id_number": request.id_number,
        "username": request.username,
        "password": request.password,
        "mobile": request.mobile,
        "email": request.email,
    }


def evidence_body(evidence: EnrollmentEvidence) -> dict[str, Any]:
    checked_at = evidence.passive_authentication_checked_at
    return {
        "passive_authentication": {
            "source": evidence.passive_authentication_source,
            "result": evidence.passive_authentication_result,
            "document_signer": evidence.document_signer,
            "checked_at": checked_at.isoformat() if checked_at else None,
        },
        "fingerprint": None
        if evidence.fingerprint_verification_id is None
        else {"verification_id": evidence.fingerprint_verification_id},
        "face": {
            "score": evidence.face_score,
            "threshold": evidence.face_threshold,
            "model": evidence.face_model,
            "reference": evidence.face_reference,
        },
        "liveness": {
            "passed": evidence.liveness_passed,
            "checks": [
                {"name": check.name, "passed": check.passed, "score": check.score}
                for check in evidence.liveness_checks
            ],
        },
        "portrait": {"jpeg_base64": base64.b64encode(evidence.portrait_jpeg).decode("ascii")},
        "consent": {
            "text_version": evidence.consent_text_version,
            "accepted_at": evidence.consent_accepted_at.isoformat(),
            "language": evidence.consent_language,
        },
        "operator_id": evidence.operator_id,
        "station_id": evidence.station_id,
    } | _exception_body(evidence.fingerprint_exception)


def _exception_body(exception: FingerprintExceptionEvidence | None) -> dict[str, Any]:
    # Left out when there is none, so an ordinary submission's body is as before.
    if exception is None:
        return {}
    approved_at = exception.approved_at
    return {
        "fingerprint_exception": {
            "fingers": [
                {
                    "finger_position": finger.finger_position,
                    "reason": finger.reason,
                    "failed_verification_ids": list(finger.failed_verification_ids),
                }
                for finger in exception.fingers
            ],
            "supervisor_id": exception.supervisor_id,
            "approved_at": approved_at.isoformat() if approved_at else None,
            "note": exception.note,
        }
    }


def username_check(data: dict[str, Any]) -> UsernameCheck:
    return UsernameCheck(
        username=str(data["username"]),
        available=bool(data["available"]),
        problems=tuple(
            Bilingual(str(item["message"]), str(item.get("message_ar") or item["message"]))
            for item in data["problems"]
        ),
    )


def code_status(data: dict[str, Any]) -> CodeStatus:
    return CodeStatus(
        mobile_masked=str(data["mobile_masked"]),
        code_expires_at=datetime.fromisoformat(data["code_expires_at"]),
        resend_available_at=datetime.fromisoformat(data["resend_available_at"]),
        attempts_left=int(data["attempts_left"]),
        codes_sent=int(data["codes_sent"]),
    )


def enrollment_draft(data: dict[str, Any]) -> EnrollmentDraft:
    return EnrollmentDraft(
        enrollment_id=str(data["enrollment_id"]),
        id_number=str(data["id_number"]),
        username=str(data["username"]),
        expires_at=datetime.fromisoformat(data["expires_at"]),
        code=code_status(data["code"]),
    )


def activated_account(data: dict[str, Any]) -> ActivatedAccount:
    return ActivatedAccount(
        account_id=str(data["account_id"]),
        enrollment_id=str(data["enrollment_id"]),
        id_number=str(data["id_number"]),
        username=str(data["username"]),
        status=str(data["status"]),
        activated_at=datetime.fromisoformat(data["activated_at"]),
        mobile_masked=str(data["mobile_masked"]),
        flags=tuple(str(flag) for flag in data.get("flags", [])),
    )


def reference_photo(data: dict[str, Any]) -> bytes:
    if data["media_type"] != "image/jpeg":
        raise ValueError(f"reference photo is {data['media_type']!r}, not image/jpeg")
    return base64.b64decode(data["jpeg_base64"], validate=True)
