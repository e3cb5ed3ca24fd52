"""The consent a citizen gives at the booth, in English and Arabic, with the version id and the
digest an enrollment records to prove which text was shown.

Changing any word means a new `version`: a consent record must point at the exact text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from station.bilingual import Bilingual


@dataclass(frozen=True, slots=True)
class ConsentText:
    version: str
    title: Bilingual
    paragraphs: tuple[Bilingual, ...]
    question: Bilingual

    def sha256(self) -> str:
        """Hex digest over the version and every line in both languages (logical order)."""
        canonical = json.dumps(
            {
                "version": self.version,
                "title": [self.title.en, self.title.ar],
                "paragraphs": [[p.en, p.ar] for p in self.paragraphs],
                "question": [self.question.en, self.question.ar],
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


CONSENT = ConsentText(
    version="hawiya-consent-2025.1",
    title=Bilingual("Consent to register", "الموافقة على التسجيل"),
    paragraphs=(
        Bilingual(
            "To register you for the e-services portal, this booth reads your identity card, "
            "takes your fingerprint and a photo of your face, and checks that you are here in "
            "person.",
            "لتسجيلك في بوابة الخدمات الإلكترونية، يقرأ هذا الجهاز بطاقة هويتك، ويلتقط بصمة "
            "إصبعك وصورة لوجهك، ويتحقق من حضورك شخصياً.",
        ),
        Bilingual(
            "Your fingerprint and face are used only to confirm your identity for this "
            "registration. They are sent encrypted to the Ministry of Interior and deleted from "
            "this booth as soon as the Ministry has received them.",
            "تُستخدم بصمتك وصورة وجهك فقط لتأكيد هويتك في هذا التسجيل، وتُرسل مشفّرة إلى وزارة "
            "الداخلية وتُحذف من هذا الجهاز فور استلام الوزارة لها.",
        ),
        Bilingual(
            "Your mobile number is used to send you a one-time activation code.",
            "يُستخدم رقم جوالك لإرسال رمز تفعيل لمرة واحدة.",
        ),
        Bilingual(
            "You may refuse, or stop at any time before the account is created; everything "
            "captured is then deleted.",
            "يمكنك الرفض أو التوقف في أي وقت قبل إنشاء الحساب، وعندها يُحذف كل ما تم التقاطه.",
        ),
    ),
    question=Bilingual("Do you agree? Tell the operator.", "هل توافق؟ أخبر الموظف بقرارك."),
)
