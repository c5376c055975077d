"""Aggregates over leads for analysts: count, sum, average, minimum, maximum and weighted value per group.

The same filter as every lead list applies. Sums run over integer cents, so totals are exact decimals.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Select, String, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from backend.auth.models import User
from backend.contacts.models import Organization
from backend.leads.filters import LeadFilter, lead_condition
from backend.leads.models import Lead, LeadType, Source, Tag, lead_tags
from backend.pagination import SqlExpression
from backend.pipelines.models import Pipeline, Stage

CENT = Decimal("0.01")
MAX_GROUPS = 5000


class LeadDimension(enum.StrEnum):
    STAGE = "stage"
    PIPELINE = "pipeline"
    STATUS = "status"
    SOURCE = "source"
    SOURCE_CATEGORY = "source_category"
    LEAD_TYPE = "lead_type"
    SALES_PERSON = "sales_person"
    TAG = "tag"
    INDUSTRY = "industry"
    COUNTRY = "country"
    CREATED_MONTH = "created_month"
    CREATED_WEEK = "created_week"
    EXPECTED_CLOSE_MONTH = "expected_close_month"
    LOST_REASON = "lost_reason"


class period_key(FunctionElement[str]):
    """'2026-11' for a month, the Monday '2026-11-30' for a week, of a UTC timestamp or a calendar date."""

    type = String()
    inherit_cache = True

    def __init__(self, column: Any, period: str) -> None:
        self.period = period
        super().__init__(column)


@compiles(period_key, "sqlite")
def _period_sqlite(element: period_key, compiler: Any, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    if element.period == "week":
        return f"date({column}, 'weekday 0', '-6 days')"
    return f"strftime('%Y-%m', {column})"


@compiles(period_key, "postgresql")
def _period_postgresql(element: period_key, compiler: Any, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    utc = f"({column})::timestamp" if element.period == "close_month" else f"(({column}) AT TIME ZONE 'UTC')"
    if element.period == "week":
        return f"to_char(date_trunc('week', {utc}), 'YYYY-MM-DD')"
    return f"to_char({utc}, 'YYYY-MM')"


@dataclass(frozen=True)
class GroupKey:
    dimension: LeadDimension
    id: int | None  # the object's id, for dimensions that are objects (stage, source, ...)
    value: str | None  # the raw key: a name, a month, a status; None for "none" (e.g. no source)


@dataclass(frozen=True)
class LeadGroup:
    keys: tuple[GroupKey, ...]
    count: int
    value_count: int  # leads with a value: the average is over these
    sum: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    weighted_value: Decimal

    @property
    def average(self) -> Decimal | None:
        if not self.value_count:
            return None
        return (self.sum / self.value_count).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class _Column:
    id: SqlExpression | None
    value: SqlExpression
    order: SqlExpression
    joins: tuple[str, ...] = ()


def _dimension(dimension: LeadDimension) -> _Column:
    match dimension:
        case LeadDimension.STAGE:
            return _Column(Lead.stage_id, Stage.name, Stage.position)
        case LeadDimension.PIPELINE:
            return _Column(Lead.pipeline_id, Pipeline.name, Pipeline.position, ("pipeline",))
        case LeadDimension.STATUS:
            return _Column(None, Lead.status, Lead.status)
        case LeadDimension.SOURCE:
            return _Column(Lead.source_id, Source.name, Source.name, ("source",))
        case LeadDimension.SOURCE_CATEGORY:
            return _Column(None, Source.category, Source.category, ("source",))
        case LeadDimension.LEAD_TYPE:
            return _Column(Lead.lead_type_id, LeadType.name, LeadType.name, ("lead_type",))
        case LeadDimension.SALES_PERSON:
            return _Column(Lead.sales_person_id, User.name, User.name, ("user",))
        case LeadDimension.TAG:
            return _Column(lead_tags.c.tag_id, Tag.name, Tag.name, ("tag",))
        case LeadDimension.INDUSTRY:
            return _Column(None, Organization.industry, Organization.industry, ("organization",))
        case LeadDimension.COUNTRY:
            return _Column(None, Organization.country, Organization.country, ("organization",))
        case LeadDimension.CREATED_MONTH:
            key = period_key(Lead.created_at, "month")
            return _Column(None, key, key)
        case LeadDimension.CREATED_WEEK:
            key = period_key(Lead.created_at, "week")
            return _Column(None, key, key)
        case LeadDimension.EXPECTED_CLOSE_MONTH:
            key = period_key(Lead.expected_close_date, "close_month")
            return _Column(None, key, key)
        case LeadDimension.LOST_REASON:
            return _Column(None, Lead.lost_reason, Lead.lost_reason)
    raise AssertionError(dimension)


def _join(stmt: Select[Any], joins: Sequence[str]) -> Select[Any]:
    """Outer joins, so that leads without a source (or tag, or organization) form their own group."""
    for name in dict.fromkeys(joins):
        match name:
            case "pipeline":
                stmt = stmt.join(Pipeline, Pipeline.id == Lead.pipeline_id)
            case "source":
                stmt = stmt.outerjoin(Source, Source.id == Lead.source_id)
            case "lead_type":
                stmt = stmt.outerjoin(LeadType, LeadType.id == Lead.lead_type_id)
            case "user":
                stmt = stmt.outerjoin(User, User.id == Lead.sales_person_id)
            case "tag":
                stmt = stmt.outerjoin(lead_tags, lead_tags.c.lead_id == Lead.id).outerjoin(
                    Tag, Tag.id == lead_tags.c.tag_id
                )
            case "organization":
                stmt = stmt.outerjoin(Organization, Organization.id == Lead.organization_id)
    return stmt


def _measures() -> list[ColumnElement[Any]]:
    return [
        func.count(Lead.id),
        func.count(Lead.value),
        func.sum(Lead.value),
        func.min(Lead.value),
        func.max(Lead.value),
        # cents × percent: exact integers; divided by 10^4 in Python.
        func.sum(type_coerce(Lead.value, BigInteger) * Stage.probability),
    ]


def _group(keys: tuple[GroupKey, ...], measures: Sequence[Any]) -> LeadGroup:
    count, value_count, total, minimum, maximum, weighted = measures
    return LeadGroup(
        keys=keys,
        count=int(count),
        value_count=int(value_count),
        sum=total if total is not None else Decimal("0.00"),
        minimum=minimum,
        maximum=maximum,
        weighted_value=Decimal(int(weighted or 0)).scaleb(-4).quantize(CENT, rounding=ROUND_HALF_UP),
    )


def _key_value(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


async def aggregate_leads(
    session: AsyncSession, flt: LeadFilter | None, dimensions: Sequence[LeadDimension]
) -> tuple[list[LeadGroup], LeadGroup]:
    """The groups (in each dimension's natural order) and the total over all matching leads."""
    condition = lead_condition(flt)
    base = select(*_measures()).select_from(Lead).join(Stage, Stage.id == Lead.stage_id).where(condition)
    total = _group((), (await session.execute(base)).one())
    if not dimensions:
        return [], total
    columns = [_dimension(d) for d in dict.fromkeys(dimensions)]
    selected: list[SqlExpression] = []
    for column in columns:
        selected += [column.id if column.id is not None else column.value, column.value]
    stmt = _join(base.add_columns(*selected), [j for c in columns for j in c.joins])
    stmt = stmt.group_by(*{id(e): e for c in columns for e in (c.id, c.value, c.order) if e is not None}.values())
    stmt = stmt.order_by(*(c.order.asc().nulls_last() for c in columns)).limit(MAX_GROUPS)
    groups = []
    for row in (await session.execute(stmt)).all():
        measures, rest = row[:6], row[6:]
        keys = tuple(
            GroupKey(
                dimension=d,
                id=int(rest[2 * i]) if c.id is not None and rest[2 * i] is not None else None,
                value=_key_value(rest[2 * i + 1]),
            )
            for i, (d, c) in enumerate(zip(dict.fromkeys(dimensions), columns, strict=True))
        )
        groups.append(_group(keys, measures))
    return groups, total
