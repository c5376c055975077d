"""The product catalogue."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, Money, TimestampMixin
from backend.enums import str_enum


class ProductUnit(enum.StrEnum):
    LICENSE = "license"
    SEAT = "seat"
    HOUR = "hour"
    UNIT = "unit"
    USAGE = "usage"


class BillingTerm(enum.StrEnum):
    ONE_TIME = "one_time"
    MONTHLY = "monthly"
    ANNUAL = "annual"
    MULTI_YEAR = "multi_year"


class Product(TimestampMixin, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str | None] = mapped_column(String(120), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    list_price: Mapped[Decimal] = mapped_column(Money(2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    unit: Mapped[ProductUnit] = mapped_column(str_enum(ProductUnit), default=ProductUnit.UNIT)
    billing_term: Mapped[BillingTerm] = mapped_column(str_enum(BillingTerm), default=BillingTerm.ONE_TIME)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
