"""Assembles Query and Mutation from the slices, with the extensions every request runs through."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from backend.activities.types import ActivityMutations
from backend.api.context import Info
from backend.api.errors import ErrorCodes
from backend.api.execution import FastExecutionContext
from backend.api.limits import limit_extensions
from backend.api.relay import Node, parse_global_id
from backend.auth.types import UserMutations, UserNode, UserQueries
from backend.contacts.types import ContactMutations, ContactQueries, OrganizationNode, PersonNode
from backend.leads.types import (
    LeadCompetitorNode,
    LeadMutations,
    LeadNode,
    LeadProductNode,
    LeadQueries,
    LeadTypeNode,
    SavedFilterNode,
    SourceNode,
    TagNode,
)
from backend.pipelines.types import PipelineMutations, PipelineNode, PipelineQueries, StageNode
from backend.products.types import ProductMutations, ProductNode, ProductQueries
from backend.settings import Settings

# Global id type name -> (the request's loader for it, the GraphQL type that wraps the row).
NODE_TYPES: dict[str, tuple[str, Callable[..., Node]]] = {
    "Lead": ("lead", LeadNode.from_model),
    "LeadProduct": ("lead_product", LeadProductNode.from_model),
    "LeadCompetitor": ("lead_competitor", LeadCompetitorNode.from_model),
    "SavedFilter": ("saved_filter", SavedFilterNode.from_model),  # also told who is asking (isOwn)
    "Person": ("person", PersonNode.from_model),
    "Organization": ("organization", OrganizationNode.from_model),
    "User": ("user", UserNode.from_model),
    "Source": ("source", SourceNode.from_model),
    "LeadType": ("lead_type", LeadTypeNode.from_model),
    "Tag": ("tag", TagNode.from_model),
    "Stage": ("stage", StageNode.from_model),
    "Pipeline": ("pipeline", PipelineNode.from_model),
    "Product": ("product", ProductNode.from_model),
}


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any object by its global id; null when there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        parsed = parse_global_id(id)
        if parsed is None or parsed[0] not in NODE_TYPES:
            return None
        loader_name, wrap = NODE_TYPES[parsed[0]]
        found = await getattr(info.context.loaders, loader_name).load(parsed[1])
        if found is not None and hasattr(found, "lead_id"):
            # A product line or competitor is as visible as its lead (the lead loader applies the scope).
            found = found if await info.context.loaders.lead.load(found.lead_id) is not None else None
        if found is None:
            return None
        if parsed[0] == "SavedFilter":
            principal = info.context.principal
            return wrap(found, principal.user_id if principal else None)
        return wrap(found)


Query = merge_types("Query", (NodeQueries, LeadQueries, PipelineQueries, ContactQueries, ProductQueries, UserQueries))
Mutation = merge_types(
    "Mutation", (LeadMutations, ActivityMutations, PipelineMutations, ContactMutations, ProductMutations, UserMutations)
)


class CloseSession(SchemaExtension):
    """Returns the request's read session to the pool once the operation is done."""

    async def on_operation(self):  # type: ignore[no-untyped-def, override]
        yield
        context = self.execution_context.context
        if hasattr(context, "close"):
            await context.close()


class CrmSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Client mistakes are not server errors: ErrorCodes logs the unexpected ones, with their traceback."""


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or Settings.from_env()
    return CrmSchema(
        query=Query,
        mutation=Mutation,
        execution_context_class=FastExecutionContext,
        extensions=[
            ErrorCodes,
            CloseSession,
            *limit_extensions(settings),
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
        ],
    )


schema = build_schema()
