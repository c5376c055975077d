"""Connections over simple named objects, shared by every slice's list queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_

from backend.api.context import Info
from backend.api.relay import Connection, build_edges, page_info, page_size
from backend.listing import count, named_page, search_condition

T = TypeVar("T")


async def named_connection(
    info: Info,
    model: type[Any],
    wrap: Callable[[Any], T],
    search: str | None,
    first: int | None,
    after: str | None,
    columns: tuple[str, ...] = ("name",),
    extra: ColumnElement[bool] | None = None,
) -> Connection[T]:
    """Objects sorted by name, with a case-insensitive text search over `columns` (and an extra condition)."""
    settings = info.context.settings
    size = page_size(first, settings.default_page_size, settings.max_page_size)
    condition = search_condition(model, search, columns)
    if extra is not None:
        condition = and_(condition, extra)
    async with info.context.read() as session:
        page = await named_page(session, model, condition, size, after)

    async def total() -> int:
        async with info.context.read() as session:
            return await count(session, model, condition)

    return Connection(edges=build_edges(page, wrap), page_info=page_info(page), count=total)
