"""The shape every mutation shares: one transaction, domain errors turned into payload errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.api.context import Info
from backend.api.errors import UserError, user_errors
from backend.errors import DomainError, ErrorCode

T = TypeVar("T")

# PostgreSQL's deadlock and serialization failures: the transaction was rolled back whole and may simply run
# again (two writers crossing on the board's totals rows, e.g. two mass moves at once).
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 3


def is_transient(error: DBAPIError) -> bool:
    orig = error.orig
    return (getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)) in TRANSIENT_SQLSTATES


async def _attempts(info: Info, action: Callable[[AsyncSession], Awaitable[T]]) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with info.context.write() as session:
                return await action(session)
        except DBAPIError as error:
            if not is_transient(error) or attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


async def run_in_transaction(
    info: Info, action: Callable[[AsyncSession], Awaitable[T]], renames: dict[str, str] | None = None
) -> tuple[T | None, list[UserError]]:
    """Runs `action` in a transaction of its own; on a domain error nothing is written and the errors are
    returned for the payload. A deadlock or serialization failure runs it again, at most three times."""
    try:
        result = await _attempts(info, action)
    except DomainError as error:
        return None, user_errors(error.errors, renames)
    except IntegrityError:
        # A uniqueness rule the checks before the write did not see (case folding differs between the database
        # and Python, or a concurrent writer got there first): nothing was written.
        return None, [UserError(field=None, code=ErrorCode.UNIQUE, message="a record with these values exists already")]
    except DBAPIError as error:
        if not is_transient(error):
            raise
        return None, [UserError(field=None, code=ErrorCode.CONFLICT, message="other writes got in the way: try again")]
    return result, []


def given(source: object, *names: str) -> dict[str, Any]:
    """The fields of an input object the client actually sent (left-out ones are UNSET; null is None)."""
    sent = {name: getattr(source, name, strawberry.UNSET) for name in names}
    return {name: value for name, value in sent.items() if value is not strawberry.UNSET}
