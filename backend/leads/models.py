"""Leads, their product lines, and the reference data that classifies them (sources, types, tags)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db import Base, Money, ScaledDecimal, TimestampMixin, UtcDateTime
from backend.enums import str_enum


class SourceCategory(enum.StrEnum):
    DIGITAL = "digital"
    TRADITIONAL = "traditional"
    REFERRAL = "referral"
    SALES_GENERATED = "sales_generated"


class LeadStatus(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Temperature(enum.StrEnum):
    HOT = "hot"
    WARM = "warm"
    COLD = "cold"
    UNQUALIFIED = "unqualified"


class Source(TimestampMixin, Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    category: Mapped[SourceCategory] = mapped_column(str_enum(SourceCategory), index=True)


class LeadType(TimestampMixin, Base):
    __tablename__ = "lead_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Tag(TimestampMixin, Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    color: Mapped[str] = mapped_column(String(7), default="#64748b")


lead_tags = Table(
    "lead_tags",
    Base.metadata,
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_lead_tags_tag_lead", "tag_id", "lead_id"),
)


class Lead(TimestampMixin, Base):
    __tablename__ = "leads"
    __table_args__ = (
        # The board: one stage's cards in the default order, and the keyset sorts the list offers.
        Index("ix_leads_stage_created", "stage_id", "created_at", "id"),
        Index("ix_leads_stage_value", "stage_id", "value", "id"),
        Index("ix_leads_value", "value", "id"),
        Index("ix_leads_created", "created_at", "id"),
        Index("ix_leads_updated", "updated_at", "id"),
        Index("ix_leads_close_date", "expected_close_date", "id"),
        Index("ix_leads_title", "title", "id"),
        Index("ix_leads_status_stage", "status", "stage_id"),
        # The list's usual narrowing (open, from these sources, worth at least): one index range per source that
        # answers all three tests, so a page by value or a capped count finds its matches without reading leads.
        Index("ix_leads_status_source_value", "status", "source_id", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # Derived from the product lines whenever the lead has any; otherwise entered by hand.
    value: Mapped[Decimal | None] = mapped_column(Money(2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus), default=LeadStatus.OPEN)
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    lead_type_id: Mapped[int | None] = mapped_column(ForeignKey("lead_types.id", ondelete="SET NULL"), index=True)
    sales_person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    stage_entered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    score: Mapped[int | None] = mapped_column(Integer)
    temperature: Mapped[Temperature | None] = mapped_column(str_enum(Temperature))
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Optimistic concurrency: every write bumps it, a writer that saw an older one gets CONFLICT.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # SQLAlchemy adds "AND version = :seen" to every UPDATE, so a concurrent writer cannot be lost silently.
    __mapper_args__ = {"version_id_col": version}

    # On won and lost leads: why (price, features, relationship...), so reports can say whom we lose to and why.
    win_loss_factors: Mapped[list[str]] = mapped_column(JSON, default=list)

    tags: Mapped[list[Tag]] = relationship(secondary=lead_tags, lazy="raise", order_by="Tag.name")
    products: Mapped[list[LeadProduct]] = relationship(
        back_populates="lead", lazy="raise", cascade="all, delete-orphan", order_by="LeadProduct.position"
    )


class LeadStageTotal(Base):
    """How many leads and how much value each (stage, sales person) holds: the board's column totals without a
    scan of the leads. Written only by the database's triggers on `leads` (migration 0005), in the transaction
    of the write, so it is exact for every writer; the app only reads it."""

    __tablename__ = "lead_stage_totals"

    stage_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # The sales person's id; 0 for unassigned leads (a primary key cannot hold NULL).
    sales_person_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lead_count: Mapped[int] = mapped_column(BigInteger)
    value_sum: Mapped[Decimal] = mapped_column("value_cents_sum", Money(2))


class LeadCompetitor(TimestampMixin, Base):
    """A competing offer the prospect is considering."""

    __tablename__ = "lead_competitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    competitor: Mapped[str] = mapped_column(String(200), index=True)
    product: Mapped[str | None] = mapped_column(String(200))
    price: Mapped[Decimal | None] = mapped_column(Money(2))
    strengths: Mapped[str | None] = mapped_column(Text)
    weaknesses: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # On a lost lead: this competitor got the deal.
    won_the_deal: Mapped[bool] = mapped_column(Boolean, default=False)


class LeadProduct(TimestampMixin, Base):
    """One product line on a lead: amount = quantity × unit price − discount."""

    __tablename__ = "lead_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[Decimal] = mapped_column(ScaledDecimal(3))
    unit_price: Mapped[Decimal] = mapped_column(Money(2))
    discount_percent: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))
    discount_amount: Mapped[Decimal | None] = mapped_column(Money(2))
    # True when the rep typed the unit price; otherwise it follows the product's tier for the quantity.
    is_custom_price: Mapped[bool] = mapped_column(Boolean, default=False)
    # Subscriptions: the contract length of this line (None for one-time products).
    term_months: Mapped[int | None] = mapped_column(Integer)
    # What the line adds to the lead's value: the total contract value for subscriptions.
    amount: Mapped[Decimal] = mapped_column(Money(2))

    lead: Mapped[Lead] = relationship(back_populates="products", lazy="raise")


class SavedFilterScope(enum.StrEnum):
    """Who sees a saved filter besides its owner."""

    PRIVATE = "private"
    TEAM = "team"
    ROLE = "role"
    EVERYONE = "everyone"


class SavedFilterView(enum.StrEnum):
    LIST = "list"
    BOARD = "board"


class SavedFilter(TimestampMixin, Base):
    """A named filter and sort. `filter` and `sort` are kept as the API spells them (LeadFilter, [LeadOrder]),
    so relative dates and "mine" stay relative: they are resolved each time the filter runs."""

    __tablename__ = "saved_filters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # None for the built-in filters every user sees.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filter: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sort: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    view: Mapped[SavedFilterView] = mapped_column(str_enum(SavedFilterView), default=SavedFilterView.LIST)
    scope: Mapped[SavedFilterScope] = mapped_column(str_enum(SavedFilterScope), default=SavedFilterScope.PRIVATE)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"))
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False)
