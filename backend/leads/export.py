"""Exporting leads to CSV: the same filter and visibility as every list, streamed page by page."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import User
from backend.contacts.models import Organization, Person
from backend.leads.filters import LeadFilter
from backend.leads.models import Lead, LeadType, Source
from backend.leads.queries import LeadPageRequest, LeadSort, list_leads
from backend.leads.service import lead_tags_of
from backend.pipelines.models import Stage

COLUMNS = [
    "Title",
    "Value",
    "Currency",
    "Stage",
    "Status",
    "Sales person",
    "Contact person",
    "Organization",
    "Source",
    "Lead type",
    "Tags",
    "Expected close date",
    "Created at",
]
CHUNK = 500
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefixes a quote to text a spreadsheet would otherwise evaluate: "=HYPERLINK(...)" stays text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


async def _names(session: AsyncSession, model: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(model.id, model.name).where(model.id.in_(ids)))
    return {row_id: name for row_id, name in rows.all()}


async def _rows(session: AsyncSession, leads: Sequence[Lead]) -> list[list[str]]:
    """One CSV row per lead; the names behind its ids come in one query per kind of object."""

    def ids(attribute: str) -> set[int]:
        return {v for lead in leads if (v := getattr(lead, attribute)) is not None}

    names = {
        "stage": await _names(session, Stage, ids("stage_id")),
        "user": await _names(session, User, ids("sales_person_id")),
        "person": await _names(session, Person, ids("person_id")),
        "organization": await _names(session, Organization, ids("organization_id")),
        "source": await _names(session, Source, ids("source_id")),
        "type": await _names(session, LeadType, ids("lead_type_id")),
    }
    tags = await lead_tags_of(session, [lead.id for lead in leads])
    return [
        [
            lead.title,
            str(lead.value) if lead.value is not None else "",
            lead.currency,
            names["stage"].get(lead.stage_id, ""),
            lead.status.value,
            names["user"].get(lead.sales_person_id or 0, ""),
            names["person"].get(lead.person_id or 0, ""),
            names["organization"].get(lead.organization_id or 0, ""),
            names["source"].get(lead.source_id or 0, ""),
            names["type"].get(lead.lead_type_id or 0, ""),
            ", ".join(t.name for t in tags[lead.id]),
            lead.expected_close_date.isoformat() if lead.expected_close_date else "",
            lead.created_at.isoformat(),
        ]
        for lead in leads
    ]


def _line(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([neutralise(c) for c in cells])
    return buffer.getvalue()


async def export_csv(session: AsyncSession, flt: LeadFilter | None, sort: tuple[LeadSort, ...]) -> AsyncIterator[str]:
    """The header, then every matching lead, fetched by keyset pages so memory stays flat."""
    yield _line(COLUMNS)
    after = None
    while True:
        page = await list_leads(session, LeadPageRequest(filter=flt, sort=sort, first=CHUNK, after=after))
        for row in await _rows(session, page.items):
            yield _line(row)
        if not page.has_next_page:
            return
        after = page.cursors[-1]
