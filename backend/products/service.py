"""The product catalogue: products with tiers, bundles and cross-sell relations; search; effective prices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, delete, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from backend import validation
from backend.db import fold
from backend.errors import DomainError, ErrorCode, Problems
from backend.leads.models import Lead, LeadProduct, LeadStatus
from backend.pagination import (
    Page,
    SortKey,
    after_predicate,
    decode_cursor,
    encode_cursor,
    order_clauses,
    parse_int,
    parse_str,
)
from backend.products import pricing
from backend.products.models import (
    BillingTerm,
    BundleItem,
    BundlePricing,
    PriceTier,
    Product,
    ProductRelation,
    RelationKind,
)

TEXT_LIMITS = {"sku": 80, "name": 200, "category": 120, "description": 20_000}
REQUIRED = ("sku", "name", "list_price")
CATEGORY_SEPARATOR = " / "


def _category(problems: Problems, value: str | None) -> str | None:
    """Nested categories as a path: "Software/CRM" and "Software / CRM " both become "Software / CRM"."""
    if value is None:
        return None
    parts = [p.strip() for p in value.split("/") if p.strip()]
    path = CATEGORY_SEPARATOR.join(parts) or None
    if path and len(path) > 120:
        problems.add("category", "category is at most 120 characters long")
    return path


def _features(problems: Problems, values: Sequence[str] | None) -> list[str]:
    features = [v.strip() for v in values or [] if v and v.strip()]
    if any(len(f) > 200 for f in features) or len(features) > 100:
        problems.add("features", "at most 100 features of at most 200 characters each")
    return list(dict.fromkeys(features))


def _tiers(problems: Problems, tiers: Sequence[Mapping[str, Any]]) -> list[tuple[Decimal, Decimal]]:
    clean: list[tuple[Decimal, Decimal]] = []
    for i, tier in enumerate(tiers):
        minimum = validation.decimal(
            problems, f"price_tiers[{i}].min_quantity", tier.get("min_quantity"), places=3, positive=True
        )
        price = validation.decimal(problems, f"price_tiers[{i}].unit_price", tier.get("unit_price"))
        if minimum is not None and price is not None:
            clean.append((minimum, price))
    if len({m for m, _ in clean}) != len(clean):
        problems.add("price_tiers", "two tiers start at the same quantity")
    return sorted(clean)


async def _clean(session: AsyncSession, fields: Mapping[str, Any], product_id: int | None) -> dict[str, Any]:
    problems = Problems()
    creating = product_id is None
    for name in REQUIRED:
        if (creating and name not in fields) or (name in fields and fields[name] is None):
            problems.add(name, f"{validation.label(name)} is required and cannot be empty")
    clean: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        if name in fields and not (name in REQUIRED and fields[name] is None):
            clean[name] = validation.text(problems, name, fields[name], max_length=limit, required=name in REQUIRED)
    if "category" in clean:
        clean["category"] = _category(problems, clean["category"])
    if "features" in fields:
        clean["features"] = _features(problems, fields["features"])
    if fields.get("list_price") is not None:
        clean["list_price"] = validation.decimal(problems, "list_price", fields["list_price"])
    if fields.get("currency") is not None:
        clean["currency"] = validation.currency(problems, "currency", fields["currency"])
    if "term_months" in fields:
        clean["term_months"] = validation.integer(
            problems, "term_months", fields["term_months"], minimum=1, maximum=120
        )
    if "bundle_discount_percent" in fields:
        clean["bundle_discount_percent"] = validation.decimal(
            problems, "bundle_discount_percent", fields["bundle_discount_percent"], maximum=Decimal(100)
        )
    for name in ("unit", "billing_term", "is_active", "bundle_pricing"):
        if fields.get(name) is not None:
            clean[name] = fields[name]
    if clean.get("sku"):
        stmt = select(Product.id).where(func.lower(Product.sku) == clean["sku"].lower())
        existing = (await session.execute(stmt)).scalar_one_or_none()
        if existing is not None and existing != product_id:
            problems.add("sku", f"a product with SKU {clean['sku']} exists already", ErrorCode.UNIQUE)
    if "price_tiers" in fields:
        clean["price_tiers"] = _tiers(problems, fields["price_tiers"] or [])
    problems.raise_if_any()
    return clean


async def _set_tiers(session: AsyncSession, product: Product, tiers: list[tuple[Decimal, Decimal]]) -> None:
    await session.execute(delete(PriceTier).where(PriceTier.product_id == product.id))
    session.add_all(PriceTier(product_id=product.id, min_quantity=m, unit_price=p) for m, p in tiers)


async def _set_bundle(session: AsyncSession, product: Product, items: Sequence[Mapping[str, Any]]) -> None:
    """A bundle is made of plain products (no bundle inside a bundle), each with a positive quantity."""
    problems = Problems()
    parts: dict[int, Decimal] = {}
    for i, item in enumerate(items):
        quantity = validation.decimal(
            problems, f"bundle_items[{i}].quantity", item.get("quantity", 1), places=3, positive=True
        )
        part = await session.get(Product, item["product_id"])
        if part is None:
            problems.add(f"bundle_items[{i}].product_id", "no product with this id", ErrorCode.NOT_FOUND)
        elif part.id == product.id or part.is_bundle:
            problems.add(f"bundle_items[{i}].product_id", "a bundle is made of products that are not bundles")
        elif part.currency != product.currency:
            problems.add(f"bundle_items[{i}].product_id", f"this product is priced in {part.currency}")
        elif quantity is not None:
            parts[part.id] = parts.get(part.id, Decimal(0)) + quantity
    problems.raise_if_any()
    await session.execute(delete(BundleItem).where(BundleItem.bundle_id == product.id))
    session.add_all(BundleItem(bundle_id=product.id, product_id=p, quantity=q) for p, q in parts.items())
    product.is_bundle = bool(parts)


async def _set_relations(session: AsyncSession, product: Product, kind: RelationKind, ids: Sequence[int]) -> None:
    found = set((await session.execute(select(Product.id).where(Product.id.in_(ids)))).scalars())
    missing = [i for i in ids if i not in found or i == product.id]
    if missing:
        raise DomainError.not_found(f"{kind.value}_ids", "one or more of these products do not exist (or are this one)")
    await session.execute(
        delete(ProductRelation).where(ProductRelation.product_id == product.id, ProductRelation.kind == kind)
    )
    session.add_all(ProductRelation(product_id=product.id, related_id=i, kind=kind) for i in dict.fromkeys(ids))


RELATION_FIELDS = {
    "add_on_ids": RelationKind.ADD_ON,
    "related_ids": RelationKind.RELATED,
    "upgrade_ids": RelationKind.UPGRADE,
}


async def _save(session: AsyncSession, product: Product, clean: dict[str, Any], fields: Mapping[str, Any]) -> Product:
    tiers = clean.pop("price_tiers", None)
    for name, value in clean.items():
        setattr(product, name, value)
    if product.billing_term == BillingTerm.MULTI_YEAR and (product.term_months or 0) < 24:
        raise DomainError.bad_input("term_months", "a multi-year subscription needs a term of at least 24 months")
    session.add(product)
    await session.flush()
    if tiers is not None:
        await _set_tiers(session, product, tiers)
    if fields.get("bundle_items") is not None:
        await _set_bundle(session, product, fields["bundle_items"])
    for name, kind in RELATION_FIELDS.items():
        if fields.get(name) is not None:
            await _set_relations(session, product, kind, fields[name])
    await session.flush()
    return product


async def create_product(session: AsyncSession, fields: Mapping[str, Any]) -> Product:
    clean = await _clean(session, fields, None)
    product = Product(features=[], is_bundle=False, bundle_pricing=BundlePricing.SUM_OF_PARTS)
    return await _save(session, product, clean, fields)


async def update_product(session: AsyncSession, product_id: int, fields: Mapping[str, Any]) -> Product:
    product = await session.get(Product, product_id)
    if product is None:
        raise DomainError.not_found("id", "no product with this id")
    return await _save(session, product, await _clean(session, fields, product_id), fields)


# --- prices --------------------------------------------------------------------------------------------------


async def tiers_of(session: AsyncSession, product_ids: Sequence[int]) -> dict[int, list[PriceTier]]:
    stmt = select(PriceTier).where(PriceTier.product_id.in_(product_ids)).order_by(PriceTier.min_quantity)
    by_product: dict[int, list[PriceTier]] = {i: [] for i in product_ids}
    for tier in (await session.execute(stmt)).scalars():
        by_product[tier.product_id].append(tier)
    return by_product


async def bundle_items_of(session: AsyncSession, bundle_ids: Sequence[int]) -> dict[int, list[BundleItem]]:
    stmt = select(BundleItem).where(BundleItem.bundle_id.in_(bundle_ids)).order_by(BundleItem.id)
    by_bundle: dict[int, list[BundleItem]] = {i: [] for i in bundle_ids}
    for item in (await session.execute(stmt)).scalars():
        by_bundle[item.bundle_id].append(item)
    return by_bundle


async def base_price(session: AsyncSession, product: Product) -> Decimal:
    """The list price, or for a bundle priced from its parts, the sum of its parts less its discount."""
    if not product.is_bundle:
        return product.list_price
    items = (await bundle_items_of(session, [product.id]))[product.id]
    parts = await session.execute(
        select(Product.id, Product.list_price).where(Product.id.in_([i.product_id for i in items]))
    )
    prices = dict(parts.all())
    return pricing.bundle_price(
        product.bundle_pricing,
        product.list_price,
        product.bundle_discount_percent,
        [(i.quantity, prices[i.product_id]) for i in items],
    )


async def unit_price(session: AsyncSession, product: Product, quantity: Decimal) -> Decimal:
    """The price of one unit when buying `quantity`: the volume tier for it, else the base price."""
    tiers = (await tiers_of(session, [product.id]))[product.id]
    return pricing.tier_price(
        await base_price(session, product), [(t.min_quantity, t.unit_price) for t in tiers], quantity
    )


# --- search --------------------------------------------------------------------------------------------------

ESCAPE = "\\"
NO_MATCH = 99


def _like(column: Any, pattern: str) -> ColumnElement[bool]:
    """Accent- and case-insensitive LIKE: crm_fold() is registered on SQLite and created on PostgreSQL."""
    return func.crm_fold(column).like(pattern, escape=ESCAPE)


def _escape(term: str) -> str:
    return term.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def match_rank(term: str) -> ColumnElement[int]:
    """Best match first: the SKU itself, a name starting with the term, a name containing it, a SKU, the
    category (at any level), a feature, and last membership of a bundle whose name matches."""
    folded = _escape(fold(term.strip()) or "")
    contains = f"%{folded}%"
    bundle = Product.__table__.alias("bundle")
    in_matching_bundle = (
        select(BundleItem.product_id)
        .join(bundle, bundle.c.id == BundleItem.bundle_id)
        .where(_like(bundle.c.name, contains))
    )
    return case(
        (func.lower(Product.sku) == term.strip().lower(), 0),
        (_like(Product.name, f"{folded}%"), 1),
        (_like(Product.name, contains), 2),
        (_like(Product.sku, contains), 3),
        (_like(Product.category, contains), 4),
        (_like(cast(Product.features, String), contains), 5),
        (Product.id.in_(in_matching_bundle), 6),
        else_=NO_MATCH,
    )


def _search_keys(term: str | None) -> list[SortKey]:
    keys = [SortKey("name", Product.name, parse=parse_str), SortKey("id", Product.id, parse=parse_int)]
    if term and term.strip():
        keys.insert(0, SortKey("rank", match_rank(term), parse=parse_int))
    return keys


def product_condition(
    search: str | None,
    category: str | None = None,
    is_active: bool | None = None,
    is_bundle: bool | None = None,
    billing_term: BillingTerm | None = None,
    currency: str | None = None,
) -> ColumnElement[bool]:
    """A category matches itself and every category nested under it."""
    terms: list[ColumnElement[bool]] = []
    if search and search.strip():
        terms.append(match_rank(search) < NO_MATCH)
    if category:
        path = CATEGORY_SEPARATOR.join(p.strip() for p in category.split("/") if p.strip())
        terms.append(or_(Product.category == path, Product.category.startswith(path + CATEGORY_SEPARATOR)))
    for column, value in (
        (Product.is_active, is_active),
        (Product.is_bundle, is_bundle),
        (Product.billing_term, billing_term),
        (Product.currency, currency),
    ):
        if value is not None:
            terms.append(column == value)
    return and_(true(), *terms)


async def search_products(
    session: AsyncSession, condition: ColumnElement[bool], search: str | None, first: int, after: str | None
) -> Page[Product]:
    keys = _search_keys(search)
    stmt = select(Product, *(k.expr for k in keys)).where(condition)
    if after is not None:
        stmt = stmt.where(after_predicate(keys, decode_cursor(keys, after)))
    rows = (await session.execute(stmt.order_by(*order_clauses(keys)).limit(first + 1))).all()
    return Page(
        items=[r[0] for r in rows[:first]],
        cursors=[encode_cursor(keys, list(r[1:])) for r in rows[:first]],
        has_next_page=len(rows) > first,
        has_previous_page=after is not None,
    )


async def count_products(session: AsyncSession, condition: ColumnElement[bool]) -> int:
    return int((await session.execute(select(func.count()).select_from(Product).where(condition))).scalar_one())


async def categories(session: AsyncSession) -> list[str]:
    """Every category path in use, with its parents: "Software", "Software / CRM"."""
    paths = (await session.execute(select(Product.category).where(Product.category.is_not(None)).distinct())).scalars()
    found: set[str] = set()
    for path in paths:
        parts = (path or "").split(CATEGORY_SEPARATOR)
        found.update(CATEGORY_SEPARATOR.join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(found)


# --- cross-sell ----------------------------------------------------------------------------------------------


async def related_of(session: AsyncSession, product_ids: Sequence[int], kind: RelationKind) -> dict[int, list[Product]]:
    stmt = (
        select(ProductRelation.product_id, Product)
        .join(Product, Product.id == ProductRelation.related_id)
        .where(ProductRelation.product_id.in_(product_ids), ProductRelation.kind == kind)
        .order_by(Product.name)
    )
    by_product: dict[int, list[Product]] = {i: [] for i in product_ids}
    for product_id, related in await session.execute(stmt):
        by_product[product_id].append(related)
    return by_product


async def often_sold_with(session: AsyncSession, product_id: int, limit: int = 5) -> list[tuple[Product, int]]:
    """Products that appear on the same won leads as this one, most often first."""
    mine = LeadProduct.__table__.alias("mine")
    won_with_me = (
        select(mine.c.lead_id)
        .join(Lead, Lead.id == mine.c.lead_id)
        .where(mine.c.product_id == product_id, Lead.status == LeadStatus.WON)
    )
    together = func.count(func.distinct(LeadProduct.lead_id)).label("leads")
    stmt = (
        select(Product, together)
        .join(LeadProduct, LeadProduct.product_id == Product.id)
        .where(LeadProduct.lead_id.in_(won_with_me), Product.id != product_id)
        .group_by(Product.id)
        .order_by(together.desc(), Product.name)
        .limit(limit)
    )
    return [(product, int(count)) for product, count in (await session.execute(stmt))]
