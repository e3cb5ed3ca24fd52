"""Every way a card read can fail, as a reason code and what the operator is told (EN + AR)."""

from __future__ import annotations

from enum import StrEnum

from station.bilingual import Bilingual


class CardFailure(StrEnum):
    NO_READER = "no_reader"
    PCSCD_NOT_RUNNING = "pcscd_not_running"
    NO_CARD = "no_card"
    CARD_UNREADABLE = "card_unreadable"
    CARD_NOT_ANSWERING = "card_not_answering"
    CARD_REMOVED = "card_removed"
    CARD_EXPIRED = "card_expired"
    CARD_NOT_GENUINE = "card_not_genuine"


MESSAGES: dict[CardFailure, Bilingual] = {
    CardFailure.NO_READER: Bilingual(
        "No card reader found: plug in the reader, or type the ID number instead.",
        "لم يُعثر على قارئ بطاقات: وصّل القارئ، أو اكتب رقم الهوية يدويًا.",
    ),
    CardFailure.PCSCD_NOT_RUNNING: Bilingual(
        "The smart card service (pcscd) is not running: start it (systemctl start pcscd), "
        "or type the ID number instead.",
        "خدمة البطاقات الذكية (pcscd) لا تعمل: شغّلها (systemctl start pcscd)، "
        "أو اكتب رقم الهوية يدويًا.",
    ),
    CardFailure.NO_CARD: Bilingual(
        "No card in the reader: insert the ID card, chip first.",
        "لا توجد بطاقة في القارئ: أدخل بطاقة الهوية من جهة الشريحة.",
    ),
    CardFailure.CARD_UNREADABLE: Bilingual(
        "The card cannot be read: check it is a national ID card, clean the chip and insert it "
        "again; if it still fails, type the ID number.",
        "تعذّرت قراءة البطاقة: تأكد أنها بطاقة هوية وطنية، ونظّف الشريحة وأعد إدخالها؛ "
        "وإن فشلت مجددًا فاكتب رقم الهوية.",
    ),
    CardFailure.CARD_NOT_ANSWERING: Bilingual(
        "The card stopped answering: take it out and insert it again; if it still fails, "
        "type the ID number.",
        "توقفت البطاقة عن الاستجابة: أخرجها وأعد إدخالها؛ وإن فشلت مجددًا فاكتب رقم الهوية.",
    ),
    CardFailure.CARD_REMOVED: Bilingual(
        "The card was removed before it was read: insert it again and leave it in until the "
        "reading is done.",
        "أُخرجت البطاقة قبل اكتمال القراءة: أعد إدخالها واتركها حتى تنتهي القراءة.",
    ),
    CardFailure.CARD_EXPIRED: Bilingual(
        "The ID card has expired: the person must renew it (Absher or civil affairs) before "
        "enrolling.",
        "بطاقة الهوية منتهية: يجب على الشخص تجديدها (أبشر أو الأحوال المدنية) قبل التسجيل.",
    ),
    CardFailure.CARD_NOT_GENUINE: Bilingual(
        "The card is not genuine (its security check failed): do not enroll with it; keep the "
        "card and call your supervisor.",
        "البطاقة غير أصلية (فشل فحص الأمان): لا تسجّل بها؛ احتفظ بالبطاقة واتصل بالمشرف.",
    ),
}


class CardReadError(Exception):
    """A card read failed; `failure` is the reason, `detail` the technical specifics."""

    def __init__(self, failure: CardFailure, detail: str = "") -> None:
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure
        self.detail = detail

    @property
    def message(self) -> Bilingual:
        return MESSAGES[self.failure]
