"""graphql-core execution with a short path for the fields that make up most of a response.

A board of 140 cards resolves ~3,500 fields. Through Strawberry's resolver wrapper and graphql-core's generic
completion each costs 10-30 µs (an info object, argument parsing, extension chaining, awaitable checks), which
is most of the request. Two kinds of field need none of that and take the short path:

- plain leaves: a Strawberry field without resolver or extensions whose type is a scalar or an enum. The value
  is the attribute, coerced by the type as graphql-core would (`coerce_output_value`);
- direct resolvers: a resolver taking only `self` and/or `info` (no GraphQL arguments, no extensions). It is
  called without Strawberry's argument machinery; graphql-core completes its result as usual.

Anything unusual (a null or an error where the type forbids it, a coercion that fails, a schema with field
middleware) goes through the ordinary path, which raises and locates the error exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info

DEFINITION = "strawberry-definition"


@dataclass(frozen=True, slots=True)
class PlainLeaf:
    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool


@dataclass(frozen=True, slots=True)
class DirectResolver:
    function: Callable[..., Any]
    info_parameter: str | None
    field: StrawberryField


FastField = PlainLeaf | DirectResolver


def fast_field(field: GraphQLField) -> FastField | None:
    """How a field can skip the generic path, if it can."""
    definition = (field.extensions or {}).get(DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions or field.args:
        return None
    resolver = definition.base_resolver
    if resolver is None:
        type_ = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if not is_leaf_type(type_) or definition.default_resolver is not getattr:
            return None
        leaf: GraphQLLeafType = type_  # type: ignore[assignment]
        return PlainLeaf(definition.python_name, leaf.coerce_output_value, isinstance(field.type, GraphQLNonNull))
    if resolver.arguments or resolver.root_parameter or resolver.parent_parameter or resolver.self_parameter is None:
        return None
    function, info = resolver.wrapped_func, resolver.info_parameter
    if isinstance(function, (staticmethod, classmethod)):
        return None
    return DirectResolver(function, info.name if info else None, definition)


def fast_fields(schema: GraphQLSchema) -> dict[GraphQLObjectType, dict[str, FastField]]:
    found: dict[GraphQLObjectType, dict[str, FastField]] = {}
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__"):
            fields = {name: fast for name, field in type_.fields.items() if (fast := fast_field(field)) is not None}
            if fields:
                found[type_] = fields
    return found


_FAST: dict[int, dict[GraphQLObjectType, dict[str, FastField]]] = {}


def _fast_fields_of(schema: GraphQLSchema) -> dict[GraphQLObjectType, dict[str, FastField]]:
    found = _FAST.get(id(schema))
    if found is None:
        found = _FAST[id(schema)] = fast_fields(schema)
    return found


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with the short path above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Field middleware (a Strawberry extension with a `resolve` hook) must see every field.
        middleware = self.middleware_manager.middlewares if self.middleware_manager else ()
        self.fast_fields = {} if middleware else _fast_fields_of(self.schema)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        fields = self.fast_fields.get(parent_type)
        fast = fields.get(field_details_list[0].node.name.value) if fields else None
        if isinstance(fast, PlainLeaf):
            value = getattr(source, fast.attribute, None)
            if value is None:
                if not fast.non_null:
                    return None
            else:
                try:
                    coerced = fast.coerce(value)
                except Exception:  # the generic path reports it, located
                    coerced = None
                if coerced is not None and coerced is not Undefined:
                    return coerced
        elif isinstance(fast, DirectResolver):
            return self._execute_direct(fast, parent_type, source, field_details_list, path, position_context)
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _execute_direct(
        self,
        fast: DirectResolver,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        field_def = parent_type.fields[field_details_list[0].node.name.value]
        nodes = [details.node for details in field_details_list]
        info = self.build_resolve_info(field_def, nodes, parent_type, path)
        return_type = field_def.type
        try:
            if fast.info_parameter is None:
                result = fast.function(source)
            else:
                result = fast.function(source, **{fast.info_parameter: Info(_raw_info=info, _field=fast.field)})
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    return_type, field_details_list, info, path, result, position_context
                )
            completed = self.complete_value(return_type, field_details_list, info, path, result, position_context)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    async def _await_completed(
        self, completed: Any, return_type: Any, field_details_list: FieldDetailsList, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
