"""The hand-written catalogue: every phone range it names gives valid numbers, every name is distinct."""

from __future__ import annotations

import random

import pytest

from backend.demo import catalog
from backend.demo.people import PhoneBook

RANGES = [
    (country, prefix, digits)
    for country in catalog.COUNTRIES
    for prefix, digits in [(p, c.digits) for c in country.cities for p in c.phone_prefixes] + list(country.mobile)
]


@pytest.mark.parametrize(("country", "prefix", "digits"), RANGES, ids=lambda v: getattr(v, "code", str(v)))
def test_every_phone_range_gives_valid_numbers(country: catalog.Country, prefix: str, digits: int) -> None:
    book = PhoneBook(random.Random(1))
    numbers = {book.number(country, (prefix,), digits) for _ in range(20)}
    assert len(numbers) == 20  # twenty distinct, valid numbers (PhoneBook validates with normalize_phone)


def test_a_used_up_range_shares_numbers_instead_of_failing() -> None:
    us = catalog.COUNTRIES[0]
    book = PhoneBook(random.Random(1))
    numbers = [book.number(us, ("21255501",), 2) for _ in range(150)]  # 100 fiction numbers in the range
    assert len(set(numbers)) == 100


def test_names_are_distinct() -> None:
    assert len({p.sku for p in catalog.PRODUCTS}) == len({p.name for p in catalog.PRODUCTS}) == 27
    assert len({name for name, _ in catalog.TAGS}) == len({color for _, color in catalog.TAGS}) == 12
    assert len({i.name for i in catalog.INDUSTRIES}) == len(catalog.INDUSTRIES)
