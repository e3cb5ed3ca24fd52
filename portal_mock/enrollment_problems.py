"""The problems (RFC 9457, English and Arabic) of account enrollment: each says what happened
and what the operator does next."""

from __future__ import annotations

from datetime import datetime

from portal_mock.clock import RIYADH
from portal_mock.eligibility import Reason
from portal_mock.problems import Problem
from portal_mock.validation import FieldError


def already_registered() -> Problem:
    return Problem(
        409,
        "already-registered",
        title="This person already has a portal account",
        title_ar="لهذا الشخص حساب في البوابة مسبقًا",
        detail=(
            "No second account can be created. If the person forgot the username or "
            "password, use the portal's account recovery."
        ),
        detail_ar=(
            "لا يمكن إنشاء حساب ثانٍ. إذا نسي الشخص اسم المستخدم أو كلمة المرور فليستخدم "
            "خدمة استعادة الحساب في البوابة."
        ),
    )


def ineligible(reasons: list[Reason]) -> Problem:
    return Problem(
        409,
        "ineligible",
        title="This person cannot enroll",
        title_ar="لا يمكن تسجيل هذا الشخص",
        detail=" ".join(reason.message for reason in reasons),
        detail_ar=" ".join(reason.message_ar for reason in reasons),
        extensions={
            "reasons": [
                {"code": r.code, "message": r.message, "message_ar": r.message_ar} for r in reasons
            ]
        },
    )


def mobile_not_registered(masked: str) -> Problem:
    error = FieldError(
        field="mobile",
        message=f"The number {masked} is not registered in this person's name.",
        message_ar=f"الرقم {masked} غير مسجل باسم هذا الشخص.",
    )
    return Problem(
        422,
        "mobile-not-registered",
        title="The mobile number is not in this person's name",
        title_ar="رقم الجوال غير مسجل باسم هذا الشخص",
        detail=(
            f"The number {masked} is not registered to this person at the telecom operators. "
            "Give a number registered in their own name, or register it with the operator first."
        ),
        detail_ar=(
            f"الرقم {masked} غير مسجل باسم هذا الشخص لدى شركات الاتصالات. أدخل رقمًا مسجلًا "
            "باسمه، أو سجّل الرقم باسمه لدى شركة الاتصالات أولًا."
        ),
        extensions={"errors": [error.model_dump()]},
    )


def enrollment_not_found() -> Problem:
    return Problem(
        404,
        "not-found",
        title="No such enrollment",
        title_ar="لا يوجد تسجيل بهذا المعرّف",
        detail="This station has no enrollment with this id. Start the account step again.",
        detail_ar="لا يوجد لدى هذه المحطة تسجيل بهذا المعرّف. ابدأ خطوة الحساب من جديد.",
    )


def enrollment_expired() -> Problem:
    return Problem(
        409,
        "enrollment-expired",
        title="The account step timed out",
        title_ar="انتهت مهلة خطوة الحساب",
        detail="Too much time passed since the account step began. Start it again.",
        detail_ar="مضى وقت طويل منذ بدء خطوة الحساب. ابدأها من جديد.",
    )


def code_incorrect(attempts_left: int) -> Problem:
    return Problem(
        422,
        "code-incorrect",
        title="The code is not correct",
        title_ar="الرمز غير صحيح",
        detail=(
            f"The code does not match the one sent by SMS. {attempts_left} attempt(s) left; "
            "then a new code is needed."
        ),
        detail_ar=(
            f"الرمز لا يطابق الرمز المرسل برسالة نصية. المحاولات المتبقية: {attempts_left}، "
            "وبعدها يلزم رمز جديد."
        ),
        extensions={"attempts_left": attempts_left},
    )


def code_expired() -> Problem:
    return Problem(
        409,
        "code-expired",
        title="The code has expired",
        title_ar="انتهت صلاحية الرمز",
        detail="The code was valid for 10 minutes and has expired. Send a new code.",
        detail_ar="كان الرمز صالحًا لمدة 10 دقائق وانتهت صلاحيته. أرسل رمزًا جديدًا.",
    )


def code_attempts_exhausted() -> Problem:
    return Problem(
        409,
        "code-attempts-exhausted",
        title="Too many wrong codes",
        title_ar="محاولات خاطئة كثيرة للرمز",
        detail="The code was entered wrongly 5 times and no longer works. Send a new code.",
        detail_ar="أُدخل الرمز خطأً 5 مرات ولم يعد صالحًا. أرسل رمزًا جديدًا.",
    )


def resend_too_early(available_at: datetime, retry_after: int) -> Problem:
    local = available_at.astimezone(RIYADH).strftime("%H:%M:%S")
    return Problem(
        429,
        "rate-limited",
        title="Wait before sending another code",
        title_ar="انتظر قبل إرسال رمز آخر",
        detail=(
            f"A new code can be sent in {retry_after} s (at {local} Riyadh time). The last one "
            "may still arrive."
        ),
        detail_ar=(
            f"يمكن إرسال رمز جديد بعد {retry_after} ثانية (الساعة {local} بتوقيت الرياض). قد "
            "يصل الرمز السابق خلال ذلك."
        ),
        extensions={"resend_available_at": available_at.isoformat()},
        headers={"Retry-After": str(retry_after)},
    )


def resend_limit_reached(limit: int) -> Problem:
    return Problem(
        409,
        "code-resend-limit",
        title="No more codes for this enrollment",
        title_ar="لا مزيد من الرموز لهذا التسجيل",
        detail=(
            f"{limit} codes were sent for this enrollment. Check the mobile number with the "
            "person, then start the account step again."
        ),
        detail_ar=(
            f"أُرسل {limit} رموز لهذا التسجيل. تحقق من رقم الجوال مع الشخص، ثم ابدأ خطوة "
            "الحساب من جديد."
        ),
    )


def code_not_verified() -> Problem:
    return Problem(
        409,
        "code-not-verified",
        title="The SMS code has not been verified",
        title_ar="لم يتم التحقق من رمز الرسالة النصية",
        detail="Enter the code the person received by SMS before submitting.",
        detail_ar="أدخل الرمز الذي وصل إلى الشخص برسالة نصية قبل الإرسال.",
    )


def fingerprint_not_verified(why: str, why_ar: str) -> Problem:
    return Problem(
        409,
        "fingerprint-not-verified",
        title="The fingerprint has not been verified for this person",
        title_ar="لم يتم التحقق من بصمة هذا الشخص",
        detail=f"{why} Verify a finger against the national record, then submit again.",
        detail_ar=f"{why_ar} تحقق من بصمة إصبع مقابل السجل الوطني، ثم أرسل مرة أخرى.",
    )


def evidence_incomplete(errors: list[FieldError]) -> Problem:
    return Problem(
        422,
        "evidence-incomplete",
        title="The enrollment evidence is incomplete",
        title_ar="أدلة التسجيل غير مكتملة",
        detail="Some evidence is missing or does not pass; see the listed fields.",
        detail_ar="بعض الأدلة ناقصة أو لا تستوفي الشروط؛ راجع الحقول المذكورة.",
        extensions={"errors": [error.model_dump() for error in errors]},
    )


def idempotency_key_missing() -> Problem:
    return Problem(
        400,
        "idempotency-key-missing",
        title="The submission has no Idempotency-Key",
        title_ar="الإرسال لا يحمل المفتاح Idempotency-Key",
        detail=(
            "Send an Idempotency-Key header (a UUID made once per enrollment) so that a "
            "repeated submission cannot create a second account."
        ),
        detail_ar=(
            "أرسل الترويسة Idempotency-Key (معرّف UUID يُنشأ مرة واحدة لكل تسجيل) حتى لا ينشئ "
            "الإرسال المكرر حسابًا ثانيًا."
        ),
    )


def idempotency_key_reused() -> Problem:
    return Problem(
        422,
        "idempotency-key-reused",
        title="This Idempotency-Key was used for another request",
        title_ar="استُخدم المفتاح Idempotency-Key لطلب آخر",
        detail=(
            "The key was already used with a different body. A repeat must be byte-for-byte "
            "the same request; a new request needs a new key."
        ),
        detail_ar=(
            "استُخدم هذا المفتاح من قبل مع محتوى مختلف. يجب أن يكون الطلب المكرر مطابقًا تمامًا؛ "
            "والطلب الجديد يحتاج إلى مفتاح جديد."
        ),
    )


def no_reference_photo() -> Problem:
    return Problem(
        404,
        "no-reference-photo",
        title="No reference photo for this person",
        title_ar="لا توجد صورة مرجعية لهذا الشخص",
        detail="The national record holds no photo of this person. Enroll with the ID card.",
        detail_ar="لا يحتوي السجل الوطني على صورة لهذا الشخص. سجّل باستخدام بطاقة الهوية.",
    )


def simulation_only() -> Problem:
    return Problem(
        404,
        "not-found",
        title="Not Found",
        title_ar="العنوان غير موجود",
        detail="This endpoint exists only on a portal in simulation mode.",
        detail_ar="هذا العنوان متاح فقط في البوابة في وضع المحاكاة.",
    )
