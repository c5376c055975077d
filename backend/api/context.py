"""The per-request GraphQL context: database access, DataLoaders, settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.api.loaders import Loaders
from backend.auth.service import Principal
from backend.db import write_transaction
from backend.leads import saved_filters
from backend.leads.filters import IdCondition, LeadFilter
from backend.settings import Settings


@dataclass
class Context:
    """Sibling resolvers run concurrently and an AsyncSession must not be shared between them, so reads go
    through one session guarded by a lock (DataLoaders batch them anyway), and every mutation gets a
    transaction of its own."""

    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    request: Any = None
    response: Any = None
    # Who is asking; the app refuses anonymous GraphQL requests before a context is made.
    principal: Principal | None = None
    _session: AsyncSession | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = self._loaders()

    def _loaders(self) -> Loaders:
        saved = saved_filters.visible(self.principal) if self.principal else None
        return Loaders(self.read, self.lead_scope, saved)

    @property
    def lead_scope(self) -> LeadFilter | None:
        """The leads this principal may see, as a filter that every lead query is ANDed with."""
        return self.principal.lead_scope() if self.principal else LeadFilter(id=IdCondition(in_=()))

    def scoped(self, flt: LeadFilter | None) -> LeadFilter | None:
        scope = self.lead_scope
        if scope is None:
            return flt
        return scope if flt is None else LeadFilter(and_=(scope, flt))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            if self._session is None:
                self._session = self.session_factory()
            yield self._session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One mutation, one transaction. What was read before it is stale afterwards: start afresh."""
        await self.close()
        try:
            async with write_transaction(self.session_factory) as session:
                yield session
        finally:
            self.loaders = self._loaders()

    async def close(self) -> None:
        async with self._lock:
            if self._session is not None:
                await self._session.close()
                self._session = None


Info = strawberry.Info[Context, None]
