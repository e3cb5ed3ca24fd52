"""Request and answer bodies of the identity lookup, with bilingual field validation."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from fixtures.hijri import from_hijri
from fixtures.national_id import is_valid_id_number
from portal_mock.clock import riyadh_date, utc_now
from portal_mock.eligibility import Eligibility
from portal_mock.validation import bilingual_error

_TEN_DIGITS = re.compile(r"[0-9]{10}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

Calendar = Literal["gregorian", "hijri"]


class LookupRequest(BaseModel):
    """Who to look up: the ID number and the date of birth in either calendar."""

    # `calendar` comes first so the birth-date validator can read it.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"id_number": "1000000008", "birth_date": "1990-05-17", "calendar": "gregorian"}
            ]
        },
    )

    calendar: Calendar = "gregorian"
    id_number: str = Field(description="10 digits, 1 = citizen, 2 = resident, Luhn check digit")
    birth_date: str = Field(description="YYYY-MM-DD in the calendar named by `calendar`")

    @field_validator("id_number")
    @classmethod
    def _check_id_number(cls, value: str) -> str:
        if not _TEN_DIGITS.fullmatch(value):
            raise bilingual_error(
                "id_number_length",
                "The ID number must be exactly 10 digits (0-9). Type it again from the card.",
                "يجب أن يتكون رقم الهوية من 10 أرقام بالضبط (0-9). أعد كتابته من البطاقة.",
            )
        if value[0] not in "12":
            raise bilingual_error(
                "id_number_first_digit",
                "The ID number must start with 1 (citizen) or 2 (resident). Check the card.",
                "يجب أن يبدأ رقم الهوية بالرقم 1 (مواطن) أو 2 (مقيم). راجع البطاقة.",
            )
        if not is_valid_id_number(value):
            raise bilingual_error(
                "id_number_check_digit",
                "The ID number's check digit does not match: a digit is mistyped. Type the "
                "number again from the card.",
                "رقم التحقق في رقم الهوية غير مطابق: أحد الأرقام مكتوب خطأ. "
                "أعد كتابة الرقم من البطاقة.",
            )
        return value

    @field_validator("birth_date")
    @classmethod
    def _check_birth_date(cls, value: str, info: ValidationInfo) -> str:
        if not _ISO_DATE.fullmatch(value):
            raise bilingual_error(
                "birth_date_format",
                "Write the date of birth as YYYY-MM-DD, e.g. 1990-05-17.",
                "اكتب تاريخ الميلاد بالصيغة YYYY-MM-DD (سنة-شهر-يوم)، مثل 1990-05-17.",
            )
        calendar = info.data.get("calendar")
        if calendar is None:
            return value  # the calendar itself is invalid and reported on its own
        try:
            gregorian = _to_gregorian(value, calendar)
        except ValueError:
            if calendar == "hijri":
                raise bilingual_error(
                    "birth_date_impossible",
                    "There is no such date in the Hijri (Umm al-Qura) calendar between 1343 and "
                    "1500 AH. Check the day and the month.",
                    "لا يوجد هذا التاريخ في التقويم الهجري (أم القرى) بين 1343 و1500 هـ. راجع "
                    "اليوم والشهر.",
                ) from None
            raise bilingual_error(
                "birth_date_impossible",
                "There is no such date in the Gregorian calendar. Check the day and the month.",
                "لا يوجد هذا التاريخ في التقويم الميلادي. راجع اليوم والشهر.",
            ) from None
        if gregorian > riyadh_date(utc_now()):
            raise bilingual_error(
                "birth_date_future",
                "The date of birth is in the future. Check the year and the calendar.",
                "تاريخ الميلاد في المستقبل. راجع السنة ونوع التقويم.",
            )
        return value

    def gregorian_birth_date(self) -> date:
        return _to_gregorian(self.birth_date, self.calendar)


def _to_gregorian(value: str, calendar: Calendar) -> date:
    return from_hijri(value) if calendar == "hijri" else date.fromisoformat(value)


class EligibilityReason(BaseModel):
    code: Literal["deceased", "id_expired", "under_age"]
    message: str
    message_ar: str


class LookupResponse(BaseModel):
    """The person found, and whether they can enroll now."""

    id_number: str
    kind: Literal["citizen", "resident"]
    name_ar: str
    name_en: str
    sex: Literal["male", "female"]
    nationality: str
    birth_date: date
    birth_date_hijri: str
    id_expiry: date
    status: Literal["active", "deceased"]
    has_portal_account: bool
    eligibility: Eligibility
    reasons: list[EligibilityReason]
