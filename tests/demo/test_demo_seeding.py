"""How seeding behaves: deterministic, only-if-empty, repeatable, and on PostgreSQL too."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from backend.activities.models import Activity, ActivityKind
from backend.auth.demo import DEMO_PASSWORD
from backend.auth.models import Role, User, team_members
from backend.db import create_engine, create_session_factory, write_transaction
from backend.demo import seed
from backend.demo.seed import seed_demo, seed_if_empty
from backend.leads.models import Lead, LeadProduct, LeadStatus, Tag
from backend.leads.service import add_lead_product, create_lead, move_lead
from backend.pipelines.models import Stage
from backend.products.models import Product
from backend.settings import Settings
from tests.demo.conftest import LEADS, TODAY, Seeded, seed_copy


def dump(path: Path) -> list[str]:
    """Every table's schema and rows as SQL text, in a stable order. Password hashes are salted, so they are
    checked to verify the demo password and then left out."""
    connection = sqlite3.connect(path)
    try:
        hashes = [h for (h,) in connection.execute("SELECT password_hash FROM users WHERE password_hash IS NOT NULL")]
        assert hashes and all(PasswordHasher().verify(h, DEMO_PASSWORD) for h in hashes)
        connection.execute("UPDATE users SET password_hash = NULL")
        connection.commit()
        return list(connection.iterdump())
    finally:
        connection.close()


def digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


async def counts(url: str) -> dict[str, int]:
    engine = create_engine(Settings(database_url=url))
    try:
        async with create_session_factory(engine)() as session:
            return {
                model.__name__: (await session.execute(select(func.count()).select_from(model))).scalar_one()
                for model in (Lead, User, Tag, Product, Activity)
            }
    finally:
        await engine.dispose()


def test_the_same_seed_and_day_give_byte_identical_data(migrated_template: Path, tmp_path: Path) -> None:
    first, second, other = tmp_path / "first.db", tmp_path / "second.db", tmp_path / "other.db"
    seed_copy(migrated_template, first, leads=300, seed=7)
    seed_copy(migrated_template, second, leads=300, seed=7)
    seed_copy(migrated_template, other, leads=300, seed=8)
    same, different = dump(first), dump(other)
    assert any(line.startswith('INSERT INTO "leads"') for line in same)
    assert digest(same) == digest(dump(second))
    assert digest(same) != digest(different)
    lead_rows = [line for line in same if line.startswith('INSERT INTO "leads"')]
    assert lead_rows != [line for line in different if line.startswith('INSERT INTO "leads"')]


async def test_seed_if_empty_leaves_a_database_with_leads_alone(
    seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = seeded.copy_to(tmp_path)
    before = await counts(url)
    await seed_if_empty(Settings(database_url=url))
    assert await counts(url) == before
    assert capsys.readouterr().out == (
        f"The database has {LEADS:,} leads already: no demo data loaded."
        " Sign in as admin@demo.example (password: demo-password).\n"
    )


async def test_seed_if_empty_seeds_an_empty_database(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert seed.DEFAULT_LEADS == 3000 and seed.DEFAULT_SEED == 42  # what `make run` loads
    monkeypatch.setattr(seed, "DEFAULT_LEADS", 300)  # the full set is seeded once for the whole session already
    await seed_if_empty(settings)
    after = await counts(settings.database_url)
    assert after["Lead"] == 300 and after["User"] == 3 + 2  # the sales persons, the demo admin and analyst
    assert capsys.readouterr().out.startswith("Seeded demo data (seed 42, as of ")


async def test_the_demo_can_be_signed_into_by_role(seeded: Seeded, tmp_path: Path) -> None:
    assert "Demo accounts (password for all: demo-password):" in seeded.summary
    assert "admin@demo.example" in seeded.summary
    engine = create_engine(Settings(database_url=seeded.copy_to(tmp_path)))
    try:
        async with create_session_factory(engine)() as session:
            roles = select(User.email, Role.code).join(Role, Role.id == User.role_id).order_by(User.id)
            by_email = dict((await session.execute(roles)).all())
            members = (await session.execute(select(func.count()).select_from(team_members))).scalar_one()
    finally:
        await engine.dispose()
    assert by_email.pop("admin@demo.example") == "administrator"
    assert by_email.pop("analyst@demo.example") == "analyst"
    assert sorted(Counter(by_email.values()).items()) == [("sales_manager", 2), ("sales_rep", 8)]
    assert members == 10


async def test_demo_accounts_only_go_into_a_database_without_users(settings: Settings) -> None:
    """Demo accounts give every user the known password: a database with real users gets none."""
    engine = create_engine(settings)
    try:
        async with write_transaction(create_session_factory(engine)) as session:
            session.add(User(name="Real Person", email="real.person@company.example", password_hash="kept"))
        summary = await seed_demo(settings, leads=30, seed=1, today=TODAY)
        async with create_session_factory(engine)() as session:
            real = (await session.execute(select(User).where(User.email == "real.person@company.example"))).scalar_one()
            admins = await session.scalar(
                select(func.count()).select_from(User).where(User.email == "admin@demo.example")
            )
    finally:
        await engine.dispose()
    assert (real.password_hash, real.role_id, admins) == ("kept", None, 0)
    assert "Demo accounts" not in summary


async def test_seeding_again_adds_leads_and_reuses_the_catalogue(seeded: Seeded, tmp_path: Path) -> None:
    url = seeded.copy_to(tmp_path)
    summary = await seed_demo(Settings(database_url=url), leads=50, seed=42, today=TODAY)
    after = await counts(url)
    assert after["Lead"] == LEADS + 50
    assert (after["Tag"], after["Product"]) == (12, 27)
    assert after["User"] == 12  # the same seed's first three sales persons exist already
    assert "50 leads" in summary


async def test_a_real_move_writes_what_the_seeded_timeline_holds(seeded: Seeded, tmp_path: Path) -> None:
    engine = create_engine(Settings(database_url=seeded.copy_to(tmp_path)))
    factory = create_session_factory(engine)
    try:
        async with write_transaction(factory) as session:
            won = (await session.execute(select(Stage).where(Stage.code == "won"))).scalar_one()
            in_negotiation = select(Lead).join(Stage, Stage.id == Lead.stage_id).where(Stage.code == "negotiation")
            lead = (await session.execute(in_negotiation.limit(1))).scalar_one()
            moved = await move_lead(session, lead.id, lead.version, won.id, actor_id=lead.sales_person_id)
            assert moved.version == 2 and moved.status == LeadStatus.WON
        async with factory() as session:
            moves = select(Activity).where(
                Activity.kind == ActivityKind.STAGE_CHANGED, Activity.data["to_stage"].as_string() == "Won"
            )
            real = (await session.execute(moves.where(Activity.lead_id == lead.id))).scalar_one()
            generated = (await session.execute(moves.where(Activity.lead_id != lead.id).limit(1))).scalar_one()
    finally:
        await engine.dispose()
    assert list(generated.data) == list(real.data)
    same = ("from_stage_id", "from_stage", "to_stage_id", "to_stage", "reason", "lost_reason")
    assert {k: generated.data[k] for k in same} == {k: real.data[k] for k in same}
    assert real.data["won_value"] == str(lead.value)


async def test_a_real_product_line_is_priced_and_recorded_like_the_seeded_ones(seeded: Seeded, tmp_path: Path) -> None:
    """Adding a seeded line's product and quantity through the service gives the same price, amount and
    timeline data (for lines without a discount or custom price, on the product's default term)."""
    engine = create_engine(Settings(database_url=seeded.copy_to(tmp_path)))
    factory = create_session_factory(engine)
    checked = 0
    try:
        async with write_transaction(factory) as session:
            plain = (
                select(LeadProduct, Product)
                .join(Product, Product.id == LeadProduct.product_id)
                .where(~LeadProduct.is_custom_price, LeadProduct.discount_percent.is_(None))
                .where(LeadProduct.discount_amount.is_(None))
                .order_by(LeadProduct.id)
            )
            seen: set[int] = set()
            for line, product in (await session.execute(plain)).all():
                default_term = None if product.billing_term == "one_time" else (product.term_months or 12)
                if product.id in seen or line.term_months != default_term:
                    continue
                seen.add(product.id)
                lead = await create_lead(session, {"title": f"Again: {product.name}"})
                real = await add_lead_product(session, lead.id, product.id, {"quantity": line.quantity})
                assert (real.unit_price, real.amount) == (line.unit_price, line.amount), product.sku
                entries = select(Activity.data).where(Activity.kind == ActivityKind.PRODUCTS_CHANGED)
                recorded = (await session.execute(entries.where(Activity.lead_id == lead.id))).scalar_one()
                seeded_entries = (await session.execute(entries.where(Activity.lead_id == line.lead_id))).scalars()
                assert recorded in list(seeded_entries)
                checked += 1
    finally:
        await engine.dispose()
    assert checked >= 15  # most products, tiers and bundles included


@pytest.mark.postgres
async def test_seeding_works_on_postgresql(postgres_url: str) -> None:
    settings = Settings(database_url=postgres_url)
    summary = await seed_demo(settings, leads=300, seed=3, today=TODAY)
    assert "300 leads" in summary
    assert (await counts(postgres_url))["Lead"] == 300
    engine = create_engine(settings)
    try:
        async with write_transaction(create_session_factory(engine)) as session:
            lead = await create_lead(session, {"title": "Entered after the demo data"})
            assert lead.id == 301  # the id sequence moved on with the bulk insert
    finally:
        await engine.dispose()
