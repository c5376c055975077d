"""Input objects to JSON as the API spells them, and back: how a saved filter keeps a LeadFilter."""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

_CAMEL = re.compile(r"_([a-z0-9])")


def _graphql_name(field: Any) -> str:
    return field.graphql_name or _CAMEL.sub(lambda m: m.group(1).upper(), field.python_name.rstrip("_"))


def to_api_json(value: Any) -> Any:
    """{"salesPerson": {"eq": "VXNlcjox"}, "status": {"in": ["OPEN"]}}: camelCase names, enum names, strings."""
    definition = getattr(type(value), "__strawberry_definition__", None)
    if definition is not None and dataclasses.is_dataclass(value):
        out = {}
        for field in definition.fields:
            item = getattr(value, field.python_name)
            if item is not None and item is not strawberry.UNSET:
                out[_graphql_name(field)] = to_api_json(item)
        return out
    if isinstance(value, list | tuple):
        return [to_api_json(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Decimal | date | datetime):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def _decode(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _decode(inner[0], value)
    if origin is list:
        return [_decode(typing.get_args(annotation)[0], v) for v in value]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation[value]
    if hasattr(annotation, "__strawberry_definition__"):
        return from_api_json(annotation, value)
    if annotation is Decimal:
        return Decimal(str(value))
    if annotation is datetime:
        return datetime.fromisoformat(value)
    if annotation is date:
        return date.fromisoformat(value)
    return value


def from_api_json(input_class: type[Any], data: dict[str, Any]) -> Any:
    """The input object that `data` (as to_api_json wrote it) describes; unknown names are a ValueError."""
    hints = typing.get_type_hints(input_class)
    names = {_graphql_name(f): f.python_name for f in input_class.__strawberry_definition__.fields}
    unknown = set(data) - set(names)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    return input_class(**{names[k]: _decode(hints[names[k]], v) for k, v in data.items()})
