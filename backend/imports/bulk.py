"""INSERTs of many rows at the driver's speed, with SQLAlchemy's own SQL and value conversions.

A Core executemany builds a parameter dict per row and converts every value through its column's type (a
timestamp to text, money to cents, an enum to its name, JSON to a string): for an import, where a lead brings
three rows of up to twenty values, that was a larger cost than SQLite's own. The values an import writes
repeat (one timestamp per batch, a few hundred dates, a handful of prices, stages and ids), so here each
column's converter, the very one Core would call, is memoized, and the rows go to the driver as tuples. What
lands in the database is what a Core insert of the same rows writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

MEMO_LIMIT = 50_000  # distinct values per column kept converted; past it the memo starts over (memory stays flat)
# SQLite: rows per INSERT statement, largest first. executemany makes every row a statement of its own, and a
# statement that fires a trigger (leads: lead_stage_totals) first copies each page it changes to a statement
# journal: some fifteen pages, 60 µs a lead. A few fixed sizes keep the driver's cache of prepared statements small.
SQLITE_STATEMENT_ROWS = (1000, 100, 10, 1)


class _Memoized:
    """One column's bind converter, remembering its result per distinct value."""

    __slots__ = ("_convert", "_memo")

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self._convert = convert
        self._memo: dict[Any, Any] = {}

    def column(self, values: list[Any]) -> list[Any]:
        """The converted values of one column of a batch: dict lookups, except for the values new to it."""
        memo = self._memo
        try:
            return [memo[value] for value in values]
        except KeyError:
            pass
        except TypeError:  # unhashable: JSON documents, different in every row anyway
            return [self._convert(value) for value in values]
        if len(memo) + len(values) > MEMO_LIMIT:
            memo.clear()
        for value in values:
            if value not in memo:
                memo[value] = self._convert(value)
        return [memo[value] for value in values]


class BulkInsert:
    """INSERT INTO table (columns) for a list of row dicts; `same` holds the values every row shares.

    A column outside `columns` that has a Python-side default (leads.win_loss_factors, say) is in the compiled
    statement as Core would have it; its default is evaluated once per execution.
    """

    def __init__(self, table: Table, columns: Sequence[str], dialect: Dialect) -> None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
        self.sql = str(compiled)
        self._table = table
        self._given = set(columns)
        self._positional = compiled.positional
        self._names = list(compiled.positiontup or []) if compiled.positional else list(compiled.binds)
        self._many_rows = self._statements_by_rows(dialect) if dialect.name == "sqlite" else {}
        self._converters: dict[str, _Memoized | None] = {}
        for name in self._names:
            default = table.c[name].default
            if name not in self._given and not (default is not None and (default.is_scalar or default.is_callable)):
                raise ValueError(f"{table.name}.{name}: not given, and no Python default to fill it in")
            convert = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            self._converters[name] = _Memoized(convert) if convert is not None else None

    async def execute(
        self, conn: AsyncConnection, rows: list[dict[str, Any]], same: dict[str, Any] | None = None
    ) -> None:
        if not rows:
            return
        same = same or {}
        # Column by column: a conversion is then a lookup in a list comprehension, and zip makes the tuples.
        columns: list[list[Any]] = []
        for name, convert in self._converters.items():
            if name in same or name not in self._given:
                value = same[name] if name in same else self._default(name)
                columns.append([convert.column([value])[0] if convert else value] * len(rows))
            else:
                values = [row[name] for row in rows]
                columns.append(convert.column(values) if convert else values)
        values = list(zip(*columns, strict=True))
        if self._many_rows:
            await self._execute_in_statements(conn, values)
        elif self._positional:
            await conn.exec_driver_sql(self.sql, values)
        else:
            await conn.exec_driver_sql(self.sql, [dict(zip(self._names, v, strict=True)) for v in values])

    def _statements_by_rows(self, dialect: Dialect) -> dict[int, str]:
        """INSERT ... VALUES (?, ...), (?, ...) for each statement size, within the dialect's parameter limit."""
        head, values_keyword, row = self.sql.partition(" VALUES ")
        if not values_keyword or dialect.paramstyle != "qmark" or not (row.startswith("(") and row.endswith(")")):
            return {}
        most = dialect.insertmanyvalues_max_parameters // len(self._names)
        sizes = {max(1, min(rows, most)) for rows in SQLITE_STATEMENT_ROWS}
        return {rows: f"{head} VALUES {', '.join([row] * rows)}" for rows in sorted(sizes, reverse=True)}

    async def _execute_in_statements(self, conn: AsyncConnection, values: list[tuple[Any, ...]]) -> None:
        start = 0
        for rows, sql in self._many_rows.items():
            while len(values) - start >= rows:
                await conn.exec_driver_sql(sql, tuple(chain.from_iterable(values[start : start + rows])))
                start += rows

    def _default(self, name: str) -> Any:
        default: Any = self._table.c[name].default
        return default.arg(None) if default.is_callable else default.arg
