"""Keyset (cursor) pagination over any list of sort keys, exact under ties and NULLs.

The id is always the last key, so every row has a unique position. The cursor carries the sort-key values of
the last row seen and a signature of the sort it belongs to, so a cursor from another sort is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlalchemy.orm import QueryableAttribute

from backend.errors import DomainError

# A column of a mapped class (Lead.value) or any SQL expression (a scalar subquery).
SqlExpression = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY term: `expr` in `descending` order with NULLs first or last; `parse` reads cursor values."""

    name: str
    expr: SqlExpression
    descending: bool = False
    nulls_last: bool = True
    parse: Callable[[Any], Any] = lambda v: v

    def order_clause(self) -> ColumnElement[Any]:
        ordered = self.expr.desc() if self.descending else self.expr.asc()
        return ordered.nulls_last() if self.nulls_last else ordered.nulls_first()

    def _after(self, value: Any) -> ColumnElement[bool]:
        """Rows strictly after `value` in this key's order, NULLs included where they sort later."""
        if value is None:
            return self.expr.is_not(None) if not self.nulls_last else false()
        beyond = self.expr < value if self.descending else self.expr > value
        return or_(beyond, self.expr.is_(None)) if self.nulls_last else beyond

    def _equal(self, value: Any) -> ColumnElement[bool]:
        return self.expr.is_(None) if value is None else self.expr == value


def order_clauses(keys: Sequence[SortKey]) -> list[ColumnElement[Any]]:
    return [k.order_clause() for k in keys]


def after_predicate(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """(k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...: the rows that follow the cursor row."""
    terms: list[ColumnElement[bool]] = []
    equal_so_far: list[ColumnElement[bool]] = []
    for key, value in zip(keys, values, strict=True):
        terms.append(and_(*equal_so_far, key._after(value)) if equal_so_far else key._after(value))
        equal_so_far.append(key._equal(value))
    return or_(*terms) if terms else true()


def _signature(keys: Sequence[SortKey]) -> str:
    spec = ",".join(f"{k.name}:{int(k.descending)}{int(k.nulls_last)}" for k in keys)
    return hashlib.sha1(spec.encode()).hexdigest()[:8]


def _to_json(value: Any) -> Any:
    if isinstance(value, (Decimal, datetime, date)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def encode_cursor(keys: Sequence[SortKey], values: Sequence[Any]) -> str:
    payload = json.dumps([_signature(keys), [_to_json(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(keys: Sequence[SortKey], cursor: str, field: str = "after") -> list[Any]:
    bad = DomainError.bad_input(field, "this cursor is not valid for this list and sort order")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        signature, values = json.loads(raw)
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        raise bad from None
    if signature != _signature(keys) or not isinstance(values, list) or len(values) != len(keys):
        raise bad
    try:
        return [None if v is None else k.parse(v) for k, v in zip(keys, values, strict=True)]
    except (ValueError, TypeError, InvalidOperation):
        raise bad from None


def parse_decimal(v: Any) -> Decimal:
    return Decimal(str(v))


def parse_datetime(v: Any) -> datetime:
    return datetime.fromisoformat(str(v))


def parse_date(v: Any) -> date:
    return date.fromisoformat(str(v))


def parse_int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError("not an integer")
    return v


def parse_str(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("not a string")
    return v


T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of rows with the cursor of each, and whether more follow."""

    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
