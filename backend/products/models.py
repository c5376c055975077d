"""The product catalogue: products, volume price tiers, bundles and related products."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, Money, ScaledDecimal, TimestampMixin
from backend.enums import str_enum


class ProductUnit(enum.StrEnum):
    LICENSE = "license"
    SEAT = "seat"
    HOUR = "hour"
    UNIT = "unit"
    USAGE = "usage"


# Only these units may be sold in fractions (2.5 hours, 0.75 GB of usage).
FRACTIONAL_UNITS = frozenset({ProductUnit.HOUR, ProductUnit.USAGE})


class BillingTerm(enum.StrEnum):
    ONE_TIME = "one_time"
    MONTHLY = "monthly"
    ANNUAL = "annual"
    MULTI_YEAR = "multi_year"


class BundlePricing(enum.StrEnum):
    """A bundle costs the sum of its parts less its discount, or a fixed price (its list price)."""

    SUM_OF_PARTS = "sum_of_parts"
    FIXED = "fixed"


class RelationKind(enum.StrEnum):
    ADD_ON = "add_on"
    RELATED = "related"
    UPGRADE = "upgrade"


class Product(TimestampMixin, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # A path of nested categories: "Software / CRM / Add-ons".
    category: Mapped[str | None] = mapped_column(String(120), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    features: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Per unit, and for subscriptions per billing period (a month, or a year for annual and multi-year terms).
    list_price: Mapped[Decimal] = mapped_column(Money(2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    unit: Mapped[ProductUnit] = mapped_column(str_enum(ProductUnit), default=ProductUnit.UNIT)
    billing_term: Mapped[BillingTerm] = mapped_column(str_enum(BillingTerm), default=BillingTerm.ONE_TIME)
    # The contract length of a subscription; None: 12 months for monthly and annual terms.
    term_months: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_bundle: Mapped[bool] = mapped_column(Boolean, default=False)
    bundle_pricing: Mapped[BundlePricing] = mapped_column(str_enum(BundlePricing), default=BundlePricing.SUM_OF_PARTS)
    bundle_discount_percent: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))


class PriceTier(Base):
    """From `min_quantity` units on, each unit costs `unit_price`."""

    __tablename__ = "product_price_tiers"
    __table_args__ = (UniqueConstraint("product_id", "min_quantity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    min_quantity: Mapped[Decimal] = mapped_column(ScaledDecimal(3))
    unit_price: Mapped[Decimal] = mapped_column(Money(2))


class BundleItem(Base):
    __tablename__ = "product_bundle_items"
    __table_args__ = (UniqueConstraint("bundle_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[Decimal] = mapped_column(ScaledDecimal(3))


class ProductRelation(Base):
    """Cross-sell: an add-on, a related product, or an upgrade path."""

    __tablename__ = "product_relations"
    __table_args__ = (UniqueConstraint("product_id", "related_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    related_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RelationKind] = mapped_column(str_enum(RelationKind))
