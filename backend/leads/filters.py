"""The lead filter language in plain Python, and its compilation to one SQL condition.

One structure serves the list, the board, saved filters, aggregates and exports: whatever reaches leads
goes through `lead_condition`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, not_, or_, select, true

from backend.contacts.models import Organization, Person
from backend.errors import DomainError
from backend.leads.models import Lead, lead_tags
from backend.pagination import SqlExpression


@dataclass(frozen=True)
class IdCondition:
    eq: int | None = None
    in_: tuple[int, ...] | None = None
    not_in: tuple[int, ...] | None = None
    # True: only leads without one (e.g. unassigned); False: only leads with one.
    is_null: bool | None = None


@dataclass(frozen=True)
class EnumCondition:
    eq: enum.Enum | None = None
    in_: tuple[enum.Enum, ...] | None = None
    not_in: tuple[enum.Enum, ...] | None = None


@dataclass(frozen=True)
class Range:
    """Bounds on an ordered value (a decimal, a date, a timestamp)."""

    eq: Any = None
    gte: Any = None
    lte: Any = None
    gt: Any = None
    lt: Any = None
    is_null: bool | None = None


@dataclass(frozen=True)
class TagCondition:
    any_of: tuple[int, ...] | None = None
    all_of: tuple[int, ...] | None = None
    none_of: tuple[int, ...] | None = None
    # True: leads without any tag; False: leads with at least one.
    is_empty: bool | None = None


@dataclass(frozen=True)
class LeadFilter:
    and_: tuple[LeadFilter, ...] = ()
    or_: tuple[LeadFilter, ...] = ()
    not_: LeadFilter | None = None
    id: IdCondition | None = None
    pipeline: IdCondition | None = None
    stage: IdCondition | None = None
    status: EnumCondition | None = None
    sales_person: IdCondition | None = None
    contact_person: IdCondition | None = None
    organization: IdCondition | None = None
    source: IdCondition | None = None
    lead_type: IdCondition | None = None
    value: Range | None = None
    expected_close_date: Range | None = None
    created_at: Range | None = None
    tags: TagCondition | None = None
    search: str | None = None


def _ids(column: SqlExpression, cond: IdCondition) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = []
    if cond.eq is not None:
        terms.append(column == cond.eq)
    if cond.in_ is not None:
        terms.append(column.in_(cond.in_))
    if cond.not_in is not None:
        # NOT IN never matches NULL in SQL; a lead with no value here is "not in" the list.
        terms.append(or_(column.not_in(cond.not_in), column.is_(None)))
    if cond.is_null is not None:
        terms.append(column.is_(None) if cond.is_null else column.is_not(None))
    return terms


def _enum(column: SqlExpression, cond: EnumCondition) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = []
    if cond.eq is not None:
        terms.append(column == cond.eq)
    if cond.in_ is not None:
        terms.append(column.in_(cond.in_))
    if cond.not_in is not None:
        terms.append(column.not_in(cond.not_in))
    return terms


def _range(column: SqlExpression, cond: Range, path: str) -> list[ColumnElement[bool]]:
    low = cond.gte if cond.gte is not None else cond.gt
    high = cond.lte if cond.lte is not None else cond.lt
    if low is not None and high is not None and low > high:
        raise DomainError.bad_input(path, f"the range's low end ({low}) is above its high end ({high})")
    terms: list[ColumnElement[bool]] = []
    for op, bound in (("eq", cond.eq), ("gte", cond.gte), ("lte", cond.lte), ("gt", cond.gt), ("lt", cond.lt)):
        if bound is None:
            continue
        terms.append(
            {
                "eq": column == bound,
                "gte": column >= bound,
                "lte": column <= bound,
                "gt": column > bound,
                "lt": column < bound,
            }[op]
        )
    if cond.is_null is not None:
        terms.append(column.is_(None) if cond.is_null else column.is_not(None))
    return terms


def _tagged(tag_ids: tuple[int, ...]) -> Any:
    return select(lead_tags.c.lead_id).where(lead_tags.c.tag_id.in_(tag_ids))


def _tags(cond: TagCondition) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = []
    if cond.any_of is not None:
        terms.append(Lead.id.in_(_tagged(cond.any_of)))
    for tag_id in cond.all_of or ():
        terms.append(Lead.id.in_(_tagged((tag_id,))))
    if cond.none_of is not None:
        terms.append(Lead.id.not_in(_tagged(cond.none_of)))
    if cond.is_empty is not None:
        any_tag = select(lead_tags.c.lead_id)
        terms.append(Lead.id.not_in(any_tag) if cond.is_empty else Lead.id.in_(any_tag))
    return terms


def _search(term: str) -> ColumnElement[bool]:
    """Title, description, contact person (name, emails, phones) and organization name contain the term."""
    persons = select(Person.id).where(
        or_(
            Person.name.icontains(term, autoescape=True),
            cast(Person.emails, String).icontains(term, autoescape=True),
            cast(Person.phones, String).icontains(term, autoescape=True),
        )
    )
    organizations = select(Organization.id).where(Organization.name.icontains(term, autoescape=True))
    return or_(
        Lead.title.icontains(term, autoescape=True),
        Lead.description.icontains(term, autoescape=True),
        Lead.person_id.in_(persons),
        Lead.organization_id.in_(organizations),
    )


def lead_condition(flt: LeadFilter | None, path: str = "filter") -> ColumnElement[bool]:
    """Compiles a filter into one WHERE condition; a filter that cannot be right raises BAD_USER_INPUT."""
    if flt is None:
        return true()
    terms: list[ColumnElement[bool]] = []
    columns: list[tuple[SqlExpression, IdCondition | None]] = [
        (Lead.id, flt.id),
        (Lead.pipeline_id, flt.pipeline),
        (Lead.stage_id, flt.stage),
        (Lead.sales_person_id, flt.sales_person),
        (Lead.person_id, flt.contact_person),
        (Lead.organization_id, flt.organization),
        (Lead.source_id, flt.source),
        (Lead.lead_type_id, flt.lead_type),
    ]
    for column, cond in columns:
        if cond is not None:
            terms.extend(_ids(column, cond))
    if flt.status is not None:
        terms.extend(_enum(Lead.status, flt.status))
    if flt.value is not None:
        terms.extend(_range(Lead.value, flt.value, f"{path}.value"))
    if flt.expected_close_date is not None:
        terms.extend(_range(Lead.expected_close_date, flt.expected_close_date, f"{path}.expectedCloseDate"))
    if flt.created_at is not None:
        terms.extend(_range(Lead.created_at, flt.created_at, f"{path}.createdAt"))
    if flt.tags is not None:
        terms.extend(_tags(flt.tags))
    if flt.search is not None and flt.search.strip():
        terms.append(_search(flt.search.strip()))
    terms.extend(lead_condition(f, f"{path}.and[{i}]") for i, f in enumerate(flt.and_))
    if flt.or_:
        terms.append(or_(*(lead_condition(f, f"{path}.or[{i}]") for i, f in enumerate(flt.or_))))
    if flt.not_ is not None:
        terms.append(not_(lead_condition(flt.not_, f"{path}.not")))
    return and_(true(), *terms)
