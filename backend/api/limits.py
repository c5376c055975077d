"""Limits every request runs into: depth, aliases, tokens, one operation, and a cost computed from page sizes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.language import DocumentNode
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.types import ExecutionResult

from backend.settings import Settings

TOO_COMPLEX = "QUERY_TOO_COMPLEX"


class OneOperation(ASTValidationRule):
    """One operation per request: a document of several cannot smuggle work past the per-request limits."""

    def enter_document(self, node: DocumentNode, *_args: Any) -> None:
        operations = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) > 1:
            self.report_error(
                GraphQLError("Send one operation per request.", operations[1], extensions={"code": TOO_COMPLEX})
            )


def _first(field: FieldNode, variables: dict[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        if isinstance(argument.value, IntValueNode):
            return int(argument.value.value)
        if isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
            return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None


def _cost(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    default_page: int,
    seen: frozenset[str] = frozenset(),
) -> int:
    """Each field costs 1; a connection costs its page size times what each of its nodes costs."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            children = _cost(selection.selection_set, fragments, variables, default_page, seen)
            is_connection = any(
                isinstance(s, FieldNode) and s.name.value == "edges"
                for s in (selection.selection_set.selections if selection.selection_set else ())
            )
            page = _first(selection, variables)
            multiplier = max(page if page is not None else (default_page if is_connection else 1), 1)
            total += 1 + multiplier * children if is_connection or page is not None else 1 + children
        elif isinstance(selection, InlineFragmentNode):
            total += _cost(selection.selection_set, fragments, variables, default_page, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                total += _cost(fragment.selection_set, fragments, variables, default_page, seen | {fragment.name.value})
    return total


def operation_cost(
    document: DocumentNode, operation_name: str | None, variables: dict[str, Any], default_page: int
) -> int:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next(
        (o for o in operations if o.name and o.name.value == operation_name), operations[0] if operations else None
    )
    return _cost(chosen.selection_set, fragments, variables, default_page) if chosen else 0


def query_cost(settings: Settings) -> type[SchemaExtension]:
    class QueryCost(SchemaExtension):
        """Refuses an operation whose estimated cost is over the limit, and reports the cost in extensions."""

        cost = 0

        def on_execute(self) -> Iterator[None]:
            context = self.execution_context
            if context.graphql_document is not None:
                self.cost = operation_cost(
                    context.graphql_document,
                    context.operation_name,
                    context.variables or {},
                    settings.default_page_size,
                )
                if self.cost > settings.max_query_cost:
                    message = (
                        f"This query would cost {self.cost}, over the limit of {settings.max_query_cost}:"
                        " ask for smaller pages."
                    )
                    context.result = ExecutionResult(
                        data=None, errors=[GraphQLError(message, extensions={"code": TOO_COMPLEX})]
                    )
            yield

        def get_results(self) -> dict[str, Any]:
            return {"cost": {"requested": self.cost, "limit": settings.max_query_cost}}

    return QueryCost


def limit_extensions(settings: Settings) -> list[Any]:
    # The rule classes are made once: ValidationCache keys on them, and Strawberry's QueryDepthLimiter and
    # MaxAliasesLimiter make new ones per request, so every request was validated afresh (~4 ms for the board).
    rules = [max_depth_rule(settings.max_query_depth, None, None), max_aliases_rule(settings.max_aliases), OneOperation]
    return [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        query_cost(settings),
    ]
