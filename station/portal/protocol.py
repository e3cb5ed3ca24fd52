"""The `Portal` the core and the UI depend on; `PortalClient` is the HTTPS implementation."""

from __future__ import annotations

from typing import Protocol

from station.portal.models import IdentityQuery, IdentityRecord, OperatorGrant, PortalHealth


class Portal(Protocol):
    """Every call raises `PortalError` (unreachable, a problem answer, or an invalid answer)."""

    async def health(self) -> PortalHealth: ...

    async def sign_in(self, username: str, password: str) -> OperatorGrant: ...

    async def lookup(self, token: str, query: IdentityQuery) -> IdentityRecord: ...

    async def aclose(self) -> None: ...
