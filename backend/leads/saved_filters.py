"""Saved filters: named filters and sorts, private or shared with a team, a role or everyone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend import validation
from backend.auth.models import Role, Team
from backend.auth.service import Principal
from backend.errors import DomainError, ErrorCode, Problems
from backend.leads.models import SavedFilter, SavedFilterScope, SavedFilterView


def visible(principal: Principal) -> ColumnElement[bool]:
    """Built-ins, one's own, and those shared with everyone, one's teams or one's role; never others' private."""
    shared = [
        SavedFilter.scope == SavedFilterScope.EVERYONE,
        and_(SavedFilter.scope == SavedFilterScope.TEAM, SavedFilter.team_id.in_(principal.team_ids)),
    ]
    if principal.role_id is not None:
        shared.append(and_(SavedFilter.scope == SavedFilterScope.ROLE, SavedFilter.role_id == principal.role_id))
    return or_(SavedFilter.is_builtin, SavedFilter.owner_id == principal.user_id, *shared)


async def list_saved_filters(
    session: AsyncSession, principal: Principal, view: SavedFilterView | None = None
) -> list[SavedFilter]:
    stmt = select(SavedFilter).where(visible(principal))
    if view is not None:
        stmt = stmt.where(SavedFilter.view == view)
    stmt = stmt.order_by(SavedFilter.is_builtin.desc(), SavedFilter.name, SavedFilter.id)
    return list((await session.execute(stmt)).scalars())


async def get_visible(session: AsyncSession, principal: Principal, filter_id: int, field: str = "id") -> SavedFilter:
    stmt = select(SavedFilter).where(SavedFilter.id == filter_id, visible(principal))
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is None:
        raise DomainError.not_found(field, "no saved filter with this id")
    return found


async def _clean(
    session: AsyncSession, principal: Principal, fields: Mapping[str, Any], creating: bool
) -> dict[str, Any]:
    problems = Problems()
    clean: dict[str, Any] = {}
    if creating or "name" in fields:
        clean["name"] = validation.text(problems, "name", fields.get("name"), max_length=120, required=True)
    for name in ("filter", "sort", "view", "scope", "team_id", "role_id"):
        if name in fields:
            clean[name] = fields[name]
    scope = clean.get("scope")
    if scope == SavedFilterScope.TEAM:
        team_id = clean.get("team_id")
        if team_id is None or await session.get(Team, team_id) is None:
            problems.add("team_id", "a filter shared with a team needs the team", ErrorCode.NOT_FOUND)
        elif team_id not in principal.team_ids and principal.visible_owner_ids is not None:
            problems.add("team_id", "you can share with your own teams only", ErrorCode.FORBIDDEN)
    if scope == SavedFilterScope.ROLE:
        role_id = clean.get("role_id")
        if role_id is None or await session.get(Role, role_id) is None:
            problems.add("role_id", "a filter shared with a role needs the role", ErrorCode.NOT_FOUND)
    if scope is not None and scope != SavedFilterScope.TEAM:
        clean["team_id"] = None
    if scope is not None and scope != SavedFilterScope.ROLE:
        clean["role_id"] = None
    problems.raise_if_any()
    return clean


async def create_saved_filter(session: AsyncSession, principal: Principal, fields: Mapping[str, Any]) -> SavedFilter:
    fields = {"scope": SavedFilterScope.PRIVATE, "view": SavedFilterView.LIST, "filter": {}, "sort": [], **fields}
    saved = SavedFilter(owner_id=principal.user_id, is_builtin=False, **await _clean(session, principal, fields, True))
    session.add(saved)
    await session.flush()
    return saved


async def _own(session: AsyncSession, principal: Principal, filter_id: int) -> SavedFilter:
    saved = await get_visible(session, principal, filter_id)
    if saved.owner_id != principal.user_id:
        raise DomainError.forbidden("id", "only its owner changes a saved filter (built-ins change with the product)")
    return saved


async def update_saved_filter(
    session: AsyncSession, principal: Principal, filter_id: int, fields: Mapping[str, Any]
) -> SavedFilter:
    saved = await _own(session, principal, filter_id)
    scope = fields.get("scope", saved.scope)
    merged = {"scope": scope, "team_id": saved.team_id, "role_id": saved.role_id, **fields}
    for name, value in (await _clean(session, principal, merged, False)).items():
        setattr(saved, name, value)
    await session.flush()
    return saved


async def delete_saved_filter(session: AsyncSession, principal: Principal, filter_id: int) -> None:
    await session.delete(await _own(session, principal, filter_id))
    await session.flush()
