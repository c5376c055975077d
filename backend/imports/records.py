"""What the parser makes of a row: plain, immutable records, checked and ready to write (no database here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class OrganizationRecord:
    external_id: str
    name: str
    industry: str | None = None
    employee_count: int | None = None
    annual_revenue: Decimal | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    website: str | None = None
    parent_name: str | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "external_id": self.external_id,
            "name": self.name,
            "industry": self.industry,
            "employee_count": self.employee_count,
            "annual_revenue": self.annual_revenue,
            "country": self.country,
            "region": self.region,
            "city": self.city,
            "website": self.website,
            "parent_name": self.parent_name,
        }


@dataclass(frozen=True, slots=True)
class ProductRecord:
    sku: str
    name: str
    list_price: Decimal
    currency: str
    category: str | None = None
    description: str | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "name": self.name,
            "list_price": self.list_price,
            "currency": self.currency,
            "category": self.category,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class UserRecord:
    external_id: str
    name: str
    email: str | None = None

    def columns(self) -> dict[str, Any]:
        return {"external_id": self.external_id, "name": self.name, "email": self.email}


@dataclass(frozen=True, slots=True)
class PersonRecord:
    external_id: str
    name: str
    email: str | None = None
    phone: str | None = None
    job_title: str | None = None
    organization: OrganizationRecord | None = None

    def columns(self) -> dict[str, Any]:
        """Without organization_id: the writer resolves the organization first and adds it."""
        return {
            "external_id": self.external_id,
            "name": self.name,
            "emails": [{"label": "work", "value": self.email}] if self.email else [],
            "phones": [{"label": "work", "value": self.phone}] if self.phone else [],
            "job_title": self.job_title,
        }


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build, and there is one per row
class LeadRecord:
    line: int
    external_id: str
    title: str
    stage_code: str
    currency: str
    description: str | None = None
    # The lead's value: the line amount when it has a product, else the value column (None: unknown).
    value: Decimal | None = None
    lost_reason: str | None = None
    sales_person: UserRecord | None = None
    person: PersonRecord | None = None
    organization: OrganizationRecord | None = None
    product: ProductRecord | None = None
    unit_price: Decimal | None = None  # of the one product line, quantity 1
    source: str | None = None  # a source name
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None
    closed_at: datetime | None = None
    expected_close_date: date | None = None
