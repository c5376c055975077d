"""How errors reach clients: payload errors for what the user can fix, coded GraphQL errors for the rest.

No stack trace or SQL ever reaches a client: anything unexpected is logged and answered as INTERNAL_SERVER_ERROR.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.errors import DomainError, ErrorCode, FieldError

log = logging.getLogger("enterpristore.graphql")

ErrorCodeEnum = strawberry.enum(ErrorCode, name="ErrorCode", description="Why a mutation refused its input.")


@strawberry.type(description="A problem with a mutation's input that the user can fix.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault (camelCase path), if one is.")
    code: ErrorCodeEnum  # type: ignore[valid-type]
    message: str


# A value sent for a variable that does not fit its type (as opposed to a variable the document misuses).
VARIABLE_VALUE = re.compile(r"^Variable '\$\w+' (got invalid value|has invalid value|of (required|non-null) type)")
SUGGESTION = re.compile(r" Did you mean .*\?$")
LIMIT_MESSAGES = re.compile(
    r"exceeds maximum operation depth|aliases found\. Allowed|Document contains more than \d+ tokens"
)
_SNAKE = re.compile(r"_([a-z0-9])")


def camel_path(path: str | None, renames: dict[str, str] | None = None) -> str | None:
    """stages[0].expected_days -> stages[0].expectedDays; renames map domain names to the API's names."""
    if path is None:
        return None
    if renames:
        head, sep, rest = path.partition(".")
        bare = head.split("[")[0]
        if bare in renames:
            path = renames[bare] + head[len(bare) :] + sep + rest
    return _SNAKE.sub(lambda m: m.group(1).upper(), path)


def user_errors(errors: list[FieldError], renames: dict[str, str] | None = None) -> list[UserError]:
    return [UserError(field=camel_path(e.field, renames), code=e.code, message=e.message) for e in errors]


def coded(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it: with a code, and without the details of unexpected failures."""
    original = error.original_error
    if isinstance(original, DomainError):
        first = original.errors[0]
        extensions: dict[str, object] = {"code": str(first.code)}
        if first.field:
            extensions["field"] = camel_path(first.field)
        return GraphQLError(
            str(original), error.nodes, error.source, error.positions, error.path, extensions=extensions
        )
    if (error.extensions or {}).get("code"):
        return error
    if original is None or isinstance(original, GraphQLError):
        # graphql-core's own errors: syntax, validation and variable coercion stay readable, with a code.
        code = "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else "GRAPHQL_VALIDATION_FAILED"
        if VARIABLE_VALUE.match(error.message):
            code = "BAD_USER_INPUT"
        if LIMIT_MESSAGES.search(error.message):
            code = "QUERY_TOO_COMPLEX"
        # No field suggestions: they would map the schema for someone probing it.
        message = SUGGESTION.sub("", error.message)
        return GraphQLError(message, error.nodes, error.source, error.positions, error.path, extensions={"code": code})
    log.error("unexpected error in %s", error.path, exc_info=original)
    return GraphQLError(
        "Internal server error",
        error.nodes,
        error.source,
        error.positions,
        error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR"},
    )


class ErrorCodes(SchemaExtension):
    """Gives every error a code and hides the details of unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [coded(e) for e in result.errors]
