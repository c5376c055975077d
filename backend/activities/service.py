"""Writing and reading a lead's timeline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.activities.models import USER_ACTIVITY_KINDS, Activity, ActivityKind
from backend.errors import DomainError, Problems
from backend.leads.models import Lead
from backend.pagination import (
    Page,
    SortKey,
    after_predicate,
    decode_cursor,
    encode_cursor,
    order_clauses,
    parse_datetime,
    parse_int,
)
from backend.validation import text

TIMELINE_KEYS = [
    SortKey("created_at", Activity.created_at, descending=True, parse=parse_datetime),
    SortKey("id", Activity.id, descending=True, parse=parse_int),
]


def record(
    session: AsyncSession,
    lead_id: int,
    kind: ActivityKind,
    data: dict[str, Any] | None = None,
    *,
    actor_id: int | None = None,
    title: str | None = None,
    body: str | None = None,
) -> Activity:
    """Adds a system entry (stage change, field change...) to the session's transaction."""
    activity = Activity(lead_id=lead_id, kind=kind, data=data or {}, actor_id=actor_id, title=title, body=body)
    session.add(activity)
    return activity


async def add_activity(
    session: AsyncSession,
    lead_id: int,
    kind: ActivityKind,
    title: str | None,
    body: str | None,
    actor_id: int | None = None,
) -> Activity:
    """A note, call, meeting, email or task a person logs on a lead."""
    problems = Problems()
    if kind not in USER_ACTIVITY_KINDS:
        problems.add("kind", "only notes, calls, meetings, emails and tasks can be logged by hand")
    clean_title = text(problems, "title", title, max_length=300)
    clean_body = text(problems, "body", body, max_length=20_000)
    if clean_title is None and clean_body is None:
        problems.add("body", "a timeline entry needs a title or a body")
    lead = await session.get(Lead, lead_id)
    if lead is None:
        raise DomainError.not_found("leadId", "no lead with this id")
    problems.raise_if_any()
    activity = record(session, lead_id, kind, actor_id=actor_id, title=clean_title, body=clean_body)
    await session.flush()
    return activity


async def lead_timelines(
    session: AsyncSession, lead_ids: Sequence[int], first: int, after: str | None = None
) -> dict[int, Page[Activity]]:
    """A page of several leads' timelines, newest first, in one statement (for a DataLoader)."""
    rank = func.row_number().over(partition_by=Activity.lead_id, order_by=order_clauses(TIMELINE_KEYS)).label("rank")
    condition: ColumnElement[bool] = Activity.lead_id.in_(lead_ids)
    if after is not None:
        condition = and_(condition, after_predicate(TIMELINE_KEYS, decode_cursor(TIMELINE_KEYS, after)))
    ranked = select(Activity.id, rank).where(condition).subquery()
    stmt = (
        select(Activity)
        .join(ranked, ranked.c.id == Activity.id)
        .where(ranked.c.rank <= first + 1)
        .order_by(Activity.lead_id, *order_clauses(TIMELINE_KEYS))
    )
    by_lead: dict[int, list[Activity]] = {lead_id: [] for lead_id in lead_ids}
    for activity in (await session.execute(stmt)).scalars():
        by_lead[activity.lead_id].append(activity)
    return {
        lead_id: Page(
            items=items[:first],
            cursors=[encode_cursor(TIMELINE_KEYS, [a.created_at, a.id]) for a in items[:first]],
            has_next_page=len(items) > first,
            has_previous_page=after is not None,
        )
        for lead_id, items in by_lead.items()
    }
