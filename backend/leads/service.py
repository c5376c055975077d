"""Lead rules: creating, editing, moving through stages, product lines and the value they add up to."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from backend import validation
from backend.activities.models import ActivityKind
from backend.activities.service import record
from backend.auth.models import User
from backend.contacts.models import Organization, Person
from backend.db import utcnow
from backend.errors import DomainError, ErrorCode, Problems
from backend.leads.models import (
    Lead,
    LeadCompetitor,
    LeadProduct,
    LeadStatus,
    LeadType,
    Source,
    Tag,
    Temperature,
    lead_tags,
)
from backend.pipelines.models import Pipeline, Stage, StageKind
from backend.pipelines.service import default_pipeline, first_stage
from backend.products import pricing
from backend.products import service as product_service
from backend.products.models import FRACTIONAL_UNITS, BillingTerm, Product

# Fields a client may set on create and update, with the reference each id must point to.
REFERENCES: dict[str, type[Any]] = {
    "source_id": Source,
    "lead_type_id": LeadType,
    "sales_person_id": User,
    "person_id": Person,
    "organization_id": Organization,
}
EDITABLE = frozenset(
    {
        "title",
        "description",
        "value",
        "currency",
        "expected_close_date",
        "score",
        "tag_ids",
        "win_loss_factors",
        *REFERENCES,
    }
)
REQUIRED = frozenset({"title", "currency"})


def temperature_for(score: int | None) -> Temperature | None:
    """The product's thresholds: hot 80-100, warm 50-79, cold 25-49, unqualified 0-24."""
    if score is None:
        return None
    if score >= 80:
        return Temperature.HOT
    if score >= 50:
        return Temperature.WARM
    if score >= 25:
        return Temperature.COLD
    return Temperature.UNQUALIFIED


def status_for(stage: Stage) -> LeadStatus:
    return {StageKind.OPEN: LeadStatus.OPEN, StageKind.WON: LeadStatus.WON, StageKind.LOST: LeadStatus.LOST}[stage.kind]


async def get_lead(session: AsyncSession, lead_id: int, *, with_products: bool = False) -> Lead:
    stmt = select(Lead).where(Lead.id == lead_id).options(selectinload(Lead.tags))
    if with_products:
        stmt = stmt.options(selectinload(Lead.products))
    lead = (await session.execute(stmt)).scalar_one_or_none()
    if lead is None:
        raise DomainError.not_found("id", "no lead with this id")
    return lead


def _check_version(lead: Lead, version: int) -> None:
    if lead.version != version:
        raise DomainError.conflict(
            "version",
            f"this lead was changed by someone else (you have version {version}, it is at {lead.version});"
            " reload it and try again",
        )


async def _clean_fields(
    session: AsyncSession, lead: Lead, fields: Mapping[str, Any], *, has_lines: bool
) -> dict[str, Any]:
    """Validates the given fields; only keys present are changed, None clears (if the field may be empty)."""
    problems = Problems()
    unknown = set(fields) - EDITABLE
    if unknown:
        raise AssertionError(f"not editable: {sorted(unknown)}")
    for name in REQUIRED & set(fields):
        if fields[name] is None:
            problems.add(name, f"{validation.label(name)} is required and cannot be cleared")
    clean: dict[str, Any] = {}
    if "title" in fields and fields["title"] is not None:
        clean["title"] = validation.text(problems, "title", fields["title"], max_length=300, required=True)
    if "description" in fields:
        clean["description"] = validation.text(problems, "description", fields["description"], max_length=20_000)
    if "value" in fields:
        if has_lines and fields["value"] is not None and Decimal(str(fields["value"])) != lead.value:
            problems.add("value", "this lead's value is the sum of its product lines: edit the lines instead")
        else:
            clean["value"] = validation.decimal(problems, "value", fields["value"])
    if "currency" in fields and fields["currency"] is not None:
        code = validation.currency(problems, "currency", fields["currency"])
        if has_lines and code != lead.currency:
            problems.add("currency", "a lead with product lines keeps the currency of its lines")
        clean["currency"] = code
    if "expected_close_date" in fields:
        clean["expected_close_date"] = fields["expected_close_date"]
    if "score" in fields:
        clean["score"] = validation.integer(problems, "score", fields["score"], minimum=0, maximum=100)
    for name, model in REFERENCES.items():
        if name in fields:
            await validation.exists(session, problems, name, model, fields[name])
            clean[name] = fields[name]
    if "win_loss_factors" in fields:
        clean["win_loss_factors"] = _factors(problems, fields["win_loss_factors"])
    if "tag_ids" in fields:
        tag_ids = list(dict.fromkeys(fields["tag_ids"] or []))
        tags = list((await session.execute(select(Tag).where(Tag.id.in_(tag_ids)))).scalars())
        if len(tags) != len(tag_ids):
            problems.add("tag_ids", "one or more tags do not exist", ErrorCode.NOT_FOUND)
        clean["tags"] = sorted(tags, key=lambda t: t.name)
    problems.raise_if_any()
    return clean


def _factors(problems: Problems, values: Sequence[str] | None) -> list[str]:
    """Why a deal was won or lost: short phrases (price, missing feature, relationship...)."""
    factors = list(dict.fromkeys(v.strip() for v in values or [] if v and v.strip()))
    if len(factors) > 20 or any(len(f) > 200 for f in factors):
        problems.add("win_loss_factors", "at most 20 factors of at most 200 characters each")
    return factors


def _display(value: Any) -> Any:
    """A JSON-friendly form of a value for the timeline."""
    if isinstance(value, (Decimal, date, datetime)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, list):
        return [getattr(v, "name", v) for v in value]
    return getattr(value, "value", value)


def _apply(lead: Lead, clean: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Sets the cleaned fields and returns what actually changed, for the timeline."""
    changes = []
    for name, new in clean.items():
        old = getattr(lead, name)
        if name == "tags":
            if [t.id for t in old] == [t.id for t in new]:
                continue
        elif old == new:
            continue
        changes.append({"field": name, "old": _display(old), "new": _display(new)})
        setattr(lead, name, new)
    if "score" in clean:
        lead.temperature = temperature_for(lead.score)
    return changes


async def create_lead(session: AsyncSession, fields: Mapping[str, Any], actor_id: int | None = None) -> Lead:
    """A new lead: in the given stage, or the first stage of the given (or default) pipeline."""
    fields = dict(fields)
    stage_id = fields.pop("stage_id", None)
    pipeline_id = fields.pop("pipeline_id", None)
    closed_at = fields.pop("closed_at", None)
    lost_reason = fields.pop("lost_reason", None)
    fields.setdefault("currency", "USD")
    if "title" not in fields:
        fields["title"] = None
    stage = await _stage_for_new_lead(session, pipeline_id, stage_id)
    lead = Lead(version=1, tags=[], products=[], status=LeadStatus.OPEN, win_loss_factors=[])
    problems = Problems()
    try:
        clean = await _clean_fields(session, lead, fields, has_lines=False)
    except DomainError as error:
        problems.errors.extend(error.errors)
        clean = {}
    if fields.get("title") is None and not any(e.field == "title" for e in problems.errors):
        problems.add("title", "title is required and cannot be empty")
    if stage.kind == StageKind.LOST:
        lost_reason = validation.text(problems, "lost_reason", lost_reason, max_length=500, required=True)
    problems.raise_if_any()
    _apply(lead, clean)
    if "organization_id" not in clean and lead.person_id is not None:
        person = await session.get(Person, lead.person_id)
        lead.organization_id = person.organization_id if person else None
    now = utcnow()
    lead.pipeline_id, lead.stage_id, lead.stage_entered_at = stage.pipeline_id, stage.id, now
    lead.status = status_for(stage)
    lead.lost_reason = lost_reason if lead.status == LeadStatus.LOST else None
    lead.closed_at = (closed_at or now) if lead.status != LeadStatus.OPEN else None
    session.add(lead)
    await session.flush()
    record(session, lead.id, ActivityKind.LEAD_CREATED, {"stage": stage.name}, actor_id=actor_id)
    return lead


async def _stage_for_new_lead(session: AsyncSession, pipeline_id: int | None, stage_id: int | None) -> Stage:
    if stage_id is not None:
        stage = await session.get(Stage, stage_id)
        if stage is None:
            raise DomainError.not_found("stage_id", "no stage with this id")
        if pipeline_id is not None and stage.pipeline_id != pipeline_id:
            raise DomainError.bad_input("stage_id", "this stage belongs to another pipeline")
        return stage
    if pipeline_id is not None:
        pipeline = await session.get(Pipeline, pipeline_id)
        if pipeline is None:
            raise DomainError.not_found("pipeline_id", "no pipeline with this id")
    else:
        pipeline = await default_pipeline(session)
    return await first_stage(session, pipeline.id)


async def update_lead(
    session: AsyncSession, lead_id: int, version: int, fields: Mapping[str, Any], actor_id: int | None = None
) -> Lead:
    lead = await get_lead(session, lead_id)
    _check_version(lead, version)
    has_lines = await _has_lines(session, lead_id)
    changes = _apply(lead, await _clean_fields(session, lead, fields, has_lines=has_lines))
    if changes:
        lead.updated_at = utcnow()  # also bumps the version when only the tags changed
        record(session, lead.id, ActivityKind.FIELDS_CHANGED, {"changes": changes}, actor_id=actor_id)
        await _flush(session)
    return lead


async def delete_lead(session: AsyncSession, lead_id: int) -> None:
    lead = await get_lead(session, lead_id)
    await session.delete(lead)
    await session.flush()


async def move_lead(
    session: AsyncSession,
    lead_id: int,
    version: int,
    stage_id: int,
    *,
    reason: str | None = None,
    lost_reason: str | None = None,
    won_value: Decimal | None = None,
    close_date: date | None = None,
    win_loss_factors: Sequence[str] | None = None,
    actor_id: int | None = None,
) -> Lead:
    """Moves a lead to a stage. Won sets the close date and the won value; lost needs a reason; moving back
    to an open stage reopens the lead. Every move is a timeline entry."""
    lead = await get_lead(session, lead_id)
    _check_version(lead, version)
    target = await session.get(Stage, stage_id)
    if target is None:
        raise DomainError.not_found("stage_id", "no stage with this id")
    if target.id == lead.stage_id:
        return lead
    source_stage = await session.get(Stage, lead.stage_id)
    problems = Problems()
    clean_reason = validation.text(problems, "reason", reason, max_length=500)
    if target.kind == StageKind.LOST:
        lost_reason = validation.text(problems, "lost_reason", lost_reason, max_length=500, required=True)
    if target.kind == StageKind.WON and won_value is not None:
        won_value = validation.decimal(problems, "won_value", won_value)
        if won_value is not None and won_value != lead.value and await _has_lines(session, lead_id):
            problems.add("won_value", "this lead's value is the sum of its product lines: edit the lines instead")
    factors = _factors(problems, win_loss_factors) if win_loss_factors is not None else None
    problems.raise_if_any()

    now = utcnow()
    if factors is not None:
        lead.win_loss_factors = factors
    lead.pipeline_id, lead.stage_id, lead.stage_entered_at = target.pipeline_id, target.id, now
    lead.status = status_for(target)
    lead.closed_at = now if lead.status != LeadStatus.OPEN else None
    lead.lost_reason = lost_reason if lead.status == LeadStatus.LOST else None
    if lead.status == LeadStatus.WON:
        if won_value is not None:
            lead.value = won_value
        lead.expected_close_date = close_date or now.date()
    record(
        session,
        lead.id,
        ActivityKind.STAGE_CHANGED,
        {
            "from_stage_id": source_stage.id if source_stage else None,
            "from_stage": source_stage.name if source_stage else None,
            "to_stage_id": target.id,
            "to_stage": target.name,
            "reason": clean_reason,
            "lost_reason": lead.lost_reason,
            "won_value": str(lead.value) if lead.status == LeadStatus.WON and lead.value is not None else None,
            "win_loss_factors": factors,
        },
        actor_id=actor_id,
    )
    await _flush(session)
    return lead


async def _flush(session: AsyncSession) -> None:
    """Writes pending changes; a concurrent writer that got there first turns into CONFLICT."""
    try:
        await session.flush()
    except StaleDataError:
        raise DomainError.conflict("version", "this lead was changed by someone else; reload it") from None


async def _has_lines(session: AsyncSession, lead_id: int) -> bool:
    stmt = select(func.count()).select_from(LeadProduct).where(LeadProduct.lead_id == lead_id)
    return bool((await session.execute(stmt)).scalar_one())


# --- product lines -------------------------------------------------------------------------------------------


def line_amount(
    quantity: Decimal, unit_price: Decimal, discount_percent: Decimal | None, discount_amount: Decimal | None
) -> Decimal:
    """quantity × unit price, less a percentage or a fixed discount, rounded half-up to the cent."""
    return pricing.period_amount(quantity, unit_price, discount_percent, discount_amount)


def _clean_line(problems: Problems, fields: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "quantity" in fields:
        clean["quantity"] = validation.decimal(problems, "quantity", fields["quantity"], places=3, positive=True)
        if fields["quantity"] is None:
            problems.add("quantity", "quantity is required and cannot be cleared")
    if "unit_price" in fields:
        clean["unit_price"] = validation.decimal(problems, "unit_price", fields["unit_price"])
    if "discount_percent" in fields:
        clean["discount_percent"] = validation.decimal(
            problems, "discount_percent", fields["discount_percent"], maximum=Decimal(100)
        )
    if "discount_amount" in fields:
        clean["discount_amount"] = validation.decimal(problems, "discount_amount", fields["discount_amount"])
    if "term_months" in fields:
        clean["term_months"] = validation.integer(
            problems, "term_months", fields["term_months"], minimum=1, maximum=120
        )
    return clean


async def _price_line(session: AsyncSession, problems: Problems, line: LeadProduct, product: Product) -> None:
    """Fills the unit price from the tier for the quantity (unless custom) and the amount the line adds."""
    if (
        line.quantity is not None
        and line.quantity != line.quantity.to_integral_value()
        and (product.unit not in FRACTIONAL_UNITS)
    ):
        problems.add("quantity", f"{product.unit.value}s are sold in whole numbers; only hours and usage in fractions")
    if line.discount_percent is not None and line.discount_amount is not None:
        problems.add("discount_amount", "give a discount as a percentage or as an amount, not both")
    if problems.errors:
        return
    if not line.is_custom_price:
        line.unit_price = await product_service.unit_price(session, product, line.quantity)
    if product.billing_term == BillingTerm.ONE_TIME:
        line.term_months = None
    elif line.term_months is None:
        line.term_months = product.term_months or pricing.DEFAULT_TERM_MONTHS
    period = line_amount(line.quantity, line.unit_price, line.discount_percent, line.discount_amount)
    if period < 0:
        problems.add("discount_amount", "the discount is larger than the line")
        return
    line.amount = pricing.line_value(product.billing_term, period, line.term_months).amount


def _apply_line(line: LeadProduct, clean: Mapping[str, Any]) -> None:
    """A unit price sets a custom price; a unit price of null goes back to the product's price."""
    for name, value in clean.items():
        if name == "unit_price":
            line.is_custom_price = value is not None
            if value is not None:
                line.unit_price = value
        else:
            setattr(line, name, value)


def _line_record(line: LeadProduct, product: Product) -> dict[str, Any]:
    return {"product": product.name, "quantity": f"{line.quantity.normalize():f}", "amount": str(line.amount)}


async def _recompute_value(session: AsyncSession, lead: Lead) -> None:
    await session.flush()
    stmt = select(func.sum(LeadProduct.amount)).where(LeadProduct.lead_id == lead.id)
    total = (await session.execute(stmt)).scalar_one_or_none()
    if total is not None:  # a lead whose last line went keeps that value as its manual value
        lead.value = total
    lead.updated_at = utcnow()
    await _flush(session)


async def add_lead_product(
    session: AsyncSession, lead_id: int, product_id: int, fields: Mapping[str, Any], actor_id: int | None = None
) -> LeadProduct:
    lead = await get_lead(session, lead_id)
    product = await session.get(Product, product_id)
    if product is None:
        raise DomainError.not_found("product_id", "no product with this id")
    problems = Problems()
    clean = _clean_line(problems, {"quantity": Decimal(1), **fields})
    if not await _has_lines(session, lead_id):
        lead.currency = product.currency
    elif product.currency != lead.currency:
        problems.add("product_id", f"this product is priced in {product.currency}, the lead in {lead.currency}")
    if not product.is_active:
        problems.add("product_id", "this product is no longer sold")
    problems.raise_if_any()
    position = (
        await session.execute(select(func.count()).select_from(LeadProduct).where(LeadProduct.lead_id == lead_id))
    ).scalar_one()
    line = LeadProduct(lead_id=lead_id, product_id=product.id, position=position, is_custom_price=False)
    _apply_line(line, clean)
    await _price_line(session, problems, line, product)
    problems.raise_if_any()
    session.add(line)
    record(
        session,
        lead_id,
        ActivityKind.PRODUCTS_CHANGED,
        {"action": "added", **_line_record(line, product)},
        actor_id=actor_id,
    )
    await _recompute_value(session, lead)
    return line


async def _get_line(session: AsyncSession, line_id: int) -> LeadProduct:
    line = await session.get(LeadProduct, line_id)
    if line is None:
        raise DomainError.not_found("id", "no product line with this id")
    return line


async def update_lead_product(
    session: AsyncSession, line_id: int, fields: Mapping[str, Any], actor_id: int | None = None
) -> LeadProduct:
    line = await _get_line(session, line_id)
    product = await session.get_one(Product, line.product_id)
    problems = Problems()
    clean = _clean_line(problems, fields)
    problems.raise_if_any()
    before = _line_record(line, product)
    _apply_line(line, clean)
    await _price_line(session, problems, line, product)
    problems.raise_if_any()
    record(
        session,
        line.lead_id,
        ActivityKind.PRODUCTS_CHANGED,
        {"action": "updated", "old": before, "new": _line_record(line, product)},
        actor_id=actor_id,
    )
    await _recompute_value(session, await get_lead(session, line.lead_id))
    return line


async def remove_lead_product(session: AsyncSession, line_id: int, actor_id: int | None = None) -> Lead:
    line = await _get_line(session, line_id)
    product = await session.get_one(Product, line.product_id)
    lead = await get_lead(session, line.lead_id)
    await session.delete(line)
    record(
        session,
        lead.id,
        ActivityKind.PRODUCTS_CHANGED,
        {"action": "removed", **_line_record(line, product)},
        actor_id=actor_id,
    )
    await _recompute_value(session, lead)
    return lead


async def lead_products(session: AsyncSession, lead_ids: Sequence[int]) -> dict[int, list[LeadProduct]]:
    stmt = select(LeadProduct).where(LeadProduct.lead_id.in_(lead_ids)).order_by(LeadProduct.position, LeadProduct.id)
    by_lead: dict[int, list[LeadProduct]] = {lead_id: [] for lead_id in lead_ids}
    for line in (await session.execute(stmt)).scalars():
        by_lead[line.lead_id].append(line)
    return by_lead


async def lead_tags_of(session: AsyncSession, lead_ids: Sequence[int]) -> dict[int, list[Tag]]:
    stmt = (
        select(lead_tags.c.lead_id, Tag)
        .join(Tag, Tag.id == lead_tags.c.tag_id)
        .where(lead_tags.c.lead_id.in_(lead_ids))
        .order_by(Tag.name)
    )
    by_lead: dict[int, list[Tag]] = {lead_id: [] for lead_id in lead_ids}
    for lead_id, tag in (await session.execute(stmt)).all():
        by_lead[lead_id].append(tag)
    return by_lead


TAG_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


async def create_tag(session: AsyncSession, name: str, color: str | None) -> Tag:
    problems = Problems()
    clean_name = validation.text(problems, "name", name, max_length=80, required=True)
    if color is not None and not TAG_COLOR.match(color):
        problems.add("color", "color is a hex colour such as #1e88e5")
    if clean_name:
        existing = await session.execute(select(Tag.id).where(func.lower(Tag.name) == clean_name.lower()))
        if existing.scalar_one_or_none() is not None:
            problems.add("name", f"a tag named {clean_name!r} exists already", ErrorCode.UNIQUE)
    problems.raise_if_any()
    tag = Tag(name=clean_name, color=(color or "#64748b").lower())
    session.add(tag)
    await session.flush()
    return tag


# --- competitors ---------------------------------------------------------------------------------------------

COMPETITOR_TEXT = {"competitor": 200, "product": 200, "strengths": 20_000, "weaknesses": 20_000, "notes": 20_000}


def _clean_competitor(fields: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    problems = Problems()
    if creating and not fields.get("competitor"):
        problems.add("competitor", "competitor is required and cannot be empty")
    clean: dict[str, Any] = {
        name: validation.text(problems, name, fields[name], max_length=limit, required=name == "competitor")
        for name, limit in COMPETITOR_TEXT.items()
        if name in fields
    }
    if "price" in fields:
        clean["price"] = validation.decimal(problems, "price", fields["price"])
    if fields.get("won_the_deal") is not None:
        clean["won_the_deal"] = bool(fields["won_the_deal"])
    problems.raise_if_any()
    return clean


async def add_competitor(
    session: AsyncSession, lead_id: int, fields: Mapping[str, Any], actor_id: int | None = None
) -> LeadCompetitor:
    lead = await get_lead(session, lead_id)
    competitor = LeadCompetitor(lead_id=lead.id, won_the_deal=False, **_clean_competitor(fields, creating=True))
    session.add(competitor)
    record(
        session,
        lead.id,
        ActivityKind.FIELDS_CHANGED,
        {"changes": [{"field": "competitors", "old": None, "new": competitor.competitor}]},
        actor_id=actor_id,
    )
    await session.flush()
    return competitor


async def update_competitor(session: AsyncSession, competitor_id: int, fields: Mapping[str, Any]) -> LeadCompetitor:
    competitor = await session.get(LeadCompetitor, competitor_id)
    if competitor is None:
        raise DomainError.not_found("id", "no competitor with this id")
    for name, value in _clean_competitor(fields, creating=False).items():
        setattr(competitor, name, value)
    await session.flush()
    return competitor


async def remove_competitor(session: AsyncSession, competitor_id: int) -> None:
    competitor = await session.get(LeadCompetitor, competitor_id)
    if competitor is None:
        raise DomainError.not_found("id", "no competitor with this id")
    await session.delete(competitor)
    await session.flush()


async def lead_competitors(session: AsyncSession, lead_ids: Sequence[int]) -> dict[int, list[LeadCompetitor]]:
    stmt = select(LeadCompetitor).where(LeadCompetitor.lead_id.in_(lead_ids)).order_by(LeadCompetitor.id)
    by_lead: dict[int, list[LeadCompetitor]] = {lead_id: [] for lead_id in lead_ids}
    for competitor in (await session.execute(stmt)).scalars():
        by_lead[competitor.lead_id].append(competitor)
    return by_lead
