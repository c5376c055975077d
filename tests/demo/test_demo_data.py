"""What the default demo data set (3,000 leads, seed 42) contains, read straight from the seeded database."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.activities.models import USER_ACTIVITY_KINDS, Activity, ActivityKind
from backend.auth.models import User
from backend.contacts.models import Organization, Person
from backend.contacts.service import normalize_email, normalize_phone
from backend.errors import Problems
from backend.leads.models import Lead, LeadCompetitor, LeadProduct, LeadStatus, Tag, lead_tags
from backend.leads.service import TAG_COLOR, line_amount, status_for, temperature_for
from backend.pipelines.models import Stage, StageKind
from backend.products import pricing
from backend.products.models import BillingTerm, BundleItem, PriceTier, Product, ProductRelation
from tests.demo.conftest import LEADS, NOW, TODAY, Seeded

MOVE_LEAD_KEYS = [
    "from_stage_id",
    "from_stage",
    "to_stage_id",
    "to_stage",
    "reason",
    "lost_reason",
    "won_value",
    "win_loss_factors",
]


@pytest.fixture(scope="module")
def stages(db: Session) -> dict[int, Stage]:
    return {s.id: s for s in db.scalars(select(Stage).order_by(Stage.position))}


@pytest.fixture(scope="module")
def leads(db: Session) -> list[Lead]:
    return list(db.scalars(select(Lead).order_by(Lead.id)))


@pytest.fixture(scope="module")
def timelines(db: Session) -> dict[int, list[Activity]]:
    by_lead: dict[int, list[Activity]] = defaultdict(list)
    for activity in db.scalars(select(Activity).order_by(Activity.lead_id, Activity.created_at, Activity.id)):
        by_lead[activity.lead_id].append(activity)
    return by_lead


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_the_counts_are_those_of_a_small_sales_team(db: Session, seeded: Seeded) -> None:
    assert count(db, Lead) == LEADS
    assert count(db, User) == 10 + 2  # sales persons, and the demo administrator and analyst
    assert count(db, Organization) == 300
    assert 600 <= count(db, Person) <= 800
    assert count(db, Product) == 27  # 25 products and 2 bundles
    assert count(db, Tag) == 12
    assert 2 * LEADS <= count(db, Activity) <= 12 * LEADS
    assert seeded.summary.startswith("Seeded demo data (seed 42, as of 2026-12-03)")
    assert f"{LEADS:,} leads" in seeded.summary and "300 organizations" in seeded.summary


def test_every_stage_has_leads_in_a_funnel(leads: list[Lead], stages: dict[int, Stage]) -> None:
    per_code = Counter(stages[lead.stage_id].code for lead in leads)
    assert set(per_code) == {s.code for s in stages.values()}
    assert per_code["new"] > per_code["contacted"] > per_code["qualified"] > per_code["demo"] > per_code["negotiation"]
    win_rate = per_code["won"] / (per_code["won"] + per_code["lost"])
    assert 0.25 <= win_rate <= 0.45
    assert 0.5 <= sum(per_code[s.code] for s in stages.values() if s.kind == StageKind.OPEN) / LEADS <= 0.8


def test_status_and_closing_fields_agree_with_the_stage(leads: list[Lead], stages: dict[int, Stage]) -> None:
    for lead in leads:
        stage = stages[lead.stage_id]
        assert lead.status == status_for(stage)
        assert lead.version == 1 and lead.currency == "USD" and lead.pipeline_id == stage.pipeline_id
        if lead.status == LeadStatus.OPEN:
            assert lead.closed_at is None and lead.lost_reason is None
        else:
            assert lead.closed_at == lead.stage_entered_at and lead.value is not None
        if lead.status == LeadStatus.LOST:
            assert lead.lost_reason
        if lead.status == LeadStatus.WON:
            assert lead.lost_reason is None and lead.expected_close_date == lead.closed_at.date()
    reasons = Counter(lead.lost_reason for lead in leads if lead.status == LeadStatus.LOST)
    assert 5 <= len(reasons) <= 10


def test_dates_spread_over_the_past_year_and_some_leads_rot(leads: list[Lead], stages: dict[int, Stage]) -> None:
    for lead in leads:
        assert NOW - timedelta(days=366) <= lead.created_at <= lead.stage_entered_at <= lead.updated_at < NOW
    assert len({(lead.created_at.year, lead.created_at.month) for lead in leads}) >= 12
    assert [lead.created_at for lead in leads] == sorted(lead.created_at for lead in leads)  # ids follow time
    open_leads = [lead for lead in leads if lead.status == LeadStatus.OPEN]
    rotting = [lead for lead in open_leads if (NOW - lead.stage_entered_at).days > 30]  # rotting_days
    assert 0.08 <= len(rotting) / len(open_leads) <= 0.3
    overdue = [lead for lead in open_leads if lead.expected_close_date and lead.expected_close_date < TODAY]
    assert 0.05 <= len(overdue) / len(open_leads) <= 0.3
    assert all(
        lead.expected_close_date is None or lead.expected_close_date > lead.created_at.date() for lead in open_leads
    )


def test_values_follow_a_realistic_distribution(leads: list[Lead], stages: dict[int, Stage]) -> None:
    values = sorted(lead.value for lead in leads if lead.value is not None)
    median = values[len(values) // 2]
    assert Decimal(5_000) <= median <= Decimal(60_000)
    assert values[int(len(values) * 0.99)] > 10 * median  # a long tail of big deals
    without = {stages[lead.stage_id].code for lead in leads if lead.value is None}
    assert without == {"new", "contacted"}  # only leads nobody has estimated yet
    assert sum(lead.value is None for lead in leads) < 0.1 * LEADS


def test_lines_are_priced_like_the_catalogue_prices_them(db: Session) -> None:
    products = {p.id: p for p in db.scalars(select(Product))}
    tiers: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for tier in db.scalars(select(PriceTier)):
        tiers[tier.product_id].append((tier.min_quantity, tier.unit_price))
    custom = 0
    for line in db.scalars(select(LeadProduct)):
        product = products[line.product_id]
        if line.is_custom_price:
            custom += 1
            assert line.unit_price < product.list_price
        else:  # what the service's unit_price gives for the quantity
            assert line.unit_price == pricing.tier_price(product.list_price, tiers[product.id], line.quantity)
        assert (line.term_months is None) == (product.billing_term == BillingTerm.ONE_TIME)
        period = line_amount(line.quantity, line.unit_price, line.discount_percent, line.discount_amount)
        assert line.amount == pricing.line_value(product.billing_term, period, line.term_months).amount
        assert line.amount > 0 and not (line.discount_percent and line.discount_amount)
    assert custom > 0 and len(tiers) >= 5


def test_bundles_cost_what_the_catalogue_computes(db: Session) -> None:
    products = {p.id: p for p in db.scalars(select(Product))}
    parts: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for item in db.scalars(select(BundleItem)):
        parts[item.bundle_id].append((item.quantity, products[item.product_id].list_price))
    bundles = [p for p in products.values() if p.is_bundle]
    assert len(bundles) == 2
    for bundle in bundles:
        expected = pricing.bundle_price(
            bundle.bundle_pricing, bundle.list_price, bundle.bundle_discount_percent, parts[bundle.id]
        )
        assert bundle.list_price == expected and parts[bundle.id]
    assert count(db, ProductRelation) >= 10


def test_a_lead_with_product_lines_is_worth_their_sum(db: Session, leads: list[Lead]) -> None:
    lines: dict[int, list[LeadProduct]] = defaultdict(list)
    for line in db.scalars(select(LeadProduct).order_by(LeadProduct.lead_id, LeadProduct.position)):
        lines[line.lead_id].append(line)
    assert 0.4 * LEADS <= len(lines) <= 0.8 * LEADS
    for lead in leads:
        if lead.id in lines:
            assert lead.value == sum((line.amount for line in lines[lead.id]), Decimal("0.00"))
            assert 1 <= len(lines[lead.id]) <= 3
            assert [line.position for line in lines[lead.id]] == list(range(len(lines[lead.id])))
            assert len({line.product_id for line in lines[lead.id]}) == len(lines[lead.id])
    assert any(line.discount_percent for group in lines.values() for line in group)


def test_scores_carry_their_temperature(leads: list[Lead]) -> None:
    scored = [lead for lead in leads if lead.score is not None]
    assert 0.4 * LEADS <= len(scored) <= 0.85 * LEADS
    assert all(lead.temperature == temperature_for(lead.score) for lead in leads)
    assert {lead.temperature for lead in scored} >= {"hot", "warm", "cold", "unqualified"}


def test_the_timeline_retells_each_leads_history(
    leads: list[Lead], stages: dict[int, Stage], timelines: dict[int, list[Activity]]
) -> None:
    new = next(s for s in stages.values() if s.code == "new")
    for lead in leads:
        entries = timelines[lead.id]
        created = entries[0]
        assert created.kind == ActivityKind.LEAD_CREATED and created.created_at == lead.created_at
        assert created.data == {"stage": new.name}
        moves = [a for a in entries if a.kind == ActivityKind.STAGE_CHANGED]
        names = [new.name] + [m.data["to_stage"] for m in moves]
        assert [m.data["from_stage"] for m in moves] == names[:-1]
        assert names[-1] == stages[lead.stage_id].name
        if moves:
            last = moves[-1]
            assert list(last.data) == MOVE_LEAD_KEYS
            assert last.created_at == lead.stage_entered_at and last.data["to_stage_id"] == lead.stage_id
            assert last.data["lost_reason"] == lead.lost_reason
            assert last.data["won_value"] == (str(lead.value) if lead.status == LeadStatus.WON else None)
            assert last.data["win_loss_factors"] == (lead.win_loss_factors or None)
        else:
            assert lead.stage_entered_at == lead.created_at
        for entry in entries:
            assert lead.created_at <= entry.created_at <= (lead.closed_at or NOW)
            if entry.kind in USER_ACTIVITY_KINDS:
                assert entry.title and entry.body and "{" not in entry.body
                assert entry.actor_id == lead.sales_person_id


def test_the_timeline_has_calls_meetings_emails_and_notes(db: Session) -> None:
    kinds = dict(db.execute(select(Activity.kind, func.count()).group_by(Activity.kind)).all())
    for kind in (ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.EMAIL):
        assert kinds[kind] >= 0.3 * LEADS
    assert kinds[ActivityKind.LEAD_CREATED] == LEADS
    assert kinds[ActivityKind.PRODUCTS_CHANGED] == count(db, LeadProduct)


def test_every_email_and_phone_passes_the_contacts_service(db: Session) -> None:
    persons = list(db.scalars(select(Person)))
    for person in persons:
        assert person.name and person.job_title and person.department and person.decision_role
        assert person.organization_id is not None
        assert 1 <= len(person.emails) <= 2 and 1 <= len(person.phones) <= 2
        for email in person.emails:
            assert normalize_email(Problems(), "email", email["value"]) == email["value"]
            assert email["label"] in ("work", "personal")
        for phone in person.phones:
            assert normalize_phone(Problems(), "phone", phone["value"]) == phone["value"]
            assert phone["label"] in ("work", "mobile")
    work_emails = [p.emails[0]["value"] for p in persons]
    assert len(set(work_emails)) == len(work_emails)
    assert {p.decision_role for p in persons} == {"decision_maker", "influencer", "user", "gatekeeper"}
    users = list(db.scalars(select(User)))
    assert all(u.email and normalize_email(Problems(), "email", u.email) == u.email for u in users)


def test_organizations_span_industries_and_countries(db: Session) -> None:
    orgs = list(db.scalars(select(Organization)))
    assert len({o.industry for o in orgs}) >= 10 and len({o.country for o in orgs}) >= 8
    assert len({o.name for o in orgs}) == len(orgs)
    for org in orgs:
        assert org.employee_count and org.employee_count >= 10 and org.annual_revenue and org.annual_revenue > 0
        assert org.city and org.region and org.website and org.website.startswith("https://www.")
    assert max(o.employee_count or 0 for o in orgs) >= 5_000


def test_products_and_tags_form_a_catalogue(db: Session) -> None:
    products = list(db.scalars(select(Product)))
    assert len({p.sku for p in products}) == 27 and len({p.category for p in products}) >= 5
    assert all(p.currency == "USD" and p.list_price > 0 for p in products)
    assert {p.billing_term for p in products} == {"one_time", "monthly", "annual", "multi_year"}
    assert all(p.category and p.category.split(" / ")[0] for p in products)
    assert len({p.category for p in products if p.category and " / " in p.category}) >= 6
    assert sum(bool(p.features) for p in products) >= 10
    tags = list(db.scalars(select(Tag)))
    assert all(TAG_COLOR.match(t.color) for t in tags) and len({t.color for t in tags}) == len(tags)
    tagged = db.scalar(select(func.count(func.distinct(lead_tags.c.lead_id)))) or 0
    assert 0.3 * LEADS <= tagged <= 0.9 * LEADS


def test_leads_name_a_contact_of_their_organization(db: Session, leads: list[Lead]) -> None:
    org_of = dict(db.execute(select(Person.id, Person.organization_id)).all())
    assert sum(lead.person_id is None for lead in leads) < 0.05 * LEADS
    for lead in leads:
        assert lead.organization_id is not None and lead.sales_person_id is not None
        assert lead.source_id is not None and lead.lead_type_id is not None and lead.title
        if lead.person_id is not None:
            assert org_of[lead.person_id] == lead.organization_id
    assert not [lead.title for lead in leads if re.search(r"[{}]", lead.title)]


def test_closed_leads_say_why_and_rivals_are_on_record(
    db: Session, leads: list[Lead], stages: dict[int, Stage]
) -> None:
    rivals: dict[int, list[LeadCompetitor]] = defaultdict(list)
    for competitor in db.scalars(select(LeadCompetitor)):
        rivals[competitor.lead_id].append(competitor)
    tagged = {
        lead_id
        for (lead_id,) in db.execute(
            select(lead_tags.c.lead_id).join(Tag, Tag.id == lead_tags.c.tag_id).where(Tag.name == "Competitive")
        )
    }
    assert tagged == set(rivals) and 0.1 * LEADS <= len(rivals) <= 0.5 * LEADS
    for lead in leads:
        winners = [c for c in rivals[lead.id] if c.won_the_deal]
        assert len(winners) == (1 if lead.lost_reason == "Chose a competitor" else 0)
        assert all(c.price and c.price > 0 and c.created_at >= lead.created_at for c in rivals[lead.id])
        if lead.status == LeadStatus.OPEN:
            assert lead.win_loss_factors == []
    closed = [lead for lead in leads if lead.status != LeadStatus.OPEN]
    assert 0.6 * len(closed) <= sum(bool(lead.win_loss_factors) for lead in closed) <= 0.95 * len(closed)
    priced_out = [lead for lead in closed if lead.lost_reason == "Price too high" and lead.win_loss_factors]
    assert priced_out and all("Price" in lead.win_loss_factors for lead in priced_out)
    changes = db.scalar(select(func.count()).where(Activity.kind == ActivityKind.FIELDS_CHANGED))
    assert changes == sum(len(v) for v in rivals.values())  # addCompetitor's timeline entries
