"""What the operator and the citizen read about liveness: guidance while it runs, and why a
session was not accepted. English and Arabic."""

from __future__ import annotations

from matcher.face.messages import BilingualMessage
from matcher.liveness.challenges import Challenge

_ACTION = {
    Challenge.BLINK: ("blink", "يرمش بعينيه"),
    Challenge.TURN_LEFT: ("turn the head to their left", "يدير رأسه إلى يساره"),
    Challenge.TURN_RIGHT: ("turn the head to their right", "يدير رأسه إلى يمينه"),
    Challenge.SMILE: ("smile", "يبتسم"),
    Challenge.LOOK_UP: ("look up", "ينظر إلى الأعلى"),
}


def not_done(challenge: Challenge) -> BilingualMessage:
    en, ar = _ACTION[challenge]
    return BilingualMessage(
        en=f"The person did not {en} in time when asked. Start the check again and ask them "
        "to follow the instructions on the screen.",
        ar=f"لم يستطع الشخص أن {ar} في الوقت المحدد عند طلب ذلك. ابدأ التحقق من جديد واطلب منه "
        "اتباع التعليمات على الشاشة.",
    )


def too_early(challenge: Challenge) -> BilingualMessage:
    en, ar = _ACTION[challenge]
    return BilingualMessage(
        en=f"The movement to {en} began before it was asked, as in a recorded video. Start the "
        "check again with the person themselves in front of the camera.",
        ar=f"بدأت حركة أن {ar} قبل طلبها، كما في فيديو مسجّل. ابدأ التحقق من جديد والشخص نفسه "
        "أمام الكاميرا.",
    )


def contrary(challenge: Challenge) -> BilingualMessage:
    en, ar = _ACTION[challenge]
    return BilingualMessage(
        en=f"Asked to {en}, the face turned another way, as in a recorded video. Start the "
        "check again and ask the person to do only what the screen shows.",
        ar=f"عند طلب أن {ar} التفت الوجه في اتجاه آخر، كما في فيديو مسجّل. ابدأ التحقق من جديد "
        "واطلب من الشخص أن يفعل ما تعرضه الشاشة فقط.",
    )


FLAT_FACE = BilingualMessage(
    en="As the head turned, the face moved like a flat picture (a print or a screen), not like "
    "a real head. A photo cannot be used: the person must stand in front of the camera.",
    ar="عند التفات الرأس تحرّك الوجه كصورة مسطّحة (مطبوعة أو على شاشة) وليس كرأس حقيقي. لا "
    "تُقبل الصور: يجب أن يقف الشخص نفسه أمام الكاميرا.",
)
NO_TURN = BilingualMessage(
    en="The head did not turn far enough to check that it is a real face. Start again and ask "
    "the person to turn the head clearly when asked.",
    ar="لم يلتفت الرأس بما يكفي للتحقق من أنه وجه حقيقي. ابدأ من جديد واطلب من الشخص أن يدير "
    "رأسه بوضوح عند الطلب.",
)
SCREEN = BilingualMessage(
    en="The picture shows the colour patterns of a screen filmed by the camera. A phone or "
    "tablet cannot be used: the person must stand in front of the camera.",
    ar="تظهر في الصورة أنماط ألوان شاشة صوّرتها الكاميرا. لا يُقبل الهاتف أو الجهاز اللوحي: "
    "يجب أن يقف الشخص نفسه أمام الكاميرا.",
)
HELD_UP = BilingualMessage(
    en="The edges of a photo or a phone held up to the camera showed around the face, moving "
    "with it. A photo or a screen cannot be used: the person must stand in front of the camera.",
    ar="ظهرت حواف صورة أو هاتف مرفوع أمام الكاميرا حول الوجه وتتحرك معه. لا تُقبل الصور أو "
    "الشاشات: يجب أن يقف الشخص نفسه أمام الكاميرا.",
)
TOO_LONG = BilingualMessage(
    en="The check took too long. Start it again with the person looking at the camera.",
    ar="استغرق التحقق وقتًا طويلًا. ابدأه من جديد والشخص ينظر إلى الكاميرا.",
)
NOT_LOOKING = BilingualMessage(
    en="No face looked straight at the camera long enough to start the check. Ask the person "
    "to face the camera, alone, in good light, and start again.",
    ar="لم ينظر أي وجه مباشرة إلى الكاميرا مدة كافية لبدء التحقق. اطلب من الشخص مواجهة الكاميرا "
    "وحده في إضاءة جيدة، ثم ابدأ من جديد.",
)
NOT_FINISHED = BilingualMessage(
    en="The liveness check has not finished yet.",
    ar="لم ينته التحقق من الحيوية بعد.",
)
LOOK_STRAIGHT = BilingualMessage(
    en="Ask the person to look straight at the camera.",
    ar="اطلب من الشخص النظر مباشرة إلى الكاميرا.",
)


def move_closer(inter_eye_px: float, needed_px: float) -> BilingualMessage:
    return BilingualMessage(
        en=f"The face is too small in the picture (eyes {inter_eye_px:.0f} px apart, "
        f"{needed_px:.0f} needed). Ask the person to move closer to the camera.",
        ar=f"الوجه صغير جدًا في الصورة (المسافة بين العينين {inter_eye_px:.0f} بكسل، والمطلوب "
        f"{needed_px:.0f}). اطلب من الشخص الاقتراب من الكاميرا.",
    )
