"""`enterpristore seed-demo` and `serve --seed-if-empty`: write the demo data set in one bulk transaction."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.activities.models import Activity
from backend.auth.demo import DEMO_ADMIN, DEMO_ANALYST, DEMO_PASSWORD, create_demo_accounts, sign_in_help
from backend.auth.models import Team, User
from backend.contacts.models import Organization, Person
from backend.db import Base, create_engine, create_session_factory, write_transaction
from backend.demo import catalog
from backend.demo.dataset import DemoData, generate
from backend.demo.leads import Pipeline
from backend.leads.models import Lead, LeadCompetitor, LeadProduct, LeadType, Source, Tag, lead_tags
from backend.pipelines.models import Pipeline as PipelineModel
from backend.pipelines.models import StageKind
from backend.pipelines.service import default_pipeline, stages_of
from backend.products.models import BundleItem, BundlePricing, PriceTier, Product, ProductRelation
from backend.settings import Settings

# Any constant: PostgreSQL sessions that seed at the same time take turns on it.
SEED_LOCK = 7_316_001
# What `make run` loads into an empty database.
DEFAULT_LEADS = 3000
DEFAULT_SEED = 42


async def seed_demo(settings: Settings, leads: int = 3000, seed: int = 42, today: date | None = None) -> str:
    """Adds the demo data set (deterministic for seed and today) and returns a one-paragraph summary."""
    return await _run(settings, leads, seed, today, only_if_empty=False)


async def seed_if_empty(settings: Settings) -> None:
    """Loads the default demo data set into a database that has no leads yet, and says what it did."""
    print(await _run(settings, DEFAULT_LEADS, DEFAULT_SEED, None, only_if_empty=True))


async def _run(settings: Settings, leads: int, seed: int, today: date | None, *, only_if_empty: bool) -> str:
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
            existing = await _count(session, Lead)
            if only_if_empty and existing:
                return await _not_seeding(session, existing)
            pipeline = await load_pipeline(session)
            data = generate(pipeline, leads, seed, today)
            demo_database = not await _count(session, User)
            await write(session, pipeline, data)
            accounts = await _demo_accounts(session, data.now) if demo_database else []
    finally:
        await engine.dispose()
    summary = summarize(data, pipeline, seed, today, time.perf_counter() - started)
    return "\n".join([summary, sign_in_help(accounts)]).strip()


async def _count(session: AsyncSession, model: type[Base]) -> int:
    return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def _not_seeding(session: AsyncSession, leads: int) -> str:
    message = f"The database has {leads:,} leads already: no demo data loaded."
    if await session.scalar(select(User.id).where(User.email == DEMO_ADMIN)) is not None:
        message += f" Sign in as {DEMO_ADMIN} (password: {DEMO_PASSWORD})."
    return message


async def _demo_accounts(session: AsyncSession, now: datetime) -> list[tuple[str, str]]:
    """Sign-in for the demo: roles, teams and the demo password for the sales persons, plus an administrator
    and an analyst (backend.auth.demo). Only into a database that had no users before, since it gives every
    user the known password. The auth service stamps what it writes with the clock; those stamps are set to
    the catalogue's time so the data stays the same for a seed and a day (the salted hashes differ)."""
    teams_before = set((await session.execute(select(Team.id))).scalars())
    accounts = await create_demo_accounts(session)
    await session.flush()
    at = now - timedelta(days=400)
    users = _table(User)
    await session.execute(update(users).where(users.c.email.in_([DEMO_ADMIN, DEMO_ANALYST])).values(created_at=at))
    await session.execute(update(users).values(updated_at=users.c.created_at))
    teams = _table(Team)
    await session.execute(update(teams).where(teams.c.id.not_in(teams_before)).values(created_at=at, updated_at=at))
    return accounts


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
    user_ids, _ = await _insert_or_reuse(session, User, "email", [u.row() for u in data.users])
    tag_rows = [_tag_row(name, color, catalog_time) for name, color in catalog.TAGS]
    tag_ids, _ = await _insert_or_reuse(session, Tag, "name", tag_rows)
    product_ids = await _write_catalogue(session, catalog_time)
    org_ids = await _insert(session, Organization, [o.row() for o in data.orgs])
    person_ids = await _insert(session, Person, [p.row(org_ids) for p in data.persons])
    lead_rows = [lead.row(pipeline.id, user_ids, person_ids, org_ids) for lead in data.leads]
    lead_ids = await _insert(session, Lead, lead_rows)
    lines, tags, competitors, activities = [], [], [], []
    for lead_id, lead in zip(lead_ids, data.leads, strict=True):
        at = lead.lines_at or lead.created_at
        lines += [line.row(lead_id, i, product_ids, at) for i, line in enumerate(lead.lines)]
        tags += [{"lead_id": lead_id, "tag_id": tag_ids[t]} for t in lead.tags]
        competitors += [c.row(lead_id) for c in lead.competitors]
        activities += [a.row(lead_id, user_ids) for a in lead.activities]
    await _insert_all(
        session, [(LeadProduct, lines), (lead_tags, tags), (LeadCompetitor, competitors), (Activity, activities)]
    )


async def _write_catalogue(session: AsyncSession, at: datetime) -> list[int]:
    """Products, and for those this run adds (not the ones reused by SKU) their tiers, bundle parts and
    cross-sell relations."""
    rows = [_product_row(p, at) for p in catalog.PRODUCTS]
    ids, fresh = await _insert_or_reuse(session, Product, "sku", rows)
    by_sku = {p.sku: i for p, i in zip(catalog.PRODUCTS, ids, strict=True)}
    new = {p.sku for p, is_new in zip(catalog.PRODUCTS, fresh, strict=True) if is_new}
    tiers = [
        {"product_id": by_sku[sku], "min_quantity": Decimal(q), "unit_price": Decimal(price)}
        for sku, product_tiers in catalog.TIERS.items()
        if sku in new
        for q, price in product_tiers
    ]
    parts = [
        {"bundle_id": by_sku[b.sku], "product_id": by_sku[sku], "quantity": Decimal(q)}
        for b in catalog.BUNDLES
        if b.sku in new
        for sku, q in b.parts
    ]
    relations = [
        {"product_id": by_sku[sku], "related_id": by_sku[related], "kind": kind}
        for sku, related, kind in catalog.RELATIONS
        if sku in new
    ]
    await _insert_all(session, [(PriceTier, tiers), (BundleItem, parts), (ProductRelation, relations)])
    return ids


async def _insert_all(session: AsyncSession, batches: list[tuple[type[Base] | Table, list[dict[str, Any]]]]) -> None:
    for target, rows in batches:
        if rows:
            await session.execute(insert(target if isinstance(target, Table) else _table(target)), rows)


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


async def _insert_or_reuse(
    session: AsyncSession, model: type[Base], key: str, rows: list[dict[str, Any]]
) -> tuple[list[int], list[bool]]:
    """Rows with a unique key (a user's email, a tag's name, a SKU) that exist already are reused, so seeding
    a database twice adds a second set of leads instead of failing on a duplicate. Returns the ids, and which
    rows were inserted now."""
    table = _table(model)
    keys = [row[key] for row in rows]
    lowered = func.lower(table.c[key])
    found = await session.execute(select(lowered, table.c.id).where(lowered.in_([k.lower() for k in keys])))
    existing = {k: i for k, i in found.all()}
    fresh = [k.lower() not in existing for k in keys]
    new_ids = iter(await _insert(session, model, [row for row, is_new in zip(rows, fresh, strict=True) if is_new]))
    return [next(new_ids) if is_new else existing[k.lower()] for k, is_new in zip(keys, fresh, strict=True)], fresh


def _tag_row(name: str, color: str, at: datetime) -> dict[str, Any]:
    return {"name": name, "color": color, "created_at": at, "updated_at": at}


def _product_row(spec: catalog.ProductSpec, at: datetime) -> dict[str, Any]:
    bundle = spec.bundle
    fixed = bundle is not None and bundle.fixed_price is not None
    return {
        "sku": spec.sku,
        "name": spec.name,
        "category": spec.category,
        "description": spec.description,
        "features": list(spec.features),
        "list_price": spec.list_price,
        "currency": "USD",
        "unit": spec.unit,
        "billing_term": spec.billing_term,
        "term_months": spec.term_months,
        "is_active": True,
        "is_bundle": bundle is not None,
        "bundle_pricing": BundlePricing.FIXED if fixed else BundlePricing.SUM_OF_PARTS,
        "bundle_discount_percent": bundle.discount_percent if bundle else None,
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
    rivals = sum(len(lead.competitors) for lead in data.leads)
    return (
        f"Seeded demo data (seed {seed}, as of {today.isoformat()}) in {seconds:.1f} s: {len(data.leads):,} leads"
        f" ({stages}; {len(open_leads):,} open worth ${open_value:,.2f}, {rotting:,} of them rotting),"
        f" {len(data.users)} sales persons, {len(data.orgs):,} organizations in {industries} industries and"
        f" {countries} countries, {len(data.persons):,} contact persons, {len(catalog.PRODUCTS)} products,"
        f" {len(catalog.TAGS)} tags, {lines:,} product lines, {rivals:,} competing offers and {entries:,} timeline"
        " entries."
    )
