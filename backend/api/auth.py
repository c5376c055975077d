"""Permission checks for resolvers: who is asking, may they, and may they see this lead."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.api.context import Info
from backend.auth.models import Permission
from backend.auth.service import Principal, require
from backend.errors import DomainError
from backend.leads.filters import IdCondition, LeadFilter, lead_condition
from backend.leads.models import Lead


def allowed(info: Info, permission: Permission, *, write: bool = True) -> Principal:
    """The principal, if its role has the permission (and, for writes, its token the write scope)."""
    return require(info.context.principal, permission, write=write)


async def ensure_visible(info: Info, session: AsyncSession, lead_id: int, field: str = "id") -> None:
    """A lead one may not see is NOT_FOUND, exactly like one that does not exist."""
    scope = info.context.lead_scope
    if scope is None:
        return
    visible = LeadFilter(and_=(scope,), id=IdCondition(eq=lead_id))
    found = (await session.execute(select(Lead.id).where(lead_condition(visible)))).scalar_one_or_none()
    if found is None:
        raise DomainError.not_found(field, "no lead with this id")


def ensure_assignable(principal: Principal, sales_person_id: int | None, field: str = "sales_person_id") -> None:
    if not principal.may_assign(sales_person_id):
        raise DomainError.forbidden(field, "you may not give a lead to this sales person")
