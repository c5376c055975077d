"""Prices in plain arithmetic: volume tiers, bundles, discounts and subscription values, exact to the cent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from backend.products.models import BillingTerm, BundlePricing

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
DEFAULT_TERM_MONTHS = 12


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def tier_price(list_price: Decimal, tiers: Sequence[tuple[Decimal, Decimal]], quantity: Decimal) -> Decimal:
    """The unit price for a quantity: the tier with the largest minimum quantity not above it, else the list
    price. `tiers` are (min_quantity, unit_price) pairs in any order."""
    applicable = [(minimum, price) for minimum, price in tiers if minimum <= quantity]
    return max(applicable)[1] if applicable else list_price


def bundle_price(
    pricing: BundlePricing,
    fixed_price: Decimal,
    discount_percent: Decimal | None,
    parts: Sequence[tuple[Decimal, Decimal]],
) -> Decimal:
    """A bundle's unit price: its fixed price, or the sum of (quantity × unit price) of its parts less its
    discount."""
    if pricing == BundlePricing.FIXED:
        return fixed_price
    total = sum((quantity * price for quantity, price in parts), Decimal(0))
    if discount_percent is not None:
        total = total * (HUNDRED - discount_percent) / HUNDRED
    return cents(total)


@dataclass(frozen=True)
class LineValue:
    """What a product line is worth. `amount` is what it adds to the lead's value: the one-time amount, or the
    total contract value of a subscription."""

    amount: Decimal
    monthly: Decimal | None = None
    annual: Decimal | None = None
    term_months: int | None = None


def period_amount(
    quantity: Decimal, unit_price: Decimal, discount_percent: Decimal | None, discount_amount: Decimal | None
) -> Decimal:
    """quantity × unit price less a percentage or a fixed discount, rounded half-up to the cent: the one-time
    amount, or a subscription's amount per billing period."""
    gross = quantity * unit_price
    if discount_percent is not None:
        gross = gross * (HUNDRED - discount_percent) / HUNDRED
    if discount_amount is not None:
        gross = gross - discount_amount
    return cents(gross)


def line_value(billing_term: BillingTerm, period: Decimal, term_months: int | None) -> LineValue:
    """Monthly prices are per month, annual and multi-year prices per year; a term defaults to 12 months."""
    if billing_term == BillingTerm.ONE_TIME:
        return LineValue(amount=period)
    term = term_months or DEFAULT_TERM_MONTHS
    if billing_term == BillingTerm.MONTHLY:
        return LineValue(amount=cents(period * term), monthly=period, annual=cents(period * 12), term_months=term)
    return LineValue(amount=cents(period * term / 12), monthly=cents(period / 12), annual=period, term_months=term)
