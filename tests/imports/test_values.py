"""Cell parsers: exactly the declared number and date formats, nothing guessed, nothing rounded."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from backend.imports.mapping import FileFormat, shipped_mappings
from backend.imports.values import DateParser, NumberParser, ValueProblem

EU = FileFormat(decimal_separator=",", thousands_separator=".")
US = FileFormat(decimal_separator=".", thousands_separator=",")
SWISS = FileFormat(decimal_separator=".", thousands_separator="'")


@pytest.mark.parametrize(
    ("fmt", "raw", "expected"),
    [
        (EU, "1.234.567,89", "1234567.89"),
        (EU, "1234567,89", "1234567.89"),
        (EU, ",5", "0.50"),
        (US, "1,234,567.89", "1234567.89"),
        (US, " 42 ", "42.00"),
        (SWISS, "1'000.5", "1000.50"),
        (FileFormat(), "10.500", "10.50"),  # trailing zeros are not extra precision
    ],
)
def test_numbers(fmt: FileFormat, raw: str, expected: str) -> None:
    assert NumberParser(fmt).money(raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("fmt", "raw"),
    [
        (EU, "1.23,4"),
        (EU, "1,234.5"),
        (US, "12,34"),
        (US, "1.2.3"),
        (FileFormat(), "1e5"),
        (FileFormat(), "$5"),
        (US, ""),
    ],
)
def test_numbers_not_in_the_format(fmt: FileFormat, raw: str) -> None:
    with pytest.raises(ValueProblem, match="not a number"):
        NumberParser(fmt).money(raw)


def test_scale_and_integers() -> None:
    numbers = NumberParser(FileFormat())
    assert numbers.money("1100.04", Decimal(1_000_000)) == Decimal("1100040000.00")
    assert numbers.integer("2822") == 2822
    with pytest.raises(ValueProblem, match="whole number"):
        numbers.integer("12.5")


def test_iso_dates_and_times_without_a_declared_format() -> None:
    dates = DateParser(FileFormat(timezone="America/New_York"))
    assert dates.parse("2024-02-29").day == date(2024, 2, 29)
    assert dates.parse("2024-02-29").instant == datetime(2024, 2, 29, 12, tzinfo=UTC)
    evening = dates.parse("2024-02-29T21:00")
    assert evening.day == date(2024, 2, 29) and evening.instant == datetime(2024, 3, 1, 2, tzinfo=UTC)
    assert dates.parse("2024-02-29T21:00:00Z").instant == datetime(2024, 2, 29, 21, tzinfo=UTC)
    with pytest.raises(ValueProblem, match="ambiguous"):
        dates.parse("05/06/2024")
    with pytest.raises(ValueProblem, match="not an ISO 8601 date"):
        dates.parse("25/06/2024")  # unambiguous, but still not what the mapping declares


def test_declared_formats_are_strict() -> None:
    us = DateParser(FileFormat(date_format="%m/%d/%Y"))
    assert us.parse("02/29/2024").day == date(2024, 2, 29)
    for raw in ("29/02/2024", "02/30/2024", "2024-02-29", "02/29/24"):
        with pytest.raises(ValueProblem):
            us.parse(raw)


def test_shipped_mappings_are_listed() -> None:
    assert {"maven-crm", "x-education"} <= set(shipped_mappings())
