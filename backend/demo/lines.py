"""Product lines priced the way the catalogue and lead services price them.

A line's unit price is the product's volume tier for the quantity unless a rep negotiated a custom one; its
amount is the period amount (leads.service.line_amount) turned into what the line adds to the lead: the one-time
amount, or a subscription's total contract value over its term (products.pricing.line_value).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from backend.demo import catalog
from backend.demo.people import OrgDraft, pick, round_significant
from backend.leads.service import line_amount
from backend.products import pricing
from backend.products.models import BillingTerm, ProductUnit

CENT = Decimal("0.01")
TIERS = {sku: [(Decimal(q), Decimal(p)) for q, p in tiers] for sku, tiers in catalog.TIERS.items()}


@dataclass
class LineDraft:
    product: int  # index into catalog.PRODUCTS
    quantity: Decimal
    unit_price: Decimal
    is_custom_price: bool
    discount_percent: Decimal | None
    discount_amount: Decimal | None
    term_months: int | None
    amount: Decimal

    @property
    def spec(self) -> catalog.ProductSpec:
        return catalog.PRODUCTS[self.product]

    def record(self) -> dict[str, Any]:
        """The timeline's `data` for adding this line, as addLeadProduct writes it."""
        return {
            "action": "added",
            "product": self.spec.name,
            "quantity": f"{self.quantity.normalize():f}",
            "amount": str(self.amount),
        }

    def row(self, lead_id: int, position: int, product_ids: Sequence[int], at: datetime) -> dict[str, Any]:
        return {
            "lead_id": lead_id,
            "product_id": product_ids[self.product],
            "position": position,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "is_custom_price": self.is_custom_price,
            "discount_percent": self.discount_percent,
            "discount_amount": self.discount_amount,
            "term_months": self.term_months,
            "amount": self.amount,
            "created_at": at,
            "updated_at": at,
        }


class LineFactory:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        products = catalog.PRODUCTS
        self.cores = [i for i, p in enumerate(products) if p.role == "core"]
        self.extras = [i for i, p in enumerate(products) if p.role == "extra"]

    def lines(self, org: OrgDraft) -> list[LineDraft]:
        """One to three distinct products: usually a subscription plus add-ons or services."""
        big = org.employees >= 1_000
        chosen: list[int] = []
        if self.rng.random() < 0.9:
            chosen.append(pick(self.rng, [(i, _core_weight(catalog.PRODUCTS[i].sku, big)) for i in self.cores]))
        count = pick(self.rng, [(1, 45), (2, 35), (3, 20)])
        while len(chosen) < count or not chosen:
            extra = self.rng.choice(self.extras)
            if extra not in chosen:
                chosen.append(extra)
        seats = self._seats(org)
        return [self._line(i, seats) for i in chosen]

    def _line(self, index: int, seats: int) -> LineDraft:
        spec = catalog.PRODUCTS[index]
        quantity = Decimal(self._quantity(spec, seats))
        custom = self.rng.random() < 0.1  # a price negotiated below list
        if custom:  # whole dollars, or cents for small prices
            step = Decimal(1) if spec.list_price >= 100 else CENT
            price = (spec.list_price * Decimal(str(self.rng.uniform(0.85, 0.97)))).quantize(step).quantize(CENT)
        else:
            price = pricing.tier_price(spec.list_price, TIERS.get(spec.sku, []), quantity)
        percent, fixed = self._discount(quantity * price)
        term = self._term(spec)
        period = line_amount(quantity, price, percent, fixed)
        amount = pricing.line_value(spec.billing_term, period, term).amount
        return LineDraft(index, quantity, price, custom, percent, fixed, term, amount)

    def _term(self, spec: catalog.ProductSpec) -> int | None:
        if spec.billing_term == BillingTerm.ONE_TIME:
            return None
        if spec.term_months is None and spec.billing_term == BillingTerm.ANNUAL and self.rng.random() < 0.15:
            return self.rng.choice([24, 36])  # a multi-year commitment on a yearly price
        return spec.term_months or pricing.DEFAULT_TERM_MONTHS

    def _seats(self, org: OrgDraft) -> int:
        """The team a deal is for: only sales and service staff use a CRM, so it grows slower than the company."""
        seats = max(3.0, min(1_500.0, org.employees**0.7 * self.rng.lognormvariate(math.log(0.35), 0.5)))
        return round_count(seats)

    def _quantity(self, product: catalog.ProductSpec, seats: int) -> int:
        rng = self.rng
        if product.sku == "TR-ADM":
            return rng.randint(1, 4)  # administrators, not users
        if product.unit == ProductUnit.SEAT:
            # Add-ons are often bought for part of the team only.
            return seats if product.role == "core" else round_count(seats * rng.choice([0.3, 0.5, 1, 1]))
        if product.unit == ProductUnit.HOUR:
            return rng.choice([8, 16, 20, 24, 40, 60, 80, 120, 160])
        if product.unit == ProductUnit.USAGE:
            return rng.choice([50, 100, 200, 250, 500, 1_000, 2_000])
        if product.unit == ProductUnit.LICENSE:
            return 1 if rng.random() < 0.85 else 2
        counts = {"AD-STO-1M": rng.randint(1, 10), "HW-KSK": rng.randint(2, 30), "TR-WSH": rng.randint(1, 4)}
        return counts.get(product.sku, 1)

    def _discount(self, gross: Decimal) -> tuple[Decimal | None, Decimal | None]:
        roll = self.rng.random()
        if roll < 0.3:
            return Decimal(pick(self.rng, [(5, 3), (10, 4), (15, 3), (20, 2), (25, 1)])), None
        if roll < 0.35 and gross >= 1_000:
            return None, Decimal(round_significant(float(gross) * self.rng.uniform(0.03, 0.12), 2)).quantize(CENT)
        return None, None


def _core_weight(sku: str, big: bool) -> int:
    if sku.startswith(("SC-ENT", "MH-ENT")):
        return 6 if big else 1
    if sku.startswith(("SC-STD", "MH-GRW")):
        return 1 if big else 5
    return 4


def round_count(count: float) -> int:
    """Seat counts as people quote them: 7, 35, 120, 1,500."""
    if count < 20:
        return max(1, round(count))
    return round(count / 5) * 5 if count < 100 else round_significant(count)
