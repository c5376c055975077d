"""GraphQL types for leads, their product lines and their reference data (sources, lead types, tags)."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from backend.api.auth import allowed, ensure_assignable, ensure_visible
from backend.api.connections import named_connection
from backend.api.context import Info
from backend.api.errors import UserError
from backend.api.inputs import from_api_json, to_api_json
from backend.api.loaders import loaded_or_later
from backend.api.mutations import given, run_in_transaction
from backend.api.relay import (
    Connection,
    Node,
    PageInfo,
    decode_id,
    decode_ids,
    page_info,
    page_size,
    selected_node_fields,
    to_global_id,
)
from backend.auth.models import Permission, Role
from backend.db import utcnow
from backend.errors import DomainError
from backend.leads import aggregates, queries, saved_filters, service
from backend.leads.aggregates import GroupKey, LeadDimension
from backend.leads.filters import (
    DateRange,
    EnumCondition,
    IdCondition,
    LeadFilter,
    Range,
    RelativeDate,
    RelativePeriod,
    TagCondition,
    TextCondition,
    lead_condition,
)
from backend.leads.models import (
    Lead,
    LeadCompetitor,
    LeadProduct,
    LeadStatus,
    LeadType,
    SavedFilter,
    SavedFilterScope,
    SavedFilterView,
    Source,
    SourceCategory,
    Tag,
    Temperature,
)
from backend.leads.queries import LeadPageRequest, LeadSort, LeadSortField, LeadTotals
from backend.pagination import Page
from backend.products import pricing

if TYPE_CHECKING:
    from backend.activities.types import ActivityNode
    from backend.auth.types import UserNode
    from backend.contacts.types import OrganizationNode, PersonNode
    from backend.pipelines.models import Pipeline, Stage
    from backend.pipelines.types import PipelineNode, StageNode
    from backend.products.types import ProductNode

StageRef = Annotated["StageNode", strawberry.lazy("backend.pipelines.types")]
PipelineRef = Annotated["PipelineNode", strawberry.lazy("backend.pipelines.types")]
UserRef = Annotated["UserNode", strawberry.lazy("backend.auth.types")]
PersonRef = Annotated["PersonNode", strawberry.lazy("backend.contacts.types")]
OrganizationRef = Annotated["OrganizationNode", strawberry.lazy("backend.contacts.types")]
ProductRef = Annotated["ProductNode", strawberry.lazy("backend.products.types")]
ActivityRef = Annotated["ActivityNode", strawberry.lazy("backend.activities.types")]

LeadStatusEnum = strawberry.enum(LeadStatus, name="LeadStatus")
TemperatureEnum = strawberry.enum(Temperature, name="Temperature", description="Hot 80-100, warm 50-79, cold 25-49.")
SourceCategoryEnum = strawberry.enum(SourceCategory, name="SourceCategory")
LeadSortFieldEnum = strawberry.enum(LeadSortField, name="LeadOrderField")


@strawberry.enum
class SortDirection(enum.Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum
class NullsOrder(enum.Enum):
    FIRST = "first"
    LAST = "last"


# --- reference data ------------------------------------------------------------------------------------------


@strawberry.type(name="Source", description="Where a lead came from, within a channel category.")
class SourceNode(Node):
    id: strawberry.ID
    name: str
    category: SourceCategoryEnum  # type: ignore[valid-type]

    @classmethod
    def from_model(cls, source: Source) -> SourceNode:
        return cls(id=to_global_id("Source", source.id), name=source.name, category=source.category)


@strawberry.type(name="LeadType", description="The kind of business a lead is (new business, existing...).")
class LeadTypeNode(Node):
    id: strawberry.ID
    name: str

    @classmethod
    def from_model(cls, lead_type: LeadType) -> LeadTypeNode:
        return cls(id=to_global_id("LeadType", lead_type.id), name=lead_type.name)


@strawberry.type(name="Tag")
class TagNode(Node):
    id: strawberry.ID
    name: str
    color: str

    @classmethod
    def from_model(cls, tag: Tag) -> TagNode:
        return cls(id=to_global_id("Tag", tag.id), name=tag.name, color=tag.color)


# --- leads ---------------------------------------------------------------------------------------------------


@strawberry.type(name="LeadProduct", description="A product line on a lead: amount = quantity × unit price − discount.")
class LeadProductNode(Node):
    id: strawberry.ID
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal | None
    discount_amount: Decimal | None
    is_custom_price: bool = strawberry.field(description="The rep set the unit price; otherwise it follows the tier.")
    term_months: int | None = strawberry.field(description="A subscription line's contract length.")
    amount: Decimal = strawberry.field(description="What the line adds to the lead: for subscriptions, the TCV.")
    model: strawberry.Private[LeadProduct]

    @classmethod
    def from_model(cls, line: LeadProduct) -> LeadProductNode:
        return cls(
            id=to_global_id("LeadProduct", line.id),
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            discount_amount=line.discount_amount,
            is_custom_price=line.is_custom_price,
            term_months=line.term_months,
            amount=line.amount,
            model=line,
        )

    async def _value(self, info: Info) -> pricing.LineValue:
        product = await info.context.loaders.product.load(self.model.product_id)
        period = service.line_amount(self.quantity, self.unit_price, self.discount_percent, self.discount_amount)
        return pricing.line_value(product.billing_term, period, self.term_months)

    @strawberry.field(description="Subscriptions: the recurring amount per month.")
    async def monthly_value(self, info: Info) -> Decimal | None:
        return (await self._value(info)).monthly

    @strawberry.field(description="Subscriptions: the value per year.")
    async def annual_value(self, info: Info) -> Decimal | None:
        return (await self._value(info)).annual

    @strawberry.field(description="Subscriptions: the value over the whole term; one-time lines: the amount.")
    async def total_contract_value(self, info: Info) -> Decimal:
        return (await self._value(info)).amount

    @strawberry.field
    async def product(self, info: Info) -> ProductRef:
        from backend.products.types import ProductNode

        return ProductNode.from_model(await info.context.loaders.product.load(self.model.product_id))

    @strawberry.field
    async def lead(self, info: Info) -> LeadNode:
        return LeadNode.from_model(await info.context.loaders.lead.load(self.model.lead_id))


@strawberry.type(name="LeadCompetitor", description="A competing offer the prospect is considering.")
class LeadCompetitorNode(Node):
    id: strawberry.ID
    competitor: str
    product: str | None
    price: Decimal | None
    strengths: str | None
    weaknesses: str | None
    notes: str | None
    won_the_deal: bool = strawberry.field(description="On a lost lead: this competitor got the deal.")

    @classmethod
    def from_model(cls, c: LeadCompetitor) -> LeadCompetitorNode:
        return cls(
            id=to_global_id("LeadCompetitor", c.id),
            competitor=c.competitor,
            product=c.product,
            price=c.price,
            strengths=c.strengths,
            weaknesses=c.weaknesses,
            notes=c.notes,
            won_the_deal=c.won_the_deal,
        )


@strawberry.type(name="Lead", description="A prospect who showed interest, on its way to a won or lost deal.")
class LeadNode(Node):
    id: strawberry.ID
    title: str
    description: str | None
    value: Decimal | None = strawberry.field(description="The sum of the product lines when there are any.")
    currency: str
    status: LeadStatusEnum  # type: ignore[valid-type]
    lost_reason: str | None
    closed_at: datetime | None
    expected_close_date: date | None = strawberry.field(description="A calendar date; once won, the close date.")
    score: int | None
    temperature: TemperatureEnum | None  # type: ignore[valid-type]
    stage_entered_at: datetime
    created_at: datetime
    updated_at: datetime
    version: int = strawberry.field(description="Send it back with updateLead and moveLead (optimistic locking).")
    external_id: str | None = strawberry.field(description="The record's key in the system it was imported from.")
    win_loss_factors: list[str] = strawberry.field(description="Why a won or lost deal went the way it did.")
    model: strawberry.Private[Lead]

    @classmethod
    def from_model(cls, lead: Lead) -> LeadNode:
        return cls(
            id=to_global_id("Lead", lead.id),
            title=lead.title,
            description=lead.description,
            value=lead.value,
            currency=lead.currency,
            status=lead.status,
            lost_reason=lead.lost_reason,
            closed_at=lead.closed_at,
            expected_close_date=lead.expected_close_date,
            score=lead.score,
            temperature=lead.temperature,
            stage_entered_at=lead.stage_entered_at,
            created_at=lead.created_at,
            updated_at=lead.updated_at,
            version=lead.version,
            external_id=lead.external_id,
            win_loss_factors=list(lead.win_loss_factors or []),
            model=lead,
        )

    # Related objects come from the request's loaders, at once when a connection prefetched them for its page.
    @strawberry.field
    def stage(self, info: Info) -> StageRef:
        from backend.pipelines.types import StageNode

        return loaded_or_later(info.context.loaders.stage, self.model.stage_id, StageNode.from_model)

    @strawberry.field
    def pipeline(self, info: Info) -> PipelineRef:
        from backend.pipelines.types import PipelineNode

        return loaded_or_later(info.context.loaders.pipeline, self.model.pipeline_id, PipelineNode.from_model)

    @strawberry.field(description="Value × the stage's win probability.")
    def weighted_value(self, info: Info) -> Decimal | None:
        value = self.model.value
        if value is None:
            return None

        def weighted(stage: Stage) -> Decimal:
            return (value * stage.probability / 100).quantize(queries.CENT, ROUND_HALF_UP)

        return loaded_or_later(info.context.loaders.stage, self.model.stage_id, weighted)

    @strawberry.field(description="Whole days since the lead entered its stage.")
    def days_in_stage(self) -> int:
        return (utcnow() - self.model.stage_entered_at).days

    @strawberry.field(description="Open, and in its stage for longer than the pipeline's rotting days.")
    def is_rotting(self, info: Info) -> bool:
        if self.model.status != LeadStatus.OPEN:
            return False
        days = self.days_in_stage()

        def rotting(pipeline: Pipeline) -> bool:
            return pipeline.rotting_days is not None and days > pipeline.rotting_days

        return loaded_or_later(info.context.loaders.pipeline, self.model.pipeline_id, rotting)

    @strawberry.field
    def source(self, info: Info) -> SourceNode | None:
        if self.model.source_id is None:
            return None
        return loaded_or_later(info.context.loaders.source, self.model.source_id, SourceNode.from_model)

    @strawberry.field
    def lead_type(self, info: Info) -> LeadTypeNode | None:
        if self.model.lead_type_id is None:
            return None
        return loaded_or_later(info.context.loaders.lead_type, self.model.lead_type_id, LeadTypeNode.from_model)

    @strawberry.field(description="The user who owns the lead.")
    def sales_person(self, info: Info) -> UserRef | None:
        from backend.auth.types import UserNode

        if self.model.sales_person_id is None:
            return None
        return loaded_or_later(info.context.loaders.user, self.model.sales_person_id, UserNode.from_model)

    @strawberry.field
    def contact_person(self, info: Info) -> PersonRef | None:
        from backend.contacts.types import PersonNode

        if self.model.person_id is None:
            return None
        return loaded_or_later(info.context.loaders.person, self.model.person_id, PersonNode.from_model)

    @strawberry.field
    def organization(self, info: Info) -> OrganizationRef | None:
        from backend.contacts.types import OrganizationNode

        if self.model.organization_id is None:
            return None
        return loaded_or_later(
            info.context.loaders.organization, self.model.organization_id, OrganizationNode.from_model
        )

    @strawberry.field
    def tags(self, info: Info) -> list[TagNode]:
        return loaded_or_later(info.context.loaders.lead_tags, self.model.id, _tag_nodes)

    @strawberry.field
    def products(self, info: Info) -> list[LeadProductNode]:
        return loaded_or_later(info.context.loaders.lead_products, self.model.id, _line_nodes)

    @strawberry.field
    def competitors(self, info: Info) -> list[LeadCompetitorNode]:
        return loaded_or_later(info.context.loaders.lead_competitors, self.model.id, _competitor_nodes)

    @strawberry.field(description="What happened to the lead, newest first.")
    async def timeline(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[ActivityRef]:
        from backend.activities.types import timeline_connection

        return await timeline_connection(info, self.model.id, first, after)


def _tag_nodes(tags: Sequence[Tag]) -> list[TagNode]:
    return [TagNode.from_model(t) for t in tags]


def _line_nodes(lines: Sequence[LeadProduct]) -> list[LeadProductNode]:
    return [LeadProductNode.from_model(line) for line in lines]


def _competitor_nodes(found: Sequence[LeadCompetitor]) -> list[LeadCompetitorNode]:
    return [LeadCompetitorNode.from_model(c) for c in found]


@strawberry.type
class LeadEdge:
    node: LeadNode
    cursor: str


@strawberry.type(description="A page of leads with totals over every page: count, value and weighted value.")
class LeadConnection:
    edges: list[LeadEdge]
    page_info: PageInfo
    totals: strawberry.Private[Callable[[], Awaitable[LeadTotals]]]
    # A count that stops after at_most + 1 matches; None where the totals are cheap anyway (board columns).
    count_upto: strawberry.Private[Callable[[int], Awaitable[int]] | None] = None

    async def _totals(self) -> LeadTotals:
        return await self.totals()

    @strawberry.field(
        description="How many leads match. Exact without `atMost`, at a cost that grows with the matches. With "
        '`atMost`, counting stops after atMost + 1 matches: a result above atMost means "more than atMost" '
        '(a list shows "500+"), and costs what atMost + 1 matches cost, however many leads match.'
    )
    async def total_count(
        self, at_most: Annotated[int | None, strawberry.argument(description="Count no further than this + 1.")] = None
    ) -> int:
        if at_most is None:
            return (await self._totals()).count
        if at_most < 0:
            raise DomainError.bad_input("atMost", "atMost is 0 or more")
        if self.count_upto is None:
            return min((await self._totals()).count, at_most + 1)
        return await self.count_upto(at_most)

    @strawberry.field(description="The sum of the matching leads' values (leads without a value count as 0).")
    async def total_value(self) -> Decimal:
        return (await self._totals()).value

    @strawberry.field(description="The sum of value × stage probability over the matching leads.")
    async def weighted_value(self) -> Decimal:
        return (await self._totals()).weighted_value


# A lead's field -> the request loader that holds its related object, and the lead's key for it.
_RELATED: dict[str, tuple[str, Callable[[Lead], int | None]]] = {
    "stage": ("stage", lambda lead: lead.stage_id),
    "weightedValue": ("stage", lambda lead: lead.stage_id),
    "pipeline": ("pipeline", lambda lead: lead.pipeline_id),
    "isRotting": ("pipeline", lambda lead: lead.pipeline_id),
    "source": ("source", lambda lead: lead.source_id),
    "leadType": ("lead_type", lambda lead: lead.lead_type_id),
    "salesPerson": ("user", lambda lead: lead.sales_person_id),
    "contactPerson": ("person", lambda lead: lead.person_id),
    "organization": ("organization", lambda lead: lead.organization_id),
    "tags": ("lead_tags", lambda lead: lead.id),
    "products": ("lead_products", lambda lead: lead.id),
    "competitors": ("lead_competitors", lambda lead: lead.id),
}


async def prefetch_related(info: Info, leads: Sequence[Lead]) -> None:
    """Loads the related objects the cards of a page select, before the cards resolve: their fields then take
    graphql-core's synchronous path. The loaders batch this with the other pages of the request (board columns)."""
    loaders: dict[str, set[int]] = {}
    for name in selected_node_fields(info) & _RELATED.keys():
        loader_name, key = _RELATED[name]
        keys = loaders.setdefault(loader_name, set())
        keys.update(k for lead in leads if (k := key(lead)) is not None)
    await info.context.loaders.prefetch(loaders)


async def _lead_connection(
    info: Info,
    page: Page[Lead],
    totals: Callable[[], Awaitable[LeadTotals]],
    count_upto: Callable[[int], Awaitable[int]] | None = None,
) -> LeadConnection:
    await prefetch_related(info, page.items)
    return LeadConnection(
        edges=[
            LeadEdge(node=LeadNode.from_model(lead), cursor=c) for lead, c in zip(page.items, page.cursors, strict=True)
        ],
        page_info=page_info(page),
        totals=totals,
        count_upto=count_upto,
    )


def _capped_count(info: Info, flt: LeadFilter | None) -> Callable[[int], Awaitable[int]]:
    async def count(at_most: int) -> int:
        async with info.context.read() as session:
            return await queries.count_leads(session, flt, at_most)

    return count


# --- filters and sort ----------------------------------------------------------------------------------------


@strawberry.input(
    name="IDFilter", description="Matches an id: equal to, one of, none of, or (for optional links) empty."
)
class IDFilterInput:
    eq: strawberry.ID | None = None
    in_: list[strawberry.ID] | None = strawberry.field(default=None, name="in")
    not_in: list[strawberry.ID] | None = None
    is_null: bool | None = strawberry.field(default=None, description="true: has none (e.g. unassigned).")


@strawberry.input(name="LeadStatusFilter")
class LeadStatusFilterInput:
    eq: LeadStatusEnum | None = None  # type: ignore[valid-type]
    in_: list[LeadStatusEnum] | None = strawberry.field(default=None, name="in")  # type: ignore[valid-type]
    not_in: list[LeadStatusEnum] | None = None  # type: ignore[valid-type]


@strawberry.input(name="DecimalFilter", description="Matches a decimal: equal, greater/less than (or equal), or empty.")
class DecimalFilterInput:
    eq: Decimal | None = None
    gt: Decimal | None = None
    gte: Decimal | None = None
    lt: Decimal | None = None
    lte: Decimal | None = None
    is_null: bool | None = None


RelativePeriodEnum = strawberry.enum(
    RelativePeriod,
    name="RelativePeriod",
    description="Kept relative: resolved on the day the filter runs. LAST_N_DAYS / NEXT_N_DAYS: today and the "
    "`days` days before / after it; OVERDUE: before today; weeks start on Monday.",
)


@strawberry.input(name="RelativeDate", description="A period relative to today, in a time zone (IANA, default UTC).")
class RelativeDateInput:
    period: RelativePeriodEnum  # type: ignore[valid-type]
    days: int | None = None
    time_zone: str = "UTC"


@strawberry.input(
    name="StringFilter", description="Matches text, ignoring case: equal, one of, none of, contains, empty."
)
class StringFilterInput:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    not_in: list[str] | None = None
    contains: str | None = None
    is_null: bool | None = None


@strawberry.input(name="IntFilter")
class IntFilterInput:
    eq: int | None = None
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None
    is_null: bool | None = None


@strawberry.input(name="TemperatureFilter")
class TemperatureFilterInput:
    eq: TemperatureEnum | None = None  # type: ignore[valid-type]
    in_: list[TemperatureEnum] | None = strawberry.field(default=None, name="in")  # type: ignore[valid-type]
    not_in: list[TemperatureEnum] | None = None  # type: ignore[valid-type]


@strawberry.input(name="SourceCategoryFilter")
class SourceCategoryFilterInput:
    eq: SourceCategoryEnum | None = None  # type: ignore[valid-type]
    in_: list[SourceCategoryEnum] | None = strawberry.field(default=None, name="in")  # type: ignore[valid-type]
    not_in: list[SourceCategoryEnum] | None = None  # type: ignore[valid-type]


@strawberry.input(
    name="DateFilter", description="Matches a calendar date: on, after or before (inclusive with gte/lte), or empty."
)
class DateFilterInput:
    eq: date | None = None
    gt: date | None = None
    gte: date | None = None
    lt: date | None = None
    lte: date | None = None
    is_null: bool | None = None
    relative: RelativeDateInput | None = None


@strawberry.input(name="DateTimeFilter", description="Matches a timestamp (ISO 8601), or local days relative to today.")
class DateTimeFilterInput:
    gt: datetime | None = None
    gte: datetime | None = None
    lt: datetime | None = None
    lte: datetime | None = None
    relative: RelativeDateInput | None = None


@strawberry.input(
    name="TagsFilter", description="Matches a lead's tags: any of, all of, none of the given tags, or no tags at all."
)
class TagsFilterInput:
    any_of: list[strawberry.ID] | None = None
    all_of: list[strawberry.ID] | None = None
    none_of: list[strawberry.ID] | None = None
    is_empty: bool | None = None


@strawberry.input(
    name="LeadFilter", description="Criteria combined with AND; `and`, `or` and `not` nest further filters."
)
class LeadFilterInput:
    and_: list[LeadFilterInput] | None = strawberry.field(default=None, name="and")
    or_: list[LeadFilterInput] | None = strawberry.field(default=None, name="or")
    not_: LeadFilterInput | None = strawberry.field(default=None, name="not")
    id: IDFilterInput | None = None
    pipeline: IDFilterInput | None = None
    stage: IDFilterInput | None = None
    status: LeadStatusFilterInput | None = None
    sales_person: IDFilterInput | None = None
    contact_person: IDFilterInput | None = None
    organization: IDFilterInput | None = None
    source: IDFilterInput | None = None
    lead_type: IDFilterInput | None = None
    value: DecimalFilterInput | None = None
    expected_close_date: DateFilterInput | None = None
    created_at: DateTimeFilterInput | None = None
    tags: TagsFilterInput | None = None
    source_category: SourceCategoryFilterInput | None = None
    industry: StringFilterInput | None = strawberry.field(default=None, description="The organization's industry.")
    country: StringFilterInput | None = strawberry.field(default=None, description="The organization's country.")
    region: StringFilterInput | None = None
    city: StringFilterInput | None = None
    company_size: IntFilterInput | None = strawberry.field(default=None, description="The organization's employees.")
    lost_reason: StringFilterInput | None = None
    days_in_stage: IntFilterInput | None = strawberry.field(default=None, description="Whole days in the stage.")
    is_rotting: bool | None = strawberry.field(default=None, description="Open and past the pipeline's rotting days.")
    temperature: TemperatureFilterInput | None = None
    is_mine: bool | None = strawberry.field(
        default=None, description="true: the viewer's own leads (stays relative to whoever runs a saved filter)."
    )
    search: str | None = strawberry.field(
        default=None, description="Title, description, contact person's name, email or phone, organization name."
    )


@strawberry.input(name="LeadOrder")
class LeadOrderInput:
    field: LeadSortFieldEnum  # type: ignore[valid-type]
    direction: SortDirection = SortDirection.ASC
    nulls: NullsOrder = NullsOrder.LAST


def _id_condition(value: IDFilterInput | None, type_name: str, path: str) -> IdCondition | None:
    if value is None:
        return None
    return IdCondition(
        eq=decode_id(value.eq, type_name, f"{path}.eq") if value.eq is not None else None,
        in_=decode_ids(value.in_, type_name, f"{path}.in"),
        not_in=decode_ids(value.not_in, type_name, f"{path}.notIn"),
        is_null=value.is_null,
    )


ID_CRITERIA = {
    "id": "Lead",
    "pipeline": "Pipeline",
    "stage": "Stage",
    "sales_person": "User",
    "contact_person": "Person",
    "organization": "Organization",
    "source": "Source",
    "lead_type": "LeadType",
}


BOUNDS = ("eq", "gt", "gte", "lt", "lte", "is_null")


def _range(value: DecimalFilterInput | IntFilterInput | None) -> Range | None:
    if value is None:
        return None
    return Range(**{k: getattr(value, k) for k in BOUNDS})


def _date_range(value: DateFilterInput | DateTimeFilterInput | None) -> DateRange | None:
    if value is None:
        return None
    relative = value.relative
    return DateRange(
        **{k: getattr(value, k, None) for k in BOUNDS},
        relative=RelativeDate(relative.period, relative.days, relative.time_zone) if relative else None,
    )


def _text(value: StringFilterInput | None) -> TextCondition | None:
    if value is None:
        return None
    return TextCondition(
        eq=value.eq,
        in_=tuple(value.in_) if value.in_ is not None else None,
        not_in=tuple(value.not_in) if value.not_in is not None else None,
        contains=value.contains,
        is_null=value.is_null,
    )


def _enum_condition(
    value: LeadStatusFilterInput | SourceCategoryFilterInput | TemperatureFilterInput | None,
) -> EnumCondition | None:
    if value is None:
        return None
    return EnumCondition(
        eq=value.eq,
        in_=tuple(value.in_) if value.in_ is not None else None,
        not_in=tuple(value.not_in) if value.not_in is not None else None,
    )


def to_lead_filter(
    value: LeadFilterInput | None, path: str = "filter", viewer_id: int | None = None
) -> LeadFilter | None:
    """The input as the domain's filter; ids of the wrong type are BAD_USER_INPUT naming their path. `isMine`
    becomes the viewer's id here, when the filter runs."""
    if value is None:
        return None
    mine: tuple[LeadFilter, ...] = ()
    if value.is_mine is not None:
        me = IdCondition(eq=viewer_id if viewer_id is not None else -1)
        mine = (LeadFilter(sales_person=me) if value.is_mine else LeadFilter(not_=LeadFilter(sales_person=me)),)
    camel = {"sales_person": "salesPerson", "contact_person": "contactPerson", "lead_type": "leadType"}
    ids = {
        name: _id_condition(getattr(value, name), type_name, f"{path}.{camel.get(name, name)}")
        for name, type_name in ID_CRITERIA.items()
    }
    flt = LeadFilter(
        and_=mine
        + tuple(f for i, v in enumerate(value.and_ or []) if (f := to_lead_filter(v, f"{path}.and[{i}]", viewer_id))),
        or_=tuple(f for i, v in enumerate(value.or_ or []) if (f := to_lead_filter(v, f"{path}.or[{i}]", viewer_id))),
        not_=to_lead_filter(value.not_, f"{path}.not", viewer_id),
        temperature=_enum_condition(value.temperature),
        status=_enum_condition(value.status),
        source_category=_enum_condition(value.source_category),
        value=_range(value.value),
        expected_close_date=_date_range(value.expected_close_date),
        created_at=_date_range(value.created_at),
        industry=_text(value.industry),
        country=_text(value.country),
        region=_text(value.region),
        city=_text(value.city),
        company_size=_range(value.company_size),
        lost_reason=_text(value.lost_reason),
        days_in_stage=_range(value.days_in_stage),
        is_rotting=value.is_rotting,
        tags=TagCondition(
            any_of=decode_ids(value.tags.any_of, "Tag", f"{path}.tags.anyOf"),
            all_of=decode_ids(value.tags.all_of, "Tag", f"{path}.tags.allOf"),
            none_of=decode_ids(value.tags.none_of, "Tag", f"{path}.tags.noneOf"),
            is_empty=value.tags.is_empty,
        )
        if value.tags
        else None,
        search=value.search,
        **ids,
    )
    lead_condition(flt, path)  # refuses impossible filters (inverted ranges) before any SQL runs
    return flt


def to_lead_sort(order_by: list[LeadOrderInput] | None) -> tuple[LeadSort, ...]:
    if not order_by:
        return queries.DEFAULT_SORT
    return tuple(
        LeadSort(o.field, descending=o.direction == SortDirection.DESC, nulls_last=o.nulls == NullsOrder.LAST)
        for o in order_by
    )


CAMEL_CRITERIA = {"sales_person": "salesPerson", "contact_person": "contactPerson", "lead_type": "leadType"}
LOADER_OF = {
    "Lead": "lead",
    "Pipeline": "pipeline",
    "Stage": "stage",
    "User": "user",
    "Person": "person",
    "Organization": "organization",
    "Source": "source",
    "LeadType": "lead_type",
    "Tag": "tag",
}


def _referenced(value: LeadFilterInput, path: str) -> Iterator[tuple[str, strawberry.ID, str]]:
    """Every id a filter names: (type, global id, path inside the filter)."""
    for name, type_name in ID_CRITERIA.items():
        condition: IDFilterInput | None = getattr(value, name)
        if condition is None:
            continue
        where = f"{path}.{CAMEL_CRITERIA.get(name, name)}"
        if condition.eq is not None:
            yield type_name, condition.eq, f"{where}.eq"
        for op, ids in (("in", condition.in_), ("notIn", condition.not_in)):
            yield from ((type_name, g, f"{where}.{op}[{i}]") for i, g in enumerate(ids or []))
    if value.tags is not None:
        for op, ids in (("anyOf", value.tags.any_of), ("allOf", value.tags.all_of), ("noneOf", value.tags.none_of)):
            yield from (("Tag", g, f"{path}.tags.{op}[{i}]") for i, g in enumerate(ids or []))
    for op, nested in (("and", value.and_), ("or", value.or_)):
        for i, inner in enumerate(nested or []):
            yield from _referenced(inner, f"{path}.{op}[{i}]")
    if value.not_ is not None:
        yield from _referenced(value.not_, f"{path}.not")


async def _check_ids_exist(info: Info, value: LeadFilterInput | None) -> None:
    """An id the filter names must exist (and, for a lead, be visible): otherwise BAD_USER_INPUT at its path.
    The request's loaders batch and cache the look-ups, so a board asks once for all its columns."""
    if value is None:
        return
    referenced = [(t, g, path, decode_id(g, t, path)) for t, g, path in _referenced(value, "filter")]
    # All at once: one statement per type, not one per id.
    found = await asyncio.gather(*(getattr(info.context.loaders, LOADER_OF[t]).load(i) for t, _, _, i in referenced))
    for (type_name, global_id, path, _), row in zip(referenced, found, strict=True):
        if row is None:
            raise DomainError.bad_input(path, f"{path}: there is no {type_name} with the id {global_id}")


async def lead_filter(
    info: Info, filter: LeadFilterInput | None, saved_filter: strawberry.ID | None = None
) -> tuple[LeadFilter | None, list[LeadOrderInput] | None]:
    """The filter a request runs: the principal's scope AND the saved filter AND the extra filter, and the
    saved filter's sort (used when the request gives none)."""
    principal = allowed(info, Permission.VIEW_LEADS, write=False)
    viewer = principal.user_id
    parts = [f for f in [to_lead_filter(filter, "filter", viewer)] if f is not None]
    await _check_ids_exist(info, filter)
    saved_sort = None
    if saved_filter is not None:
        saved = await info.context.loaders.saved_filter.load(decode_id(saved_filter, "SavedFilter", "savedFilter"))
        if saved is None:
            raise DomainError.not_found("savedFilter", "no saved filter with this id")
        stored = from_api_json(LeadFilterInput, saved.filter) if saved.filter else None
        parts += [f for f in [to_lead_filter(stored, "savedFilter", viewer)] if f is not None]
        saved_sort = [from_api_json(LeadOrderInput, o) for o in saved.sort] or None
    combined = parts[0] if len(parts) == 1 else (LeadFilter(and_=tuple(parts)) if parts else None)
    return info.context.scoped(combined), saved_sort


async def _page_request(
    info: Info,
    filter: LeadFilterInput | None,
    order_by: list[LeadOrderInput] | None,
    first: int | None,
    after: str | None,
    saved_filter: strawberry.ID | None = None,
) -> LeadPageRequest:
    settings = info.context.settings
    flt, saved_sort = await lead_filter(info, filter, saved_filter)
    return LeadPageRequest(
        filter=flt,
        sort=to_lead_sort(order_by or saved_sort),
        first=page_size(first, settings.default_page_size, settings.max_page_size),
        after=after,
    )


async def stage_lead_connection(
    info: Info,
    stage_id: int,
    filter: LeadFilterInput | None,
    order_by: list[LeadOrderInput] | None,
    first: int | None,
    after: str | None,
    saved_filter: strawberry.ID | None = None,
) -> LeadConnection:
    """A board column: the page and the totals of every stage on the board load in one statement each."""
    request = await _page_request(info, filter, order_by, first, after, saved_filter)
    page = await info.context.loaders.stage_leads.load((stage_id, request))

    async def totals() -> LeadTotals:
        return await info.context.loaders.stage_totals.load((stage_id, request.filter))

    return await _lead_connection(info, page, totals)


async def person_lead_connection(
    info: Info,
    person_id: int,
    filter: LeadFilterInput | None,
    order_by: list[LeadOrderInput] | None,
    first: int | None,
    after: str | None,
) -> LeadConnection:
    request = await _page_request(info, filter, order_by, first, after)
    page = await info.context.loaders.person_leads.load((person_id, request))
    person_filter = LeadFilter(
        and_=(request.filter,) if request.filter else (), contact_person=IdCondition(eq=person_id)
    )

    async def totals() -> LeadTotals:
        async with info.context.read() as session:
            return await queries.lead_totals(session, person_filter)

    return await _lead_connection(info, page, _once(totals), _capped_count(info, person_filter))


# --- aggregates ----------------------------------------------------------------------------------------------

LeadGroupByEnum = strawberry.enum(LeadDimension, name="LeadGroupBy", description="What leadAggregate groups by.")

# Dimensions whose keys are objects: their global id type.
DIMENSION_TYPES = {
    LeadDimension.STAGE: "Stage",
    LeadDimension.PIPELINE: "Pipeline",
    LeadDimension.SOURCE: "Source",
    LeadDimension.LEAD_TYPE: "LeadType",
    LeadDimension.SALES_PERSON: "User",
    LeadDimension.TAG: "Tag",
}


@strawberry.type(description="One dimension of a group: its object (id) where it is one, and its value.")
class LeadGroupKey:
    dimension: LeadGroupByEnum  # type: ignore[valid-type]
    id: strawberry.ID | None = strawberry.field(description="The stage, source, user... of the group, if any.")
    value: str | None = strawberry.field(
        description="A name, a status or category (as in the enums), a month (2026-11) or a week's Monday "
        "(2026-11-30); null groups the leads that have none."
    )


@strawberry.type(
    description="Measures over a group of leads; average, minimum and maximum ignore leads without a value."
)
class LeadGroup:
    keys: list[LeadGroupKey]
    count: int
    value_count: int = strawberry.field(description="How many of the leads have a value.")
    sum: Decimal
    average: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    weighted_value: Decimal = strawberry.field(description="Sum of value × stage probability.")


@strawberry.type
class LeadAggregate:
    groups: list[LeadGroup]
    total: LeadGroup = strawberry.field(description="Over every matching lead (a lead with two tags counts once).")


def _key_value(key: GroupKey) -> str | None:
    if key.value is None:
        return None
    if key.dimension in (LeadDimension.STATUS, LeadDimension.SOURCE_CATEGORY):
        return key.value.upper()  # as the GraphQL enums spell them
    return key.value


def _lead_group(group: aggregates.LeadGroup) -> LeadGroup:
    return LeadGroup(
        keys=[
            LeadGroupKey(
                dimension=k.dimension,
                id=to_global_id(DIMENSION_TYPES[k.dimension], k.id) if k.id is not None else None,
                value=_key_value(k),
            )
            for k in group.keys
        ],
        count=group.count,
        value_count=group.value_count,
        sum=group.sum,
        average=group.average,
        minimum=group.minimum,
        maximum=group.maximum,
        weighted_value=group.weighted_value,
    )


# --- saved filters -------------------------------------------------------------------------------------------

SavedFilterScopeEnum = strawberry.enum(SavedFilterScope, name="SavedFilterScope")
SavedFilterViewEnum = strawberry.enum(SavedFilterView, name="SavedFilterView")


@strawberry.type(name="SavedFilter", description="A named filter and sort; pass its id as `savedFilter` to run it.")
class SavedFilterNode(Node):
    id: strawberry.ID
    name: str
    filter: JSON = strawberry.field(description="The LeadFilter as sent (relative dates and isMine stay relative).")
    order_by: JSON = strawberry.field(description="The [LeadOrder] as sent.")
    view: SavedFilterViewEnum  # type: ignore[valid-type]
    scope: SavedFilterScopeEnum  # type: ignore[valid-type]
    is_builtin: bool
    is_own: bool = strawberry.field(description="Yours: you may change or delete it.")

    @classmethod
    def from_model(cls, saved: SavedFilter, viewer_id: int | None) -> SavedFilterNode:
        return cls(
            id=to_global_id("SavedFilter", saved.id),
            name=saved.name,
            filter=JSON(saved.filter),
            order_by=JSON(saved.sort),
            view=saved.view,
            scope=saved.scope,
            is_builtin=saved.is_builtin,
            is_own=saved.owner_id is not None and saved.owner_id == viewer_id,
        )


@strawberry.input
class CreateSavedFilterInput:
    name: str
    filter: LeadFilterInput | None = None
    order_by: list[LeadOrderInput] | None = None
    view: SavedFilterViewEnum = SavedFilterView.LIST  # type: ignore[valid-type]
    scope: SavedFilterScopeEnum = SavedFilterScope.PRIVATE  # type: ignore[valid-type]
    team_id: strawberry.ID | None = strawberry.field(default=None, description="With scope TEAM.")
    role_id: str | None = strawberry.field(default=None, description="With scope ROLE: the role's code.")


@strawberry.input(description="Fields left out stay as they are.")
class UpdateSavedFilterInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    filter: LeadFilterInput | None = strawberry.UNSET
    order_by: list[LeadOrderInput] | None = strawberry.UNSET
    view: SavedFilterViewEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    scope: SavedFilterScopeEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    team_id: strawberry.ID | None = strawberry.UNSET
    role_id: str | None = strawberry.UNSET


@strawberry.input
class DeleteSavedFilterInput:
    id: strawberry.ID


@strawberry.type
class SavedFilterPayload:
    saved_filter: SavedFilterNode | None
    errors: list[UserError]


async def _saved_filter_fields(
    session: AsyncSession, input: CreateSavedFilterInput | UpdateSavedFilterInput
) -> dict[str, object]:
    """Validates the filter as a query would (ids, ranges), then keeps it as the API spells it."""
    fields = given(input, "name", "view", "scope")
    if input.filter is not strawberry.UNSET:
        to_lead_filter(input.filter, "filter")
        fields["filter"] = to_api_json(input.filter) if input.filter else {}
    if input.order_by is not strawberry.UNSET:
        fields["sort"] = to_api_json(input.order_by or [])
    if input.team_id is not strawberry.UNSET:
        fields["team_id"] = decode_id(input.team_id, "Team", "teamId") if input.team_id else None
    if input.role_id is not strawberry.UNSET:
        role = await session.scalar(select(Role.id).where(Role.code == input.role_id)) if input.role_id else None
        if input.role_id and role is None:
            raise DomainError.not_found("role_id", f"no role {input.role_id!r}")
        fields["role_id"] = role
    return fields


# --- queries -------------------------------------------------------------------------------------------------


def _once(fetch: Callable[[], Awaitable[LeadTotals]]) -> Callable[[], Awaitable[LeadTotals]]:
    """Runs the totals query once, however many of the total fields ask for it."""
    result: list[LeadTotals] = []

    async def cached() -> LeadTotals:
        if not result:
            result.append(await fetch())
        return result[0]

    return cached


@strawberry.type
class LeadQueries:
    @strawberry.field
    async def lead(self, info: Info, id: strawberry.ID) -> LeadNode | None:
        allowed(info, Permission.VIEW_LEADS, write=False)
        lead = await info.context.loaders.lead.load(decode_id(id, "Lead"))
        return LeadNode.from_model(lead) if lead else None

    @strawberry.field(description="Leads matching a filter, in the given order (default: newest first).")
    async def leads(
        self,
        info: Info,
        filter: LeadFilterInput | None = None,
        order_by: list[LeadOrderInput] | None = None,
        first: int | None = None,
        after: str | None = None,
        saved_filter: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A saved filter, ANDed with `filter`; its sort applies unless orderBy."),
        ] = None,
    ) -> LeadConnection:
        request = await _page_request(info, filter, order_by, first, after, saved_filter)
        async with info.context.read() as session:
            page = await queries.list_leads(session, request)

        async def totals() -> LeadTotals:
            async with info.context.read() as session:
                return await queries.lead_totals(session, request.filter)

        return await _lead_connection(info, page, _once(totals), _capped_count(info, request.filter))

    @strawberry.field(description="Count, sum, average, minimum, maximum and weighted value, grouped.")
    async def lead_aggregate(
        self,
        info: Info,
        filter: LeadFilterInput | None = None,
        group_by: list[LeadGroupByEnum] | None = None,  # type: ignore[valid-type]
        saved_filter: strawberry.ID | None = None,
    ) -> LeadAggregate:
        flt, _ = await lead_filter(info, filter, saved_filter)
        async with info.context.read() as session:
            groups, total = await aggregates.aggregate_leads(session, flt, list(group_by or []))
        return LeadAggregate(groups=[_lead_group(g) for g in groups], total=_lead_group(total))

    @strawberry.field(description="The saved filters you see: built-ins, yours, and those shared with you.")
    async def saved_filters(
        self,
        info: Info,
        view: SavedFilterViewEnum | None = None,  # type: ignore[valid-type]
    ) -> list[SavedFilterNode]:
        principal = allowed(info, Permission.VIEW_LEADS, write=False)
        async with info.context.read() as session:
            found = await saved_filters.list_saved_filters(session, principal, view)
        return [SavedFilterNode.from_model(f, principal.user_id) for f in found]

    @strawberry.field
    async def sources(
        self, info: Info, search: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[SourceNode]:
        return await named_connection(info, Source, SourceNode.from_model, search, first, after)

    @strawberry.field
    async def lead_types(
        self, info: Info, search: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[LeadTypeNode]:
        return await named_connection(info, LeadType, LeadTypeNode.from_model, search, first, after)

    @strawberry.field
    async def tags(
        self, info: Info, search: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[TagNode]:
        return await named_connection(info, Tag, TagNode.from_model, search, first, after)


# --- mutations -----------------------------------------------------------------------------------------------

# Domain field names that the API calls differently.
LEAD_RENAMES = {"person_id": "contactPersonId"}


@strawberry.input
class CreateLeadInput:
    title: str
    description: str | None = strawberry.UNSET
    value: Decimal | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    pipeline_id: strawberry.ID | None = strawberry.UNSET
    stage_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Default: the first stage.")
    lost_reason: str | None = strawberry.UNSET
    source_id: strawberry.ID | None = strawberry.UNSET
    lead_type_id: strawberry.ID | None = strawberry.UNSET
    sales_person_id: strawberry.ID | None = strawberry.UNSET
    contact_person_id: strawberry.ID | None = strawberry.UNSET
    organization_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Default: the contact person's organization."
    )
    expected_close_date: date | None = strawberry.UNSET
    score: int | None = strawberry.UNSET
    tag_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input(description="Fields left out stay as they are; a field set to null is cleared.")
class UpdateLeadInput:
    id: strawberry.ID
    version: int = strawberry.field(description="The version you saw; a newer one on the server is a CONFLICT.")
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    value: Decimal | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    source_id: strawberry.ID | None = strawberry.UNSET
    lead_type_id: strawberry.ID | None = strawberry.UNSET
    sales_person_id: strawberry.ID | None = strawberry.UNSET
    contact_person_id: strawberry.ID | None = strawberry.UNSET
    organization_id: strawberry.ID | None = strawberry.UNSET
    expected_close_date: date | None = strawberry.UNSET
    score: int | None = strawberry.UNSET
    tag_ids: list[strawberry.ID] | None = strawberry.UNSET
    win_loss_factors: list[str] | None = strawberry.UNSET


@strawberry.input
class MoveLeadInput:
    id: strawberry.ID
    version: int
    stage_id: strawberry.ID
    reason: str | None = strawberry.field(default=None, description="Why it moved; kept on the timeline.")
    lost_reason: str | None = strawberry.field(default=None, description="Required when the stage is a lost one.")
    won_value: Decimal | None = strawberry.field(default=None, description="On a won stage: the value won.")
    close_date: date | None = strawberry.field(default=None, description="On a won stage (default: today).")
    win_loss_factors: list[str] | None = strawberry.field(default=None, description="Why it was won or lost.")


@strawberry.input
class DeleteLeadInput:
    id: strawberry.ID


@strawberry.input
class AddLeadProductInput:
    lead_id: strawberry.ID
    product_id: strawberry.ID
    quantity: Decimal = Decimal(1)
    unit_price: Decimal | None = strawberry.field(default=None, description="Default: the product's list price.")
    discount_percent: Decimal | None = None
    discount_amount: Decimal | None = None
    term_months: int | None = strawberry.field(default=None, description="Subscriptions (default: the product's).")


@strawberry.input
class UpdateLeadProductInput:
    id: strawberry.ID
    quantity: Decimal | None = strawberry.UNSET
    unit_price: Decimal | None = strawberry.field(default=strawberry.UNSET, description="null: back to list price.")
    discount_percent: Decimal | None = strawberry.UNSET
    discount_amount: Decimal | None = strawberry.UNSET
    term_months: int | None = strawberry.UNSET


@strawberry.input
class RemoveLeadProductInput:
    id: strawberry.ID


@strawberry.input
class AddLeadCompetitorInput:
    lead_id: strawberry.ID
    competitor: str
    product: str | None = strawberry.UNSET
    price: Decimal | None = strawberry.UNSET
    strengths: str | None = strawberry.UNSET
    weaknesses: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    won_the_deal: bool | None = strawberry.UNSET


@strawberry.input
class UpdateLeadCompetitorInput:
    id: strawberry.ID
    competitor: str | None = strawberry.UNSET
    product: str | None = strawberry.UNSET
    price: Decimal | None = strawberry.UNSET
    strengths: str | None = strawberry.UNSET
    weaknesses: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    won_the_deal: bool | None = strawberry.UNSET


@strawberry.input
class RemoveLeadCompetitorInput:
    id: strawberry.ID


@strawberry.type
class LeadCompetitorPayload:
    competitor: LeadCompetitorNode | None
    errors: list[UserError]


@strawberry.input
class CreateTagInput:
    name: str
    color: str | None = None


@strawberry.type
class LeadPayload:
    lead: LeadNode | None
    errors: list[UserError]


@strawberry.type
class DeleteLeadPayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.type
class LeadProductPayload:
    line: LeadProductNode | None
    lead: LeadNode | None = strawberry.field(description="The lead, with its new value.")
    errors: list[UserError]


@strawberry.type
class TagPayload:
    tag: TagNode | None
    errors: list[UserError]


LEAD_FIELDS = ("title", "description", "value", "currency", "expected_close_date", "score", "win_loss_factors")
LINE_FIELDS = ("quantity", "unit_price", "discount_percent", "discount_amount", "term_months")
COMPETITOR_FIELDS = ("competitor", "product", "price", "strengths", "weaknesses", "notes", "won_the_deal")
REFERENCE_TYPES = {
    "source_id": ("Source", "sourceId"),
    "lead_type_id": ("LeadType", "leadTypeId"),
    "sales_person_id": ("User", "salesPersonId"),
    "contact_person_id": ("Person", "contactPersonId"),
    "organization_id": ("Organization", "organizationId"),
    "pipeline_id": ("Pipeline", "pipelineId"),
    "stage_id": ("Stage", "stageId"),
}


def _lead_fields(input: CreateLeadInput | UpdateLeadInput, extra: tuple[str, ...] = ()) -> dict[str, object]:
    """The sent fields in the domain's terms, global ids decoded."""
    fields = given(input, *LEAD_FIELDS, *extra)
    for name, (type_name, api_name) in REFERENCE_TYPES.items():
        if hasattr(input, name) and getattr(input, name) is not strawberry.UNSET:
            value = getattr(input, name)
            domain_name = "person_id" if name == "contact_person_id" else name
            fields[domain_name] = decode_id(value, type_name, api_name) if value is not None else None
    if input.tag_ids is not strawberry.UNSET:
        fields["tag_ids"] = list(decode_ids(input.tag_ids, "Tag", "tagIds") or ())
    return fields


def _lead_payload(lead: Lead | None, errors: list[UserError]) -> LeadPayload:
    return LeadPayload(lead=LeadNode.from_model(lead) if lead else None, errors=errors)


def _saved_payload(info: Info, saved: SavedFilter | None, errors: list[UserError]) -> SavedFilterPayload:
    viewer = info.context.principal.user_id if info.context.principal else None
    return SavedFilterPayload(saved_filter=SavedFilterNode.from_model(saved, viewer) if saved else None, errors=errors)


def _line_payload(line: LeadProduct | None, lead: Lead | None, errors: list[UserError]) -> LeadProductPayload:
    return LeadProductPayload(
        line=LeadProductNode.from_model(line) if line else None,
        lead=LeadNode.from_model(lead) if lead else None,
        errors=errors,
    )


async def _visible_line(info: Info, session: AsyncSession, global_id: strawberry.ID) -> int:
    line = await session.get(LeadProduct, decode_id(global_id, "LeadProduct"))
    if line is None:
        raise DomainError.not_found("id", "no product line with this id")
    await ensure_visible(info, session, line.lead_id)
    return line.id


async def _visible_competitor(info: Info, session: AsyncSession, global_id: strawberry.ID) -> int:
    competitor = await session.get(LeadCompetitor, decode_id(global_id, "LeadCompetitor"))
    if competitor is None:
        raise DomainError.not_found("id", "no competitor with this id")
    await ensure_visible(info, session, competitor.lead_id)
    return competitor.id


@strawberry.type
class LeadMutations:
    @strawberry.mutation
    async def create_lead(self, info: Info, input: CreateLeadInput) -> LeadPayload:
        async def action(session: AsyncSession) -> Lead:
            principal = allowed(info, Permission.CREATE_LEADS)
            fields = _lead_fields(input, ("lost_reason",))
            fields.setdefault("sales_person_id", principal.user_id)  # the rep who adds a lead owns it
            ensure_assignable(principal, fields["sales_person_id"])  # type: ignore[arg-type]
            return await service.create_lead(session, fields, principal.user_id)

        return _lead_payload(*await run_in_transaction(info, action, LEAD_RENAMES))

    @strawberry.mutation
    async def update_lead(self, info: Info, input: UpdateLeadInput) -> LeadPayload:
        async def action(session: AsyncSession) -> Lead:
            principal = allowed(info, Permission.EDIT_LEADS)
            lead_id = decode_id(input.id, "Lead")
            await ensure_visible(info, session, lead_id)
            fields = _lead_fields(input)
            if "sales_person_id" in fields:
                ensure_assignable(principal, fields["sales_person_id"])  # type: ignore[arg-type]
            return await service.update_lead(session, lead_id, input.version, fields, principal.user_id)

        return _lead_payload(*await run_in_transaction(info, action, LEAD_RENAMES))

    @strawberry.mutation
    async def delete_lead(self, info: Info, input: DeleteLeadInput) -> DeleteLeadPayload:
        async def action(session: AsyncSession) -> strawberry.ID:
            allowed(info, Permission.DELETE_LEADS)
            lead_id = decode_id(input.id, "Lead")
            await ensure_visible(info, session, lead_id)
            await service.delete_lead(session, lead_id)
            return input.id

        deleted, errors = await run_in_transaction(info, action)
        return DeleteLeadPayload(deleted_id=deleted, errors=errors)

    @strawberry.mutation(description="Moves a lead to a stage: won sets the close date, lost needs a reason.")
    async def move_lead(self, info: Info, input: MoveLeadInput) -> LeadPayload:
        async def action(session: AsyncSession) -> Lead:
            principal = allowed(info, Permission.EDIT_LEADS)
            lead_id = decode_id(input.id, "Lead")
            await ensure_visible(info, session, lead_id)
            return await service.move_lead(
                session,
                lead_id,
                input.version,
                decode_id(input.stage_id, "Stage", "stageId"),
                reason=input.reason,
                lost_reason=input.lost_reason,
                won_value=input.won_value,
                close_date=input.close_date,
                win_loss_factors=input.win_loss_factors,
                actor_id=principal.user_id,
            )

        return _lead_payload(*await run_in_transaction(info, action))

    @strawberry.mutation
    async def add_lead_product(self, info: Info, input: AddLeadProductInput) -> LeadProductPayload:
        async def action(session: AsyncSession) -> tuple[LeadProduct, Lead]:
            principal = allowed(info, Permission.EDIT_LEADS)
            lead_id = decode_id(input.lead_id, "Lead", "leadId")
            await ensure_visible(info, session, lead_id, "leadId")
            line = await service.add_lead_product(
                session,
                lead_id,
                decode_id(input.product_id, "Product", "productId"),
                {k: v for k, v in given(input, *LINE_FIELDS).items() if v is not None},
                principal.user_id,
            )
            return line, await session.get_one(Lead, line.lead_id)

        result, errors = await run_in_transaction(info, action, {"id": "leadId"})
        line, lead = result if result else (None, None)
        return _line_payload(line, lead, errors)

    @strawberry.mutation
    async def update_lead_product(self, info: Info, input: UpdateLeadProductInput) -> LeadProductPayload:
        async def action(session: AsyncSession) -> tuple[LeadProduct, Lead]:
            principal = allowed(info, Permission.EDIT_LEADS)
            line_id = await _visible_line(info, session, input.id)
            line = await service.update_lead_product(session, line_id, given(input, *LINE_FIELDS), principal.user_id)
            return line, await session.get_one(Lead, line.lead_id)

        result, errors = await run_in_transaction(info, action)
        line, lead = result if result else (None, None)
        return _line_payload(line, lead, errors)

    @strawberry.mutation
    async def remove_lead_product(self, info: Info, input: RemoveLeadProductInput) -> LeadProductPayload:
        async def action(session: AsyncSession) -> Lead:
            principal = allowed(info, Permission.EDIT_LEADS)
            line_id = await _visible_line(info, session, input.id)
            return await service.remove_lead_product(session, line_id, principal.user_id)

        lead, errors = await run_in_transaction(info, action)
        return _line_payload(None, lead, errors)

    @strawberry.mutation(description="Records a competing offer on a lead.")
    async def add_lead_competitor(self, info: Info, input: AddLeadCompetitorInput) -> LeadCompetitorPayload:
        async def action(session: AsyncSession) -> LeadCompetitor:
            principal = allowed(info, Permission.EDIT_LEADS)
            lead_id = decode_id(input.lead_id, "Lead", "leadId")
            await ensure_visible(info, session, lead_id, "leadId")
            return await service.add_competitor(session, lead_id, given(input, *COMPETITOR_FIELDS), principal.user_id)

        competitor, errors = await run_in_transaction(info, action, {"id": "leadId"})
        return LeadCompetitorPayload(
            competitor=LeadCompetitorNode.from_model(competitor) if competitor else None, errors=errors
        )

    @strawberry.mutation
    async def update_lead_competitor(self, info: Info, input: UpdateLeadCompetitorInput) -> LeadCompetitorPayload:
        async def action(session: AsyncSession) -> LeadCompetitor:
            allowed(info, Permission.EDIT_LEADS)
            competitor_id = await _visible_competitor(info, session, input.id)
            return await service.update_competitor(session, competitor_id, given(input, *COMPETITOR_FIELDS))

        competitor, errors = await run_in_transaction(info, action)
        return LeadCompetitorPayload(
            competitor=LeadCompetitorNode.from_model(competitor) if competitor else None, errors=errors
        )

    @strawberry.mutation
    async def remove_lead_competitor(self, info: Info, input: RemoveLeadCompetitorInput) -> DeleteLeadPayload:
        async def action(session: AsyncSession) -> strawberry.ID:
            allowed(info, Permission.EDIT_LEADS)
            await service.remove_competitor(session, await _visible_competitor(info, session, input.id))
            return input.id

        deleted, errors = await run_in_transaction(info, action)
        return DeleteLeadPayload(deleted_id=deleted, errors=errors)

    @strawberry.mutation(description="Saves a filter and sort, private or shared with a team, a role or everyone.")
    async def create_saved_filter(self, info: Info, input: CreateSavedFilterInput) -> SavedFilterPayload:
        async def action(session: AsyncSession) -> SavedFilter:
            principal = allowed(info, Permission.VIEW_LEADS)
            fields = await _saved_filter_fields(session, input)
            return await saved_filters.create_saved_filter(session, principal, fields)

        return _saved_payload(info, *await run_in_transaction(info, action))

    @strawberry.mutation(description="Renames or changes one of your saved filters.")
    async def update_saved_filter(self, info: Info, input: UpdateSavedFilterInput) -> SavedFilterPayload:
        async def action(session: AsyncSession) -> SavedFilter:
            principal = allowed(info, Permission.VIEW_LEADS)
            filter_id = decode_id(input.id, "SavedFilter")
            fields = await _saved_filter_fields(session, input)
            return await saved_filters.update_saved_filter(session, principal, filter_id, fields)

        return _saved_payload(info, *await run_in_transaction(info, action))

    @strawberry.mutation
    async def delete_saved_filter(self, info: Info, input: DeleteSavedFilterInput) -> DeleteLeadPayload:
        async def action(session: AsyncSession) -> strawberry.ID:
            principal = allowed(info, Permission.VIEW_LEADS)
            await saved_filters.delete_saved_filter(session, principal, decode_id(input.id, "SavedFilter"))
            return input.id

        deleted, errors = await run_in_transaction(info, action)
        return DeleteLeadPayload(deleted_id=deleted, errors=errors)

    @strawberry.mutation
    async def create_tag(self, info: Info, input: CreateTagInput) -> TagPayload:
        async def action(session: AsyncSession) -> Tag:
            allowed(info, Permission.EDIT_LEADS)
            return await service.create_tag(session, input.name, input.color)

        tag, errors = await run_in_transaction(info, action)
        return TagPayload(tag=TagNode.from_model(tag) if tag else None, errors=errors)
