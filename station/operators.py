"""Operator sign-in at the station: online against the portal, offline from a cached hash,
a local lockout after repeated failures, and sign-out after a period without a key press.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from station.bilingual import Bilingual
from station.clock import Clock
from station.portal.errors import PortalError, PortalProblemError, PortalUnreachableError
from station.portal.protocol import Portal
from station.settings import OperatorPolicy
from station.store import CachedOperator, SignInFailures, StationStore

log = structlog.get_logger(__name__)


class SignInStatus(StrEnum):
    SIGNED_IN = "signed_in"
    SIGNED_IN_OFFLINE = "signed_in_offline"
    MISSING_INPUT = "missing_input"
    WRONG_CREDENTIALS = "wrong_credentials"
    LOCKED_LOCALLY = "locked_locally"
    LOCKED_AT_PORTAL = "locked_at_portal"
    OFFLINE_NOT_CACHED = "offline_not_cached"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class OperatorSession:
    """A signed-in operator. `token` is None after an offline sign-in (no portal session)."""

    username: str
    operator_id: str
    display_name: str
    role: str
    token: str | None
    signed_in_at: datetime

    @property
    def offline(self) -> bool:
        return self.token is None


@dataclass(frozen=True, slots=True)
class SignInOutcome:
    status: SignInStatus
    message: Bilingual
    session: OperatorSession | None = None
    locked_until: datetime | None = None

    @property
    def signed_in(self) -> bool:
        return self.session is not None


def format_clock_time(moment: datetime) -> str:
    """A time as the booth's clock shows it: local HH:MM and the zone name."""
    return moment.astimezone().strftime("%H:%M %Z")


def lockout_key(username: str) -> str:
    # Case-insensitive, so that "OP-DEMO" cannot dodge the lock that "op-demo" earned.
    return username.strip().casefold()


class OperatorSignIn:
    """The sign-in rules. One instance per app; safe to call from the UI's event loop."""

    def __init__(
        self,
        portal: Portal,
        store: StationStore,
        policy: OperatorPolicy,
        clock: Clock,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._portal = portal
        self._store = store
        self._policy = policy
        self._clock = clock
        # argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, 64 MiB, t=3).
        self._hasher = hasher or PasswordHasher()

    async def sign_in(self, username: str, password: str) -> SignInOutcome:
        username = username.strip()
        if not username or not password:
            return SignInOutcome(
                SignInStatus.MISSING_INPUT,
                Bilingual("Type your username and password.", "اكتب اسم المستخدم وكلمة المرور."),
            )
        key = lockout_key(username)
        now = self._clock()
        failures = self._store.failures(key)
        if failures.locked_until is not None:
            if now < failures.locked_until:
                return self._locked_locally(failures.locked_until)
            failures = SignInFailures(username=key)  # the lock ran out: start counting afresh
            self._store.clear_failures(key)

        try:
            grant = await self._portal.sign_in(username, password)
        except PortalUnreachableError as error:
            log.info("operator.portal_unreachable", username=username, reason=error.reason)
            return await self._sign_in_offline(username, password, failures, error)
        except PortalProblemError as problem:
            if problem.status == 423:
                log.info("operator.locked_at_portal", username=username)
                return SignInOutcome(
                    SignInStatus.LOCKED_AT_PORTAL,
                    problem.title.join(problem.detail, ": "),
                )
            if problem.status == 401 and problem.kind != "station-unauthorized":
                return self._count_failure(failures, offline=False)
            log.warning("operator.sign_in_refused", username=username, problem=problem.kind)
            return SignInOutcome(SignInStatus.REFUSED, _with_support_hint(problem.message))
        except PortalError as error:
            log.warning("operator.sign_in_failed", username=username, error=str(error))
            return SignInOutcome(SignInStatus.REFUSED, error.message)

        self._store.clear_failures(key)
        secret_hash = await asyncio.to_thread(self._hasher.hash, password)
        self._store.save_cached_operator(
            CachedOperator(
                username=key,
                operator_id=grant.operator_id,
                display_name=grant.display_name,
                role=grant.role,
                secret_hash=secret_hash,
                last_online_sign_in=now,
            )
        )
        log.info("operator.signed_in", operator_id=grant.operator_id, offline=False)
        session = OperatorSession(
            username, grant.operator_id, grant.display_name, grant.role, grant.token, now
        )
        return SignInOutcome(
            SignInStatus.SIGNED_IN,
            Bilingual(f"Welcome, {grant.display_name}.", f"أهلًا {grant.display_name}."),
            session,
        )

    async def _sign_in_offline(
        self,
        username: str,
        password: str,
        failures: SignInFailures,
        error: PortalUnreachableError,
    ) -> SignInOutcome:
        cached = self._store.cached_operator(lockout_key(username))
        if cached is None:
            return SignInOutcome(
                SignInStatus.OFFLINE_NOT_CACHED,
                error.message.join(
                    Bilingual(
                        "Offline sign-in works only for operators who signed in online at "
                        "this station before. Restore the network and try again.",
                        "تسجيل الدخول دون اتصال متاح فقط لمن سجّل الدخول متصلًا في هذه "
                        "المحطة من قبل. أعد الاتصال بالشبكة ثم حاول مجددًا.",
                    )
                ),
            )
        try:
            await asyncio.to_thread(self._hasher.verify, cached.secret_hash, password)
        except (VerificationError, InvalidHashError):
            return self._count_failure(failures, offline=True)
        self._store.clear_failures(lockout_key(username))
        log.info("operator.signed_in", operator_id=cached.operator_id, offline=True)
        session = OperatorSession(
            username, cached.operator_id, cached.display_name, cached.role, None, self._clock()
        )
        return SignInOutcome(
            SignInStatus.SIGNED_IN_OFFLINE,
            Bilingual(
                f"Signed in OFFLINE as {cached.display_name}: the portal is unreachable, so "
                "lookups will wait until you sign in again online.",
                f"تم تسجيل الدخول دون اتصال باسم {cached.display_name}: البوابة غير متاحة، "
                "لذا يتطلب البحث تسجيل الدخول مجددًا عند عودة الاتصال.",
            ),
            session,
        )

    def _count_failure(self, failures: SignInFailures, *, offline: bool) -> SignInOutcome:
        failures.consecutive += 1
        limit = self._policy.lockout_failures
        if failures.consecutive >= limit:
            failures.locked_until = self._clock() + timedelta(minutes=self._policy.lockout_minutes)
            self._store.save_failures(failures)
            log.warning("operator.locked_locally", username=failures.username)
            return self._locked_locally(failures.locked_until)
        self._store.save_failures(failures)
        left = limit - failures.consecutive
        where = " (checked offline)" if offline else ""
        where_ar = " (تم التحقق دون اتصال)" if offline else ""
        minutes = _minutes(self._policy.lockout_minutes)
        return SignInOutcome(
            SignInStatus.WRONG_CREDENTIALS,
            Bilingual(
                f"Wrong username or password{where}. {left} attempt(s) left before this "
                f"operator is locked for {minutes} minutes. Check Caps Lock and the keyboard "
                "language.",
                f"اسم المستخدم أو كلمة المرور غير صحيحة{where_ar}. بقيت {left} محاولة قبل "
                f"قفل هذا المشغل {minutes} دقيقة. تحقق من زر Caps Lock ولغة لوحة المفاتيح.",
            ),
        )

    def _locked_locally(self, until: datetime) -> SignInOutcome:
        shown = format_clock_time(until)
        return SignInOutcome(
            SignInStatus.LOCKED_LOCALLY,
            Bilingual(
                f"Too many failed sign-ins: this operator is locked at this station until "
                f"{shown}. Wait, or ask a supervisor.",
                f"محاولات دخول فاشلة كثيرة: هذا المشغل مقفل في هذه المحطة حتى {shown}. "
                "انتظر أو اطلب المشرف.",
            ),
            locked_until=until,
        )


def _minutes(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _with_support_hint(message: Bilingual) -> Bilingual:
    return message.join(
        Bilingual("If this continues, call technical support.", "إذا استمر ذلك فاتصل بالدعم الفني.")
    )


class IdleTimer:
    """Signs the operator out after `timeout` without a key press (an unattended booth)."""

    def __init__(self, timeout: timedelta, clock: Clock) -> None:
        self.timeout = timeout
        self._clock = clock
        self._last_activity = clock()

    def touch(self) -> None:
        self._last_activity = self._clock()

    def remaining(self) -> timedelta:
        return max(timedelta(0), self._last_activity + self.timeout - self._clock())

    def expired(self) -> bool:
        return self.remaining() == timedelta(0)
