"""A mutation whose transaction PostgreSQL aborts for a deadlock or a serialization failure runs again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

from sqlalchemy.exc import DBAPIError

from backend.api.mutations import run_in_transaction
from backend.errors import ErrorCode


class PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


class Transactions:
    def __init__(self) -> None:
        self.begun = 0

    @asynccontextmanager
    async def write(self) -> AsyncIterator[str]:
        self.begun += 1
        yield f"session {self.begun}"


def _failing(times: int, sqlstate: str) -> Any:
    calls: list[str] = []

    async def action(session: str) -> str:
        calls.append(session)
        if len(calls) <= times:
            raise DBAPIError("UPDATE lead_stage_totals ...", None, PgError(sqlstate))
        return f"done in {session}"

    return action, calls


async def test_a_deadlock_runs_the_mutation_again_in_a_fresh_transaction() -> None:
    # Given a write that deadlocks once
    context = Transactions()
    action, calls = _failing(1, "40P01")

    # When it runs as a mutation
    result, errors = await run_in_transaction(SimpleNamespace(context=context), action)  # type: ignore[arg-type]

    # Then the second transaction applies it
    assert (result, errors) == ("done in session 2", [])
    assert calls == ["session 1", "session 2"]


async def test_three_transient_failures_in_a_row_are_a_conflict_not_a_server_error() -> None:
    context = Transactions()
    action, calls = _failing(3, "40001")

    result, errors = await run_in_transaction(SimpleNamespace(context=context), action)  # type: ignore[arg-type]

    assert result is None
    assert [(e.field, e.code) for e in errors] == [(None, ErrorCode.CONFLICT)]
    assert len(calls) == 3


async def test_other_database_errors_are_not_retried() -> None:
    context = Transactions()
    action, calls = _failing(1, "42P01")  # undefined table: a bug, not contention

    try:
        await run_in_transaction(SimpleNamespace(context=context), action)  # type: ignore[arg-type]
    except DBAPIError:
        pass
    else:
        raise AssertionError("expected the error to propagate")
    assert len(calls) == 1
