"""The fast execution path gives what graphql-core's generic path gives: values, nulls, errors and their paths."""

from __future__ import annotations

import enum
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from backend.api.execution import DirectResolver, FastExecutionContext, PlainLeaf, fast_fields
from backend.schema import schema as crm_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Label:
    name: str


@strawberry.type
class Card:
    labels: list[Label]  # a plain list of objects
    owner: Label | None  # a plain object
    title: str
    note: str | None
    colour: Colour
    broken_title: str  # set to None below: a non-null field without a value

    @strawberry.field
    def shout(self) -> str:
        return self.title.upper()

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError("no such thing")

    @strawberry.field
    async def later(self, info: strawberry.Info) -> str:
        return f"{self.title} later"

    @strawberry.field
    def tagged(self, prefix: str) -> str:
        return prefix + self.title


@strawberry.type
class Query:
    @strawberry.field
    def cards(self) -> list[Card | None]:
        return [
            Card(
                labels=[Label(name="x"), Label(name="y")],
                owner=None,
                title="a",
                note=None,
                colour=Colour.RED,
                broken_title="x",
            ),
            Card(labels=[], owner=Label(name="o"), title="b", note="n", colour=Colour.BLUE, broken_title=None),  # type: ignore[arg-type]
        ]


DOCUMENT = (
    '{ cards { labels { name } owner { name } title note colour shout fails later tagged(prefix: "#") brokenTitle } }'
)


def _schema(context_class: type, extensions: list[Any] | None = None) -> strawberry.Schema:
    return strawberry.Schema(query=Query, execution_context_class=context_class, extensions=extensions or [])


def _plain(result: Any) -> tuple[Any, list[tuple[str, list[Any]]]]:
    return result.data, sorted((e.message, e.path) for e in result.errors or [])


async def test_fast_path_answers_exactly_like_the_generic_path() -> None:
    # Given the same schema with the generic and with the fast execution context
    generic = await _schema(StrawberryGraphQLCoreExecutionContext).execute(DOCUMENT)
    fast = await _schema(FastExecutionContext).execute(DOCUMENT)

    # Then data and errors (messages and paths) are the same
    assert _plain(fast) == _plain(generic)
    assert fast.data is not None
    assert fast.data["cards"][0] == {
        "labels": [{"name": "x"}, {"name": "y"}],
        "owner": None,
        "title": "a",
        "note": None,
        "colour": "RED",
        "shout": "A",
        "fails": None,
        "later": "a later",
        "tagged": "#a",
        "brokenTitle": "x",
    }
    # the second card's non-null field without a value nulls the card, with a located error
    assert fast.data["cards"][1] is None
    assert [e.path for e in fast.errors or []] == [
        ["cards", 0, "fails"],
        ["cards", 1, "fails"],
        ["cards", 1, "brokenTitle"],
    ]


def test_fields_taking_the_fast_path_are_plain_attributes_and_argument_free_resolvers() -> None:
    # Given the application's schema
    found = fast_fields(crm_schema._schema)
    lead = found[crm_schema._schema.type_map["Lead"]]  # type: ignore[index]
    stage = found[crm_schema._schema.type_map["Stage"]]  # type: ignore[index]

    # Then leaves are plain, argument-free resolvers direct, and fields with arguments take the generic path
    assert isinstance(lead["title"], PlainLeaf)
    assert isinstance(lead["status"], PlainLeaf)
    assert isinstance(lead["contactPerson"], DirectResolver)
    assert isinstance(lead["weightedValue"], DirectResolver)
    assert "timeline" not in lead  # first/after arguments
    assert "leads" not in stage


class Upper(SchemaExtension):
    """Field middleware: it must see every field, so the fast path stands aside."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        value = _next(root, info, *args, **kwargs)
        return value.upper() if isinstance(value, str) and info.field_name == "title" else value


@pytest.mark.parametrize("context_class", [StrawberryGraphQLCoreExecutionContext, FastExecutionContext])
async def test_field_middleware_still_sees_every_field(context_class: type) -> None:
    result = await _schema(context_class, [Upper]).execute("{ cards { title } }")

    assert result.data == {"cards": [{"title": "A"}, {"title": "B"}]}
