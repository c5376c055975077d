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
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from graphql.pyutils.gather_with_cancel import gather_with_cancel
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
    graphql_field: GraphQLField


@dataclass(frozen=True, slots=True)
class PlainObject:
    """A field without resolver holding an object or a list of them (edges, node, pageInfo)."""

    attribute: str
    graphql_field: GraphQLField


FastField = PlainLeaf | PlainObject | DirectResolver


def fast_field(field: GraphQLField) -> FastField | None:
    """How a field can skip the generic path, if it can."""
    definition = (field.extensions or {}).get(DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions or field.args:
        return None
    resolver = definition.base_resolver
    if resolver is None:
        type_ = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if definition.default_resolver is not getattr:
            return None
        if isinstance(type_, GraphQLObjectType | GraphQLList):
            return PlainObject(definition.python_name, field)
        if not is_leaf_type(type_):
            return None
        leaf: GraphQLLeafType = type_  # type: ignore[assignment]
        return PlainLeaf(definition.python_name, leaf.coerce_output_value, isinstance(field.type, GraphQLNonNull))
    if resolver.arguments or resolver.root_parameter or resolver.parent_parameter or resolver.self_parameter is None:
        return None
    function, info = resolver.wrapped_func, resolver.info_parameter
    if isinstance(function, (staticmethod, classmethod)):
        return None
    return DirectResolver(function, info.name if info else None, definition, field)


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


class LazyResolveInfo:
    """The resolve info of a direct resolver, built on first use of anything but `context`: the argument-free
    resolvers of this schema mostly read only `info.context`, and building the info costs more than they do."""

    def __init__(
        self,
        executor: StrawberryGraphQLCoreExecutionContext,
        field: GraphQLField,
        field_details_list: FieldDetailsList,
        parent_type: GraphQLObjectType,
        path: Path,
    ) -> None:
        self.context = executor.context_value
        self._made: tuple[Any, ...] = (executor, field, field_details_list, parent_type, path)
        self._real: Any = None

    @property
    def real(self) -> Any:
        if self._real is None:
            executor, field, details, parent_type, path = self._made
            self._real = executor.build_resolve_info(field, [d.node for d in details], parent_type, path)
        return self._real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with the short path above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Field middleware (a Strawberry extension with a `resolve` hook) must see every field.
        middleware = self.middleware_manager.middlewares if self.middleware_manager else ()
        self.fast_fields = {} if middleware else _fast_fields_of(self.schema)
        self.plans: dict[int, tuple[GroupedFieldSet, list[tuple[str, FastField | None, FieldDetailsList]] | None]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        """graphql-core's execute_fields, with plain leaves read in line (no Path, no info, no completion)."""
        plan = self._plan(parent_type, grouped_field_set) if position_context is None else None
        if plan is None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for response_name, fast, field_details_list in plan:
                if isinstance(fast, PlainLeaf):
                    value = getattr(source_value, fast.attribute, None)
                    if value is None:
                        if not fast.non_null:
                            results[response_name] = None
                            continue
                    else:
                        try:
                            coerced = fast.coerce(value)
                        except Exception:  # the generic path below reports it, located
                            coerced = None
                        if coerced is not None and coerced is not Undefined:
                            results[response_name] = coerced
                            continue
                field_path = Path(path, response_name, parent_type.name)
                if isinstance(fast, PlainObject | DirectResolver):
                    result = self._execute_fast(fast, parent_type, source_value, field_details_list, field_path)
                else:
                    result = self.execute_field(parent_type, source_value, field_details_list, field_path, None)
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:  # a non-null field failed: settle its siblings, as graphql-core does
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gather_fields(results, awaitable_fields)

    async def _gather_fields(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        if len(awaitable_fields) == 1:
            results[awaitable_fields[0]] = await results[awaitable_fields[0]]
        else:
            awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def _plan(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> list[tuple[str, FastField | None, FieldDetailsList]] | None:
        """Per selection set (graphql-core collects each once per request): how each field resolves."""
        key = id(grouped_field_set)
        cached = self.plans.get(key)
        if cached is not None:
            return cached[1]
        fields = self.fast_fields.get(parent_type)
        plan = (
            [(name, fields.get(details[0].node.name.value), details) for name, details in grouped_field_set.items()]
            if fields
            else None
        )
        self.plans[key] = (grouped_field_set, plan)  # the set is kept alive so that its id is not reused
        return plan

    def _execute_fast(
        self,
        fast: PlainObject | DirectResolver,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        """Resolves a plain object field or a direct resolver and completes it; errors are located and nulled
        (or propagated, for a non-null field) as graphql-core's are."""
        return_type = fast.graphql_field.type
        info = LazyResolveInfo(self, fast.graphql_field, field_details_list, parent_type, path)
        try:
            if isinstance(fast, PlainObject):
                result = getattr(source, fast.attribute)
            elif fast.info_parameter is None:
                result = fast.function(source)
            else:
                result = fast.function(source, **{fast.info_parameter: Info(_raw_info=info, _field=fast.field)})  # type: ignore[arg-type]
            if self.is_awaitable(result):
                return self.complete_awaitable_value(return_type, field_details_list, info.real, path, result, None)
            completed = self._complete(return_type, field_details_list, info, path, result)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    def _complete(
        self,
        return_type: Any,
        field_details_list: FieldDetailsList,
        info: Any,
        path: Path,
        result: Any,
    ) -> Any:
        """complete_value, taking a shortcut for an object or a list of non-null objects (Strawberry's
        is_type_of does not read the info, so the lazy one is not built for it)."""
        type_ = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if result is not None and not isinstance(result, Exception):
            if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
                coerced = type_.coerce_output_value(result)
                if coerced is not None and coerced is not Undefined:
                    return coerced
            elif isinstance(type_, GraphQLObjectType) and (type_.is_type_of is None or type_.is_type_of(result, info)):
                return self._complete_object(type_, field_details_list, path, result)
            item = type_.of_type if isinstance(type_, GraphQLList) else None
            objects = item.of_type if isinstance(item, GraphQLNonNull) else None
            if (
                isinstance(objects, GraphQLObjectType)
                and isinstance(result, list)
                and all(v is not None and (objects.is_type_of is None or objects.is_type_of(v, info)) for v in result)
            ):
                return self._complete_objects(objects, field_details_list, path, result)
        if isinstance(info, LazyResolveInfo):
            info = info.real
        return self.complete_value(return_type, field_details_list, info, path, result, None)

    def _complete_object(
        self, type_: GraphQLObjectType, field_details_list: FieldDetailsList, path: Path, result: Any
    ) -> Any:
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(type_, field_details_list)
        if new_defer_usages:
            return self.collect_and_execute_subfields(type_, field_details_list, path, result, None)
        return self.execute_fields(type_, result, path, grouped_field_set, None)

    def _complete_objects(
        self, type_: GraphQLObjectType, field_details_list: FieldDetailsList, path: Path, values: list[Any]
    ) -> Any:
        # Errors propagate as graphql-core's do for non-null items: they null the whole list.
        completed: list[Any] = []
        try:
            for index, value in enumerate(values):
                completed.append(self._complete_object(type_, field_details_list, Path(path, index, None), value))
        except Exception:  # an item failed at once: settle the earlier items' pending work, as graphql-core does
            pending = [c for c in completed if self.is_awaitable(c)]
            if pending:
                self.settle_in_background(pending)
            raise
        if not any(self.is_awaitable(c) for c in completed):
            return completed

        async def gathered() -> list[Any]:
            return list(await gather_with_cancel(*(_awaitable(self, c) for c in completed)))

        return gathered()

    async def _await_completed(
        self, completed: Any, return_type: Any, field_details_list: FieldDetailsList, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None


async def _awaitable(context: FastExecutionContext, value: Any) -> Any:
    return await value if context.is_awaitable(value) else value
