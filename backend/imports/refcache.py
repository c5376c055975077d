"""Reference rows (users, organizations, persons, products, tags, sources) by natural key, for one import."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

T = TypeVar("T")
IN_CHUNK = 500  # keeps IN (...) lists far below every backend's parameter limit


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class RefCache:
    """Ids of one kind of reference row by natural key; inserts what is missing, fills in what changed.

    An empty cell never clears a reference row's attribute: organizations, products and users are shared with
    the rest of the CRM (and with other imports), so the file adds and corrects, it does not blank.
    """

    table: Table
    key: str
    dry_run: bool
    compare: bool = True
    ids: dict[str, int] = field(default_factory=dict)
    known: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    _next_fake_id: int = -1

    async def resolve(self, conn: AsyncConnection, rows: dict[str, dict[str, Any]]) -> dict[str, int]:
        """rows: natural key -> wanted columns (the key column included). Returns the ids of all of them."""
        await self._load(conn, [k for k in rows if k not in self.ids], rows)
        new = [rows[k] for k in rows if k not in self.ids]
        changed = [(k, _filled(rows[k])) for k in rows if k in self.ids and self._differs(k, rows[k])]
        if new:
            await self._insert(conn, new)
        if changed:
            await self._update(conn, changed)
        return {k: self.ids[k] for k in rows}

    def _differs(self, key: str, wanted: dict[str, Any]) -> bool:
        if not self.compare:
            return False
        have = self.known.get(key, {})
        return any(have.get(name) != value for name, value in _filled(wanted).items())

    async def _load(self, conn: AsyncConnection, keys: list[str], rows: dict[str, dict[str, Any]]) -> None:
        if not keys:
            return
        names = sorted({name for k in keys for name in rows[k]} - {self.key})
        columns = [self.table.c[self.key], self.table.c.id, *(self.table.c[n] for n in names)]
        for part in chunks(keys):
            result = await conn.execute(select(*columns).where(self.table.c[self.key].in_(part)))
            for row in result.mappings():
                self.ids[row[self.key]] = row["id"]
                self.known[row[self.key]] = {n: row[n] for n in names} | {self.key: row[self.key]}

    async def _insert(self, conn: AsyncConnection, new: list[dict[str, Any]]) -> None:
        self.created += len(new)
        keys = [row[self.key] for row in new]
        if self.dry_run:
            for key in keys:
                self.ids[key], self._next_fake_id = self._next_fake_id, self._next_fake_id - 1
        else:
            await conn.execute(insert(self.table), new)
            await self._load(conn, keys, {row[self.key]: row for row in new})
        self.known.update({row[self.key]: dict(row) for row in new})

    async def _update(self, conn: AsyncConnection, changed: list[tuple[str, dict[str, Any]]]) -> None:
        self.updated += len(changed)
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for key, values in changed:
            self.known[key] = {**self.known.get(key, {}), **values}
            params = {"b_id": self.ids[key], **{n: v for n, v in values.items() if n != self.key}}
            by_columns.setdefault(tuple(sorted(params)), []).append(params)
        if self.dry_run:
            return
        for same_columns in by_columns.values():  # executemany needs the same columns in every parameter set
            await conn.execute(update(self.table).where(self.table.c.id == bindparam("b_id")), same_columns)


def _filled(columns: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in columns.items() if value is not None and value != []}
