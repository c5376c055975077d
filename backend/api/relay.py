"""Relay building blocks: the Node interface, global ids, connections with keyset cursors."""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from backend.errors import DomainError
from backend.pagination import Page

T = TypeVar("T")
S = TypeVar("S")


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


@functools.lru_cache(maxsize=65_536)  # a board names the same users, tags and stages on many cards
def to_global_id(type_name: str, object_id: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{object_id}".encode()).decode().rstrip("="))


def parse_global_id(global_id: str) -> tuple[str, int] | None:
    """(type name, database id), or None when the string is no global id of ours."""
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, object_id = raw.partition(":")
        number = int(object_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not type_name.isidentifier() or number < 1 or str(number) != object_id:
        return None
    return type_name, number


def decode_id(global_id: str, type_name: str, field: str = "id") -> int:
    """The database id behind a global id of the expected type, else a BAD_USER_INPUT error naming the field."""
    parsed = parse_global_id(global_id)
    if parsed is None or parsed[0] != type_name:
        raise DomainError.bad_input(field, f"{field}: {global_id!r} is not the id of a {type_name}")
    return parsed[1]


def page_size(first: int | None, default: int, maximum: int, field: str = "first") -> int:
    if first is None:
        return default
    if first < 0 or first > maximum:
        raise DomainError.bad_input(field, f"{field} must be between 0 and {maximum}")
    return first


@strawberry.type(description="Where a page stands in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def page_info(page: Page[Any]) -> PageInfo:
    return PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    """A keyset-paginated list; `totalCount` costs one COUNT and runs only when asked for."""

    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many objects match, over all pages.")
    async def total_count(self) -> int:
        return await self.count()


def build_edges(page: Page[S], wrap: Callable[[S], T]) -> list[Edge[T]]:
    return [Edge(node=wrap(item), cursor=cursor) for item, cursor in zip(page.items, page.cursors, strict=True)]


def decode_ids(global_ids: list[strawberry.ID] | None, type_name: str, field: str) -> tuple[int, ...] | None:
    if global_ids is None:
        return None
    return tuple(decode_id(g, type_name, f"{field}[{i}]") for i, g in enumerate(global_ids))


def selected_node_fields(info: Any) -> set[str]:
    """The fields a connection's query selects on its nodes (`edges { node { … } }`), fragments included."""
    names: set[str] = set()
    for connection in info.selected_fields:
        for edges in _fields(connection.selections):
            for node in _fields(edges.selections) if edges.name == "edges" else ():
                if node.name == "node":
                    names.update(f.name for f in _fields(node.selections))
    return names


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:  # a fragment spread or an inline fragment
            yield from _fields(selection.selections)
