"""Why a portal call failed, typed so the core and the UI can say what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from station.bilingual import Bilingual

PROBLEM_TYPE_PREFIX = "https://hawiya.example/problems/"


class PortalError(Exception):
    """Base of every failure a `Portal` call raises; `message` is for the operator."""

    def __init__(self, message: Bilingual) -> None:
        super().__init__(message.en)
        self.message = message


class UnreachableReason(StrEnum):
    CONNECT = "connect"  # refused, no route, DNS
    TIMEOUT = "timeout"
    TLS = "tls"  # handshake failed: certificate refused on either side
    UNAVAILABLE = "unavailable"  # 502/503/504 after every retry


_UNREACHABLE_TEXT = {
    UnreachableReason.CONNECT: Bilingual(
        "Portal unreachable: no connection. Check the network cable or Wi-Fi, then retry.",
        "تعذّر الوصول إلى البوابة: لا يوجد اتصال. تحقق من كابل الشبكة أو الواي فاي ثم أعد المحاولة.",
    ),
    UnreachableReason.TIMEOUT: Bilingual(
        "Portal unreachable: it did not answer in time. Check the network, then retry.",
        "تعذّر الوصول إلى البوابة: لم تُجب في الوقت المحدد. تحقق من الشبكة ثم أعد المحاولة.",
    ),
    UnreachableReason.TLS: Bilingual(
        "Portal refused the secure connection (certificate). Call technical support: "
        "this station's certificate may be expired or not registered.",
        "رفضت البوابة الاتصال الآمن (الشهادة). اتصل بالدعم الفني: "
        "قد تكون شهادة هذه المحطة منتهية أو غير مسجلة.",
    ),
    UnreachableReason.UNAVAILABLE: Bilingual(
        "Portal temporarily unavailable. Wait a minute, then retry.",
        "البوابة غير متاحة مؤقتًا. انتظر دقيقة ثم أعد المحاولة.",
    ),
}


class PortalUnreachableError(PortalError):
    """No HTTP answer could be had (after retries): network, timeout, TLS, or a down portal."""

    def __init__(self, reason: UnreachableReason, detail: str = "") -> None:
        super().__init__(_UNREACHABLE_TEXT[reason])
        self.reason = reason
        self.detail = detail  # the technical cause, for the log


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    message: Bilingual


class PortalProblemError(PortalError):
    """An RFC 9457 problem details answer from the portal."""

    def __init__(
        self,
        *,
        status: int,
        problem_type: str,
        title: Bilingual,
        detail: Bilingual,
        field_problems: tuple[FieldProblem, ...] = (),
    ) -> None:
        super().__init__(title.join(detail, ": "))
        self.status = status
        self.problem_type = problem_type
        self.title = title
        self.detail = detail
        self.field_problems = field_problems

    @property
    def kind(self) -> str:
        """The short problem type, e.g. "not-found" or "operator-locked"."""
        return self.problem_type.removeprefix(PROBLEM_TYPE_PREFIX)


class InvalidPortalAnswerError(PortalError):
    """The portal answered something the contract does not allow (a bug on one side)."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            Bilingual(
                "The portal sent an answer this station does not understand. "
                "Retry; if it happens again, call technical support.",
                "أرسلت البوابة ردًا لا تفهمه هذه المحطة. أعد المحاولة؛ "
                "وإن تكرر ذلك فاتصل بالدعم الفني.",
            )
        )
        self.detail = detail
