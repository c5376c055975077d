"""Keyset pages of simple named objects (persons, organizations, products, users, reference data)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ColumnElement, String, cast, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from backend.pagination import (
    Page,
    SortKey,
    after_predicate,
    decode_cursor,
    encode_cursor,
    order_clauses,
    parse_int,
    parse_str,
)


def _keys(model: Any, order_column: str) -> list[SortKey]:
    return [
        SortKey(order_column, getattr(model, order_column), parse=parse_str),
        SortKey("id", model.id, parse=parse_int),
    ]


def search_condition(model: Any, search: str | None, columns: tuple[str, ...]) -> ColumnElement[bool]:
    if search is None or not search.strip():
        return true()
    term = search.strip()
    return or_(*(_as_text(getattr(model, c)).icontains(term, autoescape=True) for c in columns))


def _as_text(column: Any) -> Any:
    """JSON columns (labelled emails and phones) are searched in their text form."""
    return cast(column, String) if isinstance(column.type, JSON) else column


async def named_page(
    session: AsyncSession,
    model: Any,
    condition: ColumnElement[bool],
    first: int,
    after: str | None,
    order_column: str = "name",
) -> Page[Any]:
    keys = _keys(model, order_column)
    stmt = select(model, *(k.expr for k in keys)).where(condition)
    if after is not None:
        stmt = stmt.where(after_predicate(keys, decode_cursor(keys, after)))
    rows = (await session.execute(stmt.order_by(*order_clauses(keys)).limit(first + 1))).all()
    return Page(
        items=[r[0] for r in rows[:first]],
        cursors=[encode_cursor(keys, list(r[1:])) for r in rows[:first]],
        has_next_page=len(rows) > first,
        has_previous_page=after is not None,
    )


async def count(session: AsyncSession, model: Any, condition: ColumnElement[bool]) -> int:
    return int((await session.execute(select(func.count()).select_from(model).where(condition))).scalar_one())
