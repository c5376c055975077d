"""Helpers for storing Python enums as portable strings."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Enum


def str_enum(enum_class: type[enum.Enum], length: int = 32) -> Enum:
    """A VARCHAR column holding the enum's value (not its name), identical on SQLite and PostgreSQL."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


def values(enum_class: type[enum.Enum]) -> list[Any]:
    return [m.value for m in enum_class]
