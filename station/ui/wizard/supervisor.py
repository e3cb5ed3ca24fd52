"""Who may approve a fingerprint exception: a supervisor, someone other than the operator,
checked at the portal (role "supervisor") or, when the portal is unreachable, against the
argon2id hash cached when that supervisor last signed in online at this station."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, func, select

from station.bilingual import Bilingual
from station.operators import lockout_key
from station.portal.errors import PortalError, PortalProblemError, PortalUnreachableError
from station.portal.protocol import Portal
from station.store import CachedOperator, StationStore

log = structlog.get_logger(__name__)

SUPERVISOR_ROLE = "supervisor"

NO_SUPERVISOR = Bilingual(
    "This needs a supervisor, and none can be checked at this station: no supervisor has "
    "signed in here, and the portal cannot be asked. Call a supervisor to sign in at this "
    "station once, or stop the enrollment.",
    "يحتاج هذا إلى مشرف، ولا يمكن التحقق من أي مشرف في هذه المحطة: لم يسجّل أي مشرف الدخول "
    "هنا، ولا يمكن سؤال البوابة. اطلب من مشرف تسجيل الدخول في هذه المحطة مرة، أو أوقف التسجيل.",
)
_WRONG = Bilingual(
    "Wrong supervisor username or password.", "اسم مستخدم المشرف أو كلمة المرور غير صحيحة."
)
_NOT_SUPERVISOR = Bilingual(
    "This account is not a supervisor's: only a supervisor may approve an exception.",
    "هذا الحساب ليس لمشرف: لا يعتمد الاستثناء إلا مشرف.",
)
_SAME_PERSON = Bilingual(
    "The supervisor must be someone other than the operator.",
    "يجب أن يكون المشرف شخصًا غير الموظف.",
)
_MISSING = Bilingual(
    "Type the supervisor's username and password.", "اكتب اسم مستخدم المشرف وكلمة المرور."
)


@dataclass(frozen=True, slots=True)
class SupervisorVerdict:
    approved: bool
    message: Bilingual
    supervisor_id: str | None = None


class SupervisorCheck:
    """Checks a supervisor's credentials; never raises for wrong input or a down portal."""

    def __init__(
        self,
        store: StationStore,
        portal: Portal | None = None,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._store = store
        self._portal = portal
        self._hasher = hasher or PasswordHasher()

    def cached_supervisors(self) -> int:
        with Session(self._store.engine) as session:
            query = select(func.count()).where(col(CachedOperator.role) == SUPERVISOR_ROLE)
            return int(session.exec(query).one())

    def available(self) -> bool:
        """Whether a supervisor can be checked here at all (else: "needs a supervisor")."""
        return self._portal is not None or self.cached_supervisors() > 0

    async def check(self, username: str, password: str, *, operator_id: str) -> SupervisorVerdict:
        username = username.strip()
        if not username or not password:
            return SupervisorVerdict(False, _MISSING)
        if self._portal is not None:
            try:
                grant = await self._portal.sign_in(username, password)
            except PortalUnreachableError:
                log.info("supervisor.portal_unreachable", username=username)
            except PortalProblemError as problem:
                if problem.status in (401, 403):
                    return SupervisorVerdict(False, _WRONG)
                return SupervisorVerdict(False, problem.message)
            except PortalError as error:
                return SupervisorVerdict(False, error.message)
            else:
                return self._verdict(grant.operator_id, grant.role, operator_id)
        cached = self._store.cached_operator(lockout_key(username))
        if cached is None or cached.role != SUPERVISOR_ROLE:
            if self.cached_supervisors() == 0:
                return SupervisorVerdict(False, NO_SUPERVISOR)
            return SupervisorVerdict(False, _WRONG if cached is None else _NOT_SUPERVISOR)
        try:
            await asyncio.to_thread(self._hasher.verify, cached.secret_hash, password)
        except (VerificationError, InvalidHashError):
            return SupervisorVerdict(False, _WRONG)
        return self._verdict(cached.operator_id, cached.role, operator_id)

    @staticmethod
    def _verdict(supervisor_id: str, role: str, operator_id: str) -> SupervisorVerdict:
        if role != SUPERVISOR_ROLE:
            return SupervisorVerdict(False, _NOT_SUPERVISOR)
        if supervisor_id == operator_id:
            return SupervisorVerdict(False, _SAME_PERSON)
        log.info("supervisor.approved", supervisor_id=supervisor_id)
        return SupervisorVerdict(
            True, Bilingual("Supervisor confirmed.", "تم التحقق من المشرف."), supervisor_id
        )
