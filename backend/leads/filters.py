"""The lead filter language in plain Python, and its compilation to one SQL condition.

One structure serves the list, the board, saved filters, aggregates and exports: whatever reaches leads
goes through `lead_condition`.
"""

from __future__ import annotations

import enum
import operator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, String, and_, cast, false, func, not_, or_, select, true

from backend.contacts.models import Organization, Person
from backend.db import days_since, utcnow
from backend.errors import DomainError
from backend.leads.models import Lead, LeadStatus, Source, lead_tags
from backend.pagination import SqlExpression
from backend.pipelines.models import Pipeline


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


class RelativePeriod(enum.StrEnum):
    """Date ranges kept relative: they are resolved on the day the filter runs, in its time zone."""

    TODAY = "today"
    YESTERDAY = "yesterday"
    TOMORROW = "tomorrow"
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    NEXT_WEEK = "next_week"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    NEXT_MONTH = "next_month"
    THIS_QUARTER = "this_quarter"
    THIS_YEAR = "this_year"
    LAST_N_DAYS = "last_n_days"  # today and the n days before it
    NEXT_N_DAYS = "next_n_days"  # today and the n days after it
    OVERDUE = "overdue"  # before today


@dataclass(frozen=True)
class RelativeDate:
    period: RelativePeriod
    days: int | None = None
    time_zone: str = "UTC"


@dataclass(frozen=True)
class DateRange(Range):
    """A Range on a date or timestamp that may instead be relative to the day it runs."""

    relative: RelativeDate | None = None


@dataclass(frozen=True)
class TextCondition:
    """Case-insensitive text matching."""

    eq: str | None = None
    in_: tuple[str, ...] | None = None
    not_in: tuple[str, ...] | None = None
    contains: str | None = None
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
    source_category: EnumCondition | None = None
    value: Range | None = None
    expected_close_date: DateRange | None = None
    created_at: DateRange | None = None
    tags: TagCondition | None = None
    industry: TextCondition | None = None
    country: TextCondition | None = None
    region: TextCondition | None = None
    city: TextCondition | None = None
    company_size: Range | None = None
    lost_reason: TextCondition | None = None
    days_in_stage: Range | None = None
    is_rotting: bool | None = None
    temperature: EnumCondition | None = None
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


def _text(column: SqlExpression, cond: TextCondition) -> list[ColumnElement[bool]]:
    lowered = func.lower(column)
    terms: list[ColumnElement[bool]] = []
    if cond.eq is not None:
        terms.append(lowered == cond.eq.lower())
    if cond.in_ is not None:
        terms.append(lowered.in_([v.lower() for v in cond.in_]))
    if cond.not_in is not None:
        terms.append(or_(lowered.not_in([v.lower() for v in cond.not_in]), column.is_(None)))
    if cond.contains is not None:
        terms.append(column.icontains(cond.contains, autoescape=True))
    if cond.is_null is not None:
        terms.append(column.is_(None) if cond.is_null else column.is_not(None))
    return terms


def _bounds(cond: Range, path: str) -> list[tuple[str, Any]]:
    low = cond.gte if cond.gte is not None else cond.gt
    high = cond.lte if cond.lte is not None else cond.lt
    if low is not None and high is not None and low > high:
        raise DomainError.bad_input(path, f"the range's low end ({low}) is above its high end ({high})")
    return [(op, getattr(cond, op)) for op in ("eq", "gte", "lte", "gt", "lt") if getattr(cond, op) is not None]


MAX_DAYS = 36_600
COMPARISONS = {"eq": operator.eq, "gte": operator.ge, "lte": operator.le, "gt": operator.gt, "lt": operator.lt}


def _compare(column: SqlExpression, op: str, bound: Any) -> ColumnElement[bool]:
    comparison: ColumnElement[bool] = COMPARISONS[op](column, bound)
    return comparison


def _range(column: SqlExpression, cond: Range, path: str) -> list[ColumnElement[bool]]:
    terms = [_compare(column, op, bound) for op, bound in _bounds(cond, path)]
    if cond.is_null is not None:
        terms.append(column.is_(None) if cond.is_null else column.is_not(None))
    return terms


def _zone(relative: RelativeDate, path: str) -> ZoneInfo:
    try:
        return ZoneInfo(relative.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError.bad_input(f"{path}.timeZone", f"unknown time zone {relative.time_zone!r}") from None


def relative_dates(relative: RelativeDate, today: date, path: str = "filter") -> tuple[date | None, date | None]:
    """The first and last calendar day (inclusive) a relative period covers on `today`."""
    period, n = relative.period, relative.days
    if period in (RelativePeriod.LAST_N_DAYS, RelativePeriod.NEXT_N_DAYS) and (n is None or n < 0 or n > 36_600):
        raise DomainError.bad_input(f"{path}.days", "give the number of days (0 to 36600) for this period")
    monday = today - timedelta(days=today.weekday())
    month = today.replace(day=1)
    quarter = month.replace(month=3 * ((today.month - 1) // 3) + 1)
    match period:
        case RelativePeriod.TODAY:
            return today, today
        case RelativePeriod.YESTERDAY:
            return today - timedelta(days=1), today - timedelta(days=1)
        case RelativePeriod.TOMORROW:
            return today + timedelta(days=1), today + timedelta(days=1)
        case RelativePeriod.THIS_WEEK:
            return monday, monday + timedelta(days=6)
        case RelativePeriod.LAST_WEEK:
            return monday - timedelta(days=7), monday - timedelta(days=1)
        case RelativePeriod.NEXT_WEEK:
            return monday + timedelta(days=7), monday + timedelta(days=13)
        case RelativePeriod.THIS_MONTH:
            return month, _add_months(month, 1) - timedelta(days=1)
        case RelativePeriod.LAST_MONTH:
            return _add_months(month, -1), month - timedelta(days=1)
        case RelativePeriod.NEXT_MONTH:
            return _add_months(month, 1), _add_months(month, 2) - timedelta(days=1)
        case RelativePeriod.THIS_QUARTER:
            return quarter, _add_months(quarter, 3) - timedelta(days=1)
        case RelativePeriod.THIS_YEAR:
            return today.replace(month=1, day=1), today.replace(month=12, day=31)
        case RelativePeriod.LAST_N_DAYS:
            return today - timedelta(days=n or 0), today
        case RelativePeriod.NEXT_N_DAYS:
            return today, today + timedelta(days=n or 0)
        case RelativePeriod.OVERDUE:
            return None, today - timedelta(days=1)
    raise AssertionError(period)


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _date_range(
    column: SqlExpression, cond: DateRange, path: str, now: datetime, *, timestamps: bool
) -> list[ColumnElement[bool]]:
    """Absolute bounds, plus a relative period resolved now: calendar days of the filter's time zone.

    A date column is compared as a calendar date (never shifted by a time zone); a timestamp column is compared
    with the UTC instants at which those local days begin and end."""
    terms = _range(column, cond, path)
    if cond.relative is None:
        return terms
    zone = _zone(cond.relative, f"{path}.relative")
    first, last = relative_dates(cond.relative, now.astimezone(zone).date(), f"{path}.relative")
    if not timestamps:
        terms += [_compare(column, "gte", first)] if first else []
        terms += [_compare(column, "lte", last)] if last else []
        return terms
    terms += [_compare(column, "gte", datetime.combine(first, time.min, zone))] if first else []
    terms += [_compare(column, "lt", datetime.combine(last + timedelta(days=1), time.min, zone))] if last else []
    return terms


def _tagged(tag_ids: tuple[int, ...] | None, bounded: bool) -> ColumnElement[bool]:
    """Leads carrying one of the tags (None: any tag).

    A bounded query (a page, a capped count) walks an index in its own order and stops early, so it probes each
    lead it meets (EXISTS on lead_tags' primary key); the IN list would first collect every tagged lead in the
    table. An exhaustive one (totals, aggregates) meets every candidate anyway, and there the list, built once,
    is cheaper than a probe per lead. Measured on 1M leads: a list page 0.4 ms against 132 ms, board totals
    2.9 s against 470 ms."""
    query = select(lead_tags.c.lead_id)
    if tag_ids is not None:
        query = query.where(lead_tags.c.tag_id.in_(tag_ids))
    if bounded:
        return query.where(lead_tags.c.lead_id == Lead.id).exists()
    return Lead.id.in_(query)


def _tags(cond: TagCondition, bounded: bool) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = []
    if cond.any_of is not None:
        terms.append(_tagged(cond.any_of, bounded))
    for tag_id in cond.all_of or ():
        terms.append(_tagged((tag_id,), bounded))
    if cond.none_of is not None:
        terms.append(not_(_tagged(cond.none_of, bounded)))
    if cond.is_empty is not None:
        any_tag = _tagged(None, bounded)
        terms.append(not_(any_tag) if cond.is_empty else any_tag)
    return terms


def _of_organization(terms: list[ColumnElement[bool]], *, or_missing: bool) -> ColumnElement[bool]:
    """Leads whose organization matches; `or_missing` also takes leads without one (for "is empty")."""
    matching = Lead.organization_id.in_(select(Organization.id).where(*terms))
    return or_(Lead.organization_id.is_(None), matching) if or_missing else matching


def _holds_for_empty(cond: TextCondition) -> bool:
    """Whether a lead without an organization (so without a value here) passes: as SQL NULL would, with
    "not in" and "is empty" taking it and every other operator leaving it out."""
    refuses = cond.eq is not None or cond.in_ is not None or cond.contains is not None or cond.is_null is False
    return not refuses and (cond.not_in is not None or cond.is_null is True)


def _organization(flt: LeadFilter, path: str) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = []
    texts = [
        (Organization.industry, flt.industry),
        (Organization.country, flt.country),
        (Organization.region, flt.region),
        (Organization.city, flt.city),
    ]
    for column, text_cond in texts:
        if text_cond is not None:
            terms.append(_of_organization(_text(column, text_cond), or_missing=_holds_for_empty(text_cond)))
    if flt.company_size is not None:
        size = flt.company_size
        terms.append(
            _of_organization(
                _range(Organization.employee_count, size, f"{path}.companySize"), or_missing=size.is_null is True
            )
        )
    return terms


def _days_in_stage(cond: Range, path: str, now: datetime) -> list[ColumnElement[bool]]:
    """Whole days in the stage, as the API shows them: at least N <=> entered at least N days ago."""
    terms: list[ColumnElement[bool]] = []
    for op, days in _bounds(cond, path):
        if not 0 <= days <= MAX_DAYS:
            raise DomainError.bad_input(path, f"days in stage are between 0 and {MAX_DAYS}")
        if op in ("gte", "eq"):
            terms.append(Lead.stage_entered_at <= now - timedelta(days=days))
        if op in ("lte", "eq"):
            terms.append(Lead.stage_entered_at > now - timedelta(days=days + 1))
        if op == "gt":
            terms.append(Lead.stage_entered_at <= now - timedelta(days=days + 1))
        if op == "lt":
            terms.append(Lead.stage_entered_at > now - timedelta(days=days))
    return terms


def _rotting(is_rotting: bool, now: datetime) -> ColumnElement[bool]:
    """Open, and longer in its stage than its pipeline's rotting days (whole days, as Lead.isRotting)."""
    rotting = and_(
        Lead.status == LeadStatus.OPEN,
        Pipeline.rotting_days.is_not(None),
        days_since(Lead.stage_entered_at, now) >= Pipeline.rotting_days + 1,
    )
    matching = Lead.pipeline_id.in_(select(Pipeline.id).where(Pipeline.id == Lead.pipeline_id, rotting))
    return matching if is_rotting else not_(matching)


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


def lead_condition(
    flt: LeadFilter | None, path: str = "filter", now: datetime | None = None, *, bounded: bool = False
) -> ColumnElement[bool]:
    """Compiles a filter into one WHERE condition; a filter that cannot be right raises BAD_USER_INPUT.

    Relative dates are resolved against `now` (default: this moment), so a saved filter stays relative.
    `bounded`: for a query that stops after a few rows (a page, a capped count); see `_tagged`."""
    if flt is None:
        return true()
    now = now or utcnow()
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
    if flt.temperature is not None:
        terms.extend(_enum(Lead.temperature, flt.temperature))
    if flt.source_category is not None:
        categories = select(Source.id).where(*_enum(Source.category, flt.source_category))
        terms.append(Lead.source_id.in_(categories))
    if flt.value is not None:
        terms.extend(_range(Lead.value, flt.value, f"{path}.value"))
    if flt.expected_close_date is not None:
        terms.extend(
            _date_range(
                Lead.expected_close_date, flt.expected_close_date, f"{path}.expectedCloseDate", now, timestamps=False
            )
        )
    if flt.created_at is not None:
        terms.extend(_date_range(Lead.created_at, flt.created_at, f"{path}.createdAt", now, timestamps=True))
    if flt.tags is not None:
        terms.extend(_tags(flt.tags, bounded))
    terms.extend(_organization(flt, path))
    if flt.lost_reason is not None:
        terms.extend(_text(Lead.lost_reason, flt.lost_reason))
    if flt.days_in_stage is not None:
        terms.extend(_days_in_stage(flt.days_in_stage, f"{path}.daysInStage", now))
    if flt.is_rotting is not None:
        terms.append(_rotting(flt.is_rotting, now))
    if flt.search is not None and flt.search.strip():
        terms.append(_search(flt.search.strip()))
    terms.extend(lead_condition(f, f"{path}.and[{i}]", now, bounded=bounded) for i, f in enumerate(flt.and_))
    if flt.or_:
        terms.append(or_(*(lead_condition(f, f"{path}.or[{i}]", now, bounded=bounded) for i, f in enumerate(flt.or_))))
    if flt.not_ is not None:
        # A lead the inner filter does not select (including through a NULL, SQL's "unknown") is selected by
        # its negation: `not` is the complement of what the filter shows.
        inner = lead_condition(flt.not_, f"{path}.not", now, bounded=bounded)
        terms.append(not_(func.coalesce(inner, false())))
    return and_(true(), *terms)
