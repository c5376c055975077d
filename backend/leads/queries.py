"""Reading leads: keyset pages for the list and the board, counts and column totals."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import User
from backend.contacts.models import Organization, Person
from backend.leads.filters import IdCondition, LeadFilter, lead_condition
from backend.leads.models import Lead, LeadStageTotal, LeadType, Source, Tag, lead_tags
from backend.pagination import (
    Page,
    SortKey,
    SqlExpression,
    after_predicate,
    decode_cursor,
    encode_cursor,
    order_clauses,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_str,
)
from backend.pipelines.models import Stage


class LeadSortField(enum.StrEnum):
    TITLE = "title"
    VALUE = "value"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    EXPECTED_CLOSE_DATE = "expected_close_date"
    STAGE_ENTERED_AT = "stage_entered_at"
    SCORE = "score"
    STAGE = "stage"
    SALES_PERSON = "sales_person"
    CONTACT_PERSON = "contact_person"
    ORGANIZATION = "organization"
    SOURCE = "source"
    LEAD_TYPE = "lead_type"
    TAGS = "tags"


@dataclass(frozen=True)
class LeadSort:
    field: LeadSortField
    descending: bool = False
    nulls_last: bool = True


CENT = Decimal("0.01")
DEFAULT_SORT = (LeadSort(LeadSortField.CREATED_AT, descending=True),)


def _name_of(model: Any, fk: SqlExpression) -> SqlExpression:
    return select(model.name).where(model.id == fk).correlate(Lead).scalar_subquery()


def _sort_expression(sort_field: LeadSortField) -> tuple[SqlExpression, Any]:
    """The SQL expression a sort field orders by, and how a cursor value of it is parsed."""
    match sort_field:
        case LeadSortField.TITLE:
            return Lead.title, parse_str
        case LeadSortField.VALUE:
            return Lead.value, parse_decimal
        case LeadSortField.CREATED_AT:
            return Lead.created_at, parse_datetime
        case LeadSortField.UPDATED_AT:
            return Lead.updated_at, parse_datetime
        case LeadSortField.EXPECTED_CLOSE_DATE:
            return Lead.expected_close_date, parse_date
        case LeadSortField.STAGE_ENTERED_AT:
            return Lead.stage_entered_at, parse_datetime
        case LeadSortField.SCORE:
            return Lead.score, parse_int
        case LeadSortField.STAGE:
            stage_position = select(Stage.position).where(Stage.id == Lead.stage_id).correlate(Lead)
            return stage_position.scalar_subquery(), parse_int
        case LeadSortField.SALES_PERSON:
            return _name_of(User, Lead.sales_person_id), parse_str
        case LeadSortField.CONTACT_PERSON:
            return _name_of(Person, Lead.person_id), parse_str
        case LeadSortField.ORGANIZATION:
            return _name_of(Organization, Lead.organization_id), parse_str
        case LeadSortField.SOURCE:
            return _name_of(Source, Lead.source_id), parse_str
        case LeadSortField.LEAD_TYPE:
            return _name_of(LeadType, Lead.lead_type_id), parse_str
        case LeadSortField.TAGS:
            # Alphabetically first tag name: leads sort by the tags they carry, untagged ones as NULL.
            first_tag = (
                select(func.min(Tag.name))
                .join(lead_tags, lead_tags.c.tag_id == Tag.id)
                .where(lead_tags.c.lead_id == Lead.id)
                .correlate(Lead)
            )
            return first_tag.scalar_subquery(), parse_str
    raise AssertionError(sort_field)


def sort_keys(sorts: Sequence[LeadSort] | None) -> list[SortKey]:
    """The ORDER BY terms for a sort, with the id last so that ties have a stable order."""
    sorts = tuple(sorts) if sorts else DEFAULT_SORT
    keys = []
    for sort in sorts:
        expr, parse = _sort_expression(sort.field)
        keys.append(SortKey(sort.field.value, expr, sort.descending, sort.nulls_last, parse))
    keys.append(SortKey("id", Lead.id, sorts[-1].descending, True, parse_int))
    return keys


def _key_values(keys: Sequence[SortKey], row: Any) -> list[Any]:
    return list(row[1 : 1 + len(keys)])


@dataclass(frozen=True)
class LeadPageRequest:
    """What one page of leads is: filter, sort, size, and the cursor to continue after."""

    filter: LeadFilter | None = None
    sort: tuple[LeadSort, ...] = DEFAULT_SORT
    first: int = 20
    after: str | None = None


def _page_select(request: LeadPageRequest, keys: list[SortKey]) -> Any:
    stmt = select(Lead, *(k.expr for k in keys)).where(lead_condition(request.filter, bounded=True))
    if request.after is not None:
        stmt = stmt.where(after_predicate(keys, decode_cursor(keys, request.after)))
    return stmt


def _to_page(rows: Sequence[Any], keys: list[SortKey], request: LeadPageRequest) -> Page[Lead]:
    has_next = len(rows) > request.first
    rows = rows[: request.first]
    return Page(
        items=[row[0] for row in rows],
        cursors=[encode_cursor(keys, _key_values(keys, row)) for row in rows],
        has_next_page=has_next,
        has_previous_page=request.after is not None,
    )


async def list_leads(session: AsyncSession, request: LeadPageRequest) -> Page[Lead]:
    keys = sort_keys(request.sort)
    stmt = _page_select(request, keys).order_by(*order_clauses(keys)).limit(request.first + 1)
    rows = (await session.execute(stmt)).all()
    return _to_page(rows, keys, request)


async def grouped_pages(
    session: AsyncSession, group_column: Any, group_ids: Sequence[int], request: LeadPageRequest
) -> dict[int, Page[Lead]]:
    """One page of leads for each stage (or contact person), in one statement: a UNION ALL of bounded queries.

    Each branch walks the (group column, sort key, id) index and stops after first + 1 rows, so the cost does
    not grow with the number of leads in a group (a window function over all of them would).
    """
    if not group_ids:
        return {}
    keys = sort_keys(request.sort)
    condition = lead_condition(request.filter, bounded=True)
    if request.after is not None:
        condition = and_(condition, after_predicate(keys, decode_cursor(keys, request.after)))
    branches = [
        select(Lead.id.label("lead_id"))
        .where(group_column == group_id, condition)
        .order_by(*order_clauses(keys))
        .limit(request.first + 1)
        .subquery()
        .select()
        for group_id in group_ids
    ]
    page_ids = (union_all(*branches) if len(branches) > 1 else branches[0]).subquery()
    stmt = (
        select(Lead, *(k.expr for k in keys))
        .join(page_ids, page_ids.c.lead_id == Lead.id)
        .order_by(group_column, *order_clauses(keys))
    )
    column_name = group_column.key
    rows_by_group: dict[int, list[Any]] = {group_id: [] for group_id in group_ids}
    for row in (await session.execute(stmt)).all():
        rows_by_group[getattr(row[0], column_name)].append(row)
    return {group_id: _to_page(rows, keys, request) for group_id, rows in rows_by_group.items()}


@dataclass(frozen=True)
class LeadTotals:
    """How many leads, their total value, and their weighted value (value × stage probability)."""

    count: int
    value: Decimal
    weighted_value: Decimal

    def __add__(self, other: LeadTotals) -> LeadTotals:
        return LeadTotals(
            self.count + other.count, self.value + other.value, self.weighted_value + other.weighted_value
        )


NO_LEADS = LeadTotals(0, Decimal("0.00"), Decimal("0.00"))


@dataclass(frozen=True)
class OwnerScope:
    """A filter that only limits whose leads count: what the maintained stage totals can answer."""

    # None: everyone's leads, unassigned ones included.
    owner_ids: tuple[int, ...] | None


def owner_scope(flt: LeadFilter | None) -> OwnerScope | None:
    """The filter as a set of sales persons when that is all it says (no filter, or a principal's visibility
    scope: `Principal.lead_scope()`), else None."""
    if flt is None:
        return OwnerScope(None)
    owners = flt.sales_person.in_ if flt.sales_person is not None else None
    if owners is not None and flt == LeadFilter(sales_person=IdCondition(in_=owners)):
        return OwnerScope(owners)
    return None


def _maintained_totals(scope: OwnerScope, stage_ids: Sequence[int] | None) -> Any:
    """Count and value per stage from lead_stage_totals: a few rows per stage, however many leads there are."""
    stmt = (
        select(
            LeadStageTotal.stage_id,
            Stage.probability,
            func.sum(LeadStageTotal.lead_count),
            func.sum(LeadStageTotal.value_sum),
        )
        .join(Stage, Stage.id == LeadStageTotal.stage_id)
        .group_by(LeadStageTotal.stage_id, Stage.probability)
    )
    if scope.owner_ids is not None:
        stmt = stmt.where(LeadStageTotal.sales_person_key.in_(scope.owner_ids))
    if stage_ids is not None:
        stmt = stmt.where(LeadStageTotal.stage_id.in_(stage_ids))
    return stmt


def _counted_totals(flt: LeadFilter | None, stage_ids: Sequence[int] | None) -> Any:
    """Count and value per stage of the leads matching any filter: a GROUP BY over every match."""
    stmt = (
        select(Lead.stage_id, Stage.probability, func.count(), func.sum(Lead.value))
        .join(Stage, Stage.id == Lead.stage_id)
        .where(lead_condition(flt))
        .group_by(Lead.stage_id, Stage.probability)
    )
    if stage_ids is not None:
        stmt = stmt.where(Lead.stage_id.in_(stage_ids))
    return stmt


async def totals_by_stage(
    session: AsyncSession, flt: LeadFilter | None, stage_ids: Sequence[int] | None = None
) -> dict[int, LeadTotals]:
    """Count, value and weighted value per stage of the leads matching the filter: the board's column headers,
    and (summed) the totals of any lead list. Exact: sums run over integer cents; the weighted value is rounded
    once per stage. Without a filter of the user's own, the maintained totals answer it in constant time."""
    scope = owner_scope(flt)
    stmt = _maintained_totals(scope, stage_ids) if scope is not None else _counted_totals(flt, stage_ids)
    totals = dict.fromkeys(stage_ids or (), NO_LEADS)
    for stage_id, probability, count, value in (await session.execute(stmt)).all():
        value = value if value is not None else Decimal("0.00")
        weighted = (value * probability / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        totals[stage_id] = LeadTotals(int(count), value, weighted)
    return totals


async def count_leads(session: AsyncSession, flt: LeadFilter | None, at_most: int) -> int:
    """How many leads match, counting no further than at_most + 1: the cost is that of finding at_most + 1
    matches, not of every match in the table ("500+" is all a list screen needs to say beyond that)."""
    matches = select(Lead.id).where(lead_condition(flt, bounded=True)).limit(at_most + 1).subquery()
    count: int = (await session.execute(select(func.count()).select_from(matches))).scalar_one()
    return count


async def lead_totals(session: AsyncSession, flt: LeadFilter | None) -> LeadTotals:
    return sum((await totals_by_stage(session, flt)).values(), NO_LEADS)
