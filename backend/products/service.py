"""The product catalogue: creating and editing products."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend import validation
from backend.errors import DomainError, ErrorCode, Problems
from backend.products.models import Product

TEXT_LIMITS = {"sku": 80, "name": 200, "category": 120, "description": 20_000}
REQUIRED = ("sku", "name", "list_price")


async def _clean(session: AsyncSession, fields: Mapping[str, Any], product_id: int | None) -> dict[str, Any]:
    problems = Problems()
    creating = product_id is None
    for name in REQUIRED:
        if (creating and name not in fields) or (name in fields and fields[name] is None):
            problems.add(name, f"{validation.label(name)} is required and cannot be empty")
    clean: dict[str, Any] = {
        name: validation.text(problems, name, fields[name], max_length=limit, required=name in REQUIRED)
        for name, limit in TEXT_LIMITS.items()
        if (name in fields and fields[name] is not None) or (name in fields and name not in REQUIRED)
    }
    if fields.get("list_price") is not None:
        clean["list_price"] = validation.decimal(problems, "list_price", fields["list_price"])
    if fields.get("currency") is not None:
        clean["currency"] = validation.currency(problems, "currency", fields["currency"])
    for name in ("unit", "billing_term", "is_active"):
        if fields.get(name) is not None:
            clean[name] = fields[name]
    sku = clean.get("sku")
    if sku:
        stmt = select(Product.id).where(func.lower(Product.sku) == sku.lower())
        existing = (await session.execute(stmt)).scalar_one_or_none()
        if existing is not None and existing != product_id:
            problems.add("sku", f"a product with SKU {sku} exists already", ErrorCode.UNIQUE)
    problems.raise_if_any()
    return clean


async def create_product(session: AsyncSession, fields: Mapping[str, Any]) -> Product:
    product = Product(**await _clean(session, fields, None))
    session.add(product)
    await session.flush()
    return product


async def update_product(session: AsyncSession, product_id: int, fields: Mapping[str, Any]) -> Product:
    product = await session.get(Product, product_id)
    if product is None:
        raise DomainError.not_found("id", "no product with this id")
    for name, value in (await _clean(session, fields, product_id)).items():
        setattr(product, name, value)
    await session.flush()
    return product
