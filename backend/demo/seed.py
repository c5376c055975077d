"""`enterpristore seed-demo` and `serve --seed-if-empty`: write the demo data set in one bulk transaction."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from backend.activities.models import Activity
from backend.auth.models import User
from backend.contacts.models import Organization, Person
from backend.db import Base, create_engine, create_session_factory, write_transaction
from backend.demo import catalog
from backend.demo.dataset import DemoData, generate
from backend.demo.leads import Pipeline
from backend.leads.models import Lead, LeadProduct, LeadType, Source, Tag, lead_tags
from backend.pipelines.models import Pipeline as PipelineModel
from backend.pipelines.models import StageKind
from backend.pipelines.service import default_pipeline, stages_of
from backend.products.models import Product
from backend.settings import Settings

# Any constant: PostgreSQL sessions that seed at the same time take turns on it.
SEED_LOCK = 7_316_001
# What `make run` loads into an empty database.
DEFAULT_LEADS = 3000
DEFAULT_SEED = 42


async def seed_demo(settings: Settings, leads: int = 3000, seed: int = 42, today: date | None = None) -> str:
    """Adds the demo data set (deterministic for seed and today) and returns a one-paragraph summary."""
    summary = await _run(settings, leads, seed, today, only_if_empty=False)
    assert summary is not None
    return summary


async def seed_if_empty(settings: Settings) -> None:
    """Loads the default demo data set into a database that has no leads yet, and says what it did."""
    summary = await _run(settings, DEFAULT_LEADS, DEFAULT_SEED, None, only_if_empty=True)
    print(summary or "the database has leads already: no demo data loaded")


async def _run(settings: Settings, leads: int, seed: int, today: date | None, *, only_if_empty: bool) -> str | None:
    if leads < 1:
        raise ValueError("the demo data set needs at least one lead")
    started = time.perf_counter()
    today = today or datetime.now(UTC).date()
    engine = create_engine(settings)
    try:
        async with write_transaction(create_session_factory(engine)) as session:
            # Inside the write transaction, so two processes starting at once cannot both seed.
            if session.get_bind().dialect.name == "postgresql":
                await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK})
            if only_if_empty and (await session.execute(select(func.count()).select_from(Lead))).scalar_one():
                return None
            pipeline = await load_pipeline(session)
            data = generate(pipeline, leads, seed, today)
            await write(session, pipeline, data)
    finally:
        await engine.dispose()
    return summarize(data, pipeline, seed, today, time.perf_counter() - started)


async def load_pipeline(session: AsyncSession) -> Pipeline:
    """The default pipeline with its stages, and the sources and lead types the migration created."""
    model: PipelineModel = await default_pipeline(session)
    stages = (await stages_of(session, [model.id]))[model.id]
    if not {StageKind.OPEN, StageKind.WON, StageKind.LOST} <= {s.kind for s in stages}:
        raise ValueError(f"pipeline {model.name!r} needs an open, a won and a lost stage for demo data")
    sources = (await session.execute(select(Source.id, Source.name, Source.category).order_by(Source.id))).all()
    lead_types = (await session.execute(select(LeadType.name, LeadType.id))).all()
    return Pipeline(
        id=model.id,
        stages=stages,
        rotting_days=model.rotting_days or 30,
        sources=[(row.id, row.name, row.category) for row in sources],
        lead_types={row.name: row.id for row in lead_types},
    )


async def write(session: AsyncSession, pipeline: Pipeline, data: DemoData) -> None:
    catalog_time = data.now - timedelta(days=400)
    user_ids = await _insert_or_reuse(session, User, "email", [u.row() for u in data.users])
    tag_ids = await _insert_or_reuse(session, Tag, "name", [_tag_row(n, c, catalog_time) for n, c in catalog.TAGS])
    product_ids = await _insert_or_reuse(
        session, Product, "sku", [_product_row(p, catalog_time) for p in catalog.PRODUCTS]
    )
    org_ids = await _insert(session, Organization, [o.row() for o in data.orgs])
    person_ids = await _insert(session, Person, [p.row(org_ids) for p in data.persons])
    lead_ids = await _insert(
        session, Lead, [lead.row(pipeline.id, user_ids, person_ids, org_ids) for lead in data.leads]
    )
    lines, tags, activities = [], [], []
    for lead_id, lead in zip(lead_ids, data.leads, strict=True):
        at = lead.lines_at or lead.created_at
        lines += [line.row(lead_id, i, product_ids, at) for i, line in enumerate(lead.lines)]
        tags += [{"lead_id": lead_id, "tag_id": tag_ids[t]} for t in lead.tags]
        activities += [a.row(lead_id, user_ids) for a in lead.activities]
    for table, rows in ((_table(LeadProduct), lines), (lead_tags, tags), (_table(Activity), activities)):
        if rows:
            await session.execute(insert(table), rows)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


async def _insert(session: AsyncSession, model: type[Base], rows: list[dict[str, Any]]) -> list[int]:
    """Core INSERT ... RETURNING id in the order of the rows: a few multi-row statements, not one per row
    (the ORM's bulk path splits rows with RETURNING into single statements)."""
    if not rows:
        return []
    table = _table(model)
    result = await session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


async def _insert_or_reuse(session: AsyncSession, model: type[Base], key: str, rows: list[dict[str, Any]]) -> list[int]:
    """Rows with a unique key (a user's email, a tag's name, a SKU) that exist already are reused, so seeding
    a database twice adds a second set of leads instead of failing on a duplicate."""
    table = _table(model)
    keys = [row[key] for row in rows]
    found = await session.execute(
        select(func.lower(table.c[key]), table.c.id).where(func.lower(table.c[key]).in_([k.lower() for k in keys]))
    )
    existing = {k: i for k, i in found.all()}
    missing = [row for row in rows if row[key].lower() not in existing]
    new_ids = iter(await _insert(session, model, missing))
    return [existing[k.lower()] if k.lower() in existing else next(new_ids) for k in keys]


def _tag_row(name: str, color: str, at: datetime) -> dict[str, Any]:
    return {"name": name, "color": color, "created_at": at, "updated_at": at}


def _product_row(spec: catalog.ProductSpec, at: datetime) -> dict[str, Any]:
    return {
        "sku": spec.sku,
        "name": spec.name,
        "category": spec.category,
        "description": spec.description,
        "list_price": spec.list_price,
        "currency": "USD",
        "unit": spec.unit,
        "billing_term": spec.billing_term,
        "is_active": True,
        "created_at": at,
        "updated_at": at,
    }


def summarize(data: DemoData, pipeline: Pipeline, seed: int, today: date, seconds: float) -> str:
    per_stage = Counter(lead.stage.id for lead in data.leads)
    stages = ", ".join(f"{s.name} {per_stage[s.id]:,}" for s in pipeline.stages)
    open_leads = [lead for lead in data.leads if lead.stage.kind == StageKind.OPEN]
    open_value = sum((lead.fields["value"] or Decimal(0) for lead in open_leads), Decimal("0.00"))
    rotting = sum((data.now - lead.entered[-1]).days > pipeline.rotting_days for lead in open_leads)
    industries = len({o.industry.name for o in data.orgs})
    countries = len({o.country.name for o in data.orgs})
    lines = sum(len(lead.lines) for lead in data.leads)
    entries = sum(len(lead.activities) for lead in data.leads)
    return (
        f"Seeded demo data (seed {seed}, as of {today.isoformat()}) in {seconds:.1f} s: {len(data.leads):,} leads"
        f" ({stages}; {len(open_leads):,} open worth ${open_value:,.2f}, {rotting:,} of them rotting),"
        f" {len(data.users)} sales persons, {len(data.orgs):,} organizations in {industries} industries and"
        f" {countries} countries, {len(data.persons):,} contact persons, {len(catalog.PRODUCTS)} products,"
        f" {len(catalog.TAGS)} tags, {lines:,} product lines and {entries:,} timeline entries."
    )
