"""Field checks shared by every slice; each records a problem instead of raising, so all are reported."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.errors import ErrorCode, Problems

CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_MONEY = Decimal("9999999999999.99")


def label(field: str) -> str:
    """How a message names a field: "stages[0].expected_days" -> "expected days"."""
    return re.sub(r"\[\d+\]", "", field).rsplit(".", 1)[-1].replace("_", " ")


def text(problems: Problems, field: str, value: Any, *, max_length: int, required: bool = False) -> str | None:
    """Strips the text; blank means absent. A required field may be neither absent nor blank."""
    if value is None:
        if required:
            problems.add(field, f"{label(field)} is required and cannot be empty")
        return None
    cleaned = str(value).strip()
    if not cleaned:
        if required:
            problems.add(field, f"{label(field)} is required and cannot be empty")
        return None
    if len(cleaned) > max_length:
        problems.add(field, f"{label(field)} is at most {max_length} characters long (got {len(cleaned)})")
    return cleaned


def decimal(
    problems: Problems,
    field: str,
    value: Any,
    *,
    places: int = 2,
    minimum: Decimal | None = Decimal("0"),
    maximum: Decimal = MAX_MONEY,
    positive: bool = False,
) -> Decimal | None:
    """An exact decimal with at most `places` decimals: never rounded silently."""
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.add(field, f"{label(field)} must be a number")
        return None
    if not number.is_finite():
        problems.add(field, f"{label(field)} must be a finite number")
        return None
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        problems.add(field, f"{label(field)} has at most {places} decimal places")
        return None
    if positive and number <= 0:
        problems.add(field, f"{label(field)} must be greater than zero")
    elif minimum is not None and number < minimum:
        problems.add(field, f"{label(field)} must be at least {minimum}")
    if number > maximum:
        problems.add(field, f"{label(field)} must be at most {maximum}")
    return number


def integer(problems: Problems, field: str, value: Any, *, minimum: int, maximum: int) -> int | None:
    if value is None:
        return None
    if not minimum <= value <= maximum:
        problems.add(field, f"{label(field)} must be between {minimum} and {maximum}")
    return int(value)


def currency(problems: Problems, field: str, value: Any) -> str | None:
    if value is None:
        return None
    code = str(value).strip().upper()
    if not CURRENCY.match(code):
        problems.add(field, f"{label(field)} must be a three-letter ISO 4217 code such as USD or EUR")
    return code


async def exists(
    session: AsyncSession, problems: Problems, field: str, model: type[Any], object_id: int | None
) -> Any | None:
    """Loads a referenced object; a missing one is a NOT_FOUND problem on that field."""
    if object_id is None:
        return None
    found = await session.get(model, object_id)
    if found is None:
        problems.add(field, f"no {model.__name__.lower()} with this id", ErrorCode.NOT_FOUND)
    return found
