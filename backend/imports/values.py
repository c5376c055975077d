"""Parsing a cell into a number, a date or a timestamp, exactly as the mapping declares: never guessed.

Every parser raises ValueProblem with a message a person can act on; the row parser adds the line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo

from backend.imports.mapping import FileFormat, has_time

MAX_MONEY = Decimal("9999999999999.99")
CENT = Decimal("0.01")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")
# Two small numbers and a year: 03/04/2024 is the 3rd of April in Europe and the 4th of March in the US.
DAY_MONTH = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})")
# A date-only value becomes this time of day in UTC when it must be a timestamp (created, closed): noon keeps the
# calendar date the same when the timestamp is shown in any zone from UTC-12 to UTC+11, and it is the same date
# in UTC, where reports group by day. The date itself (expected close date) is stored as a plain DATE.
DATE_ONLY_TIME = time(12, 0, tzinfo=UTC)
T = TypeVar("T")


class ValueProblem(ValueError):
    """A cell that does not hold what the mapping says it holds."""


@dataclass(frozen=True, slots=True)
class When:
    """A parsed date cell: the calendar date as written, and the UTC instant it stands for."""

    day: date
    instant: datetime
    date_only: bool


class NumberParser:
    """Numbers with the file's decimal mark and optional thousands separator, e.g. 1.234.567,89."""

    def __init__(self, fmt: FileFormat) -> None:
        dec = re.escape(fmt.decimal_separator)
        plain = r"\d+"
        if fmt.thousands_separator:
            grouped = r"\d{1,3}(?:" + re.escape(fmt.thousands_separator) + r"\d{3})+"
            plain = f"(?:{grouped}|{plain})"
        self._pattern = re.compile(rf"[+-]?{plain}(?:{dec}\d+)?|[+-]?{dec}\d+")
        self._fmt = fmt

    def decimal(self, raw: str) -> Decimal:
        text = raw.strip()
        if not self._pattern.fullmatch(text):
            raise ValueProblem(self._explain(text))
        if self._fmt.thousands_separator:
            text = text.replace(self._fmt.thousands_separator, "")
        try:
            return Decimal(text.replace(self._fmt.decimal_separator, "."))
        except InvalidOperation:  # unreachable after the pattern, kept as a guard
            raise ValueProblem(self._explain(text)) from None

    def money(self, raw: str, scale: Decimal = Decimal(1)) -> Decimal:
        number = self.decimal(raw) * scale
        if number < 0:
            raise ValueProblem(f"{raw!r} is negative; amounts must be at least 0")
        if number > MAX_MONEY:  # checked first: quantizing a huge number overflows the decimal context
            raise ValueProblem(f"{raw!r} is too large (at most {MAX_MONEY})")
        cents = number.quantize(CENT)
        if cents != number:
            raise ValueProblem(f"{raw!r} has more than 2 decimal places; amounts are never rounded silently")
        return cents

    def integer(self, raw: str) -> int:
        number = self.decimal(raw)
        if number != number.to_integral_value():
            raise ValueProblem(f"{raw!r} is not a whole number")
        if not 0 <= number <= 2**31 - 1:
            raise ValueProblem(f"{raw!r} is out of range (0 to {2**31 - 1})")
        return int(number)

    def _explain(self, text: str) -> str:
        sep = self._fmt.thousands_separator
        fmt = f"decimal mark {self._fmt.decimal_separator!r}" + (f", thousands separator {sep!r}" if sep else "")
        return f"{text!r} is not a number in this file's format ({fmt})"


class DateParser:
    """Dates in the mapping's declared strptime format, or ISO 8601 when it declares none."""

    def __init__(self, fmt: FileFormat) -> None:
        self._format = fmt.date_format
        self._zone = fmt.zone
        self._with_time = has_time(fmt.date_format)

    def parse(self, raw: str) -> When:
        return _parse_cached(raw.strip(), self._format, self._with_time, self._zone)


@lru_cache(maxsize=8192)  # exports repeat the same few thousand dates; bounded, so memory stays flat
def _parse_cached(text: str, date_format: str | None, with_time: bool, zone: ZoneInfo) -> When:
    if date_format is None:
        return _iso(text, zone)
    if date_format == "%Y-%m-%d" and ISO_DATE.fullmatch(text):
        return _from_date(_checked(text, date_format, date.fromisoformat))
    parsed = _checked(text, date_format, lambda t: datetime.strptime(t, date_format))
    if not with_time:
        return _from_date(parsed.date())
    return _from_datetime(parsed, zone)


def _iso(text: str, zone: ZoneInfo) -> When:
    if ISO_DATE.fullmatch(text):
        return _from_date(_checked(text, "YYYY-MM-DD", date.fromisoformat))
    if ISO_DATETIME.fullmatch(text):
        return _from_datetime(
            _checked(text, "ISO 8601", lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))), zone
        )
    guess = DAY_MONTH.fullmatch(text)
    if guess and int(guess.group(1)) <= 12 and int(guess.group(2)) <= 12:
        raise ValueProblem(
            f"{text!r} is ambiguous: day/month order is unknown ({guess.group(1)} could be the day or the month);"
            " declare file.date_format in the mapping, e.g. %d/%m/%Y or %m/%d/%Y"
        )
    raise ValueProblem(f"{text!r} is not an ISO 8601 date (YYYY-MM-DD); declare file.date_format in the mapping")


def _checked(text: str, shown_format: str, parse: Callable[[str], T]) -> T:
    try:
        return parse(text)
    except ValueError as error:
        raise ValueProblem(f"{text!r} is not a valid date in the format {shown_format} ({error})") from None


def _from_date(day: date) -> When:
    return When(day=day, instant=datetime.combine(day, DATE_ONLY_TIME), date_only=True)


def _from_datetime(moment: datetime, zone: ZoneInfo) -> When:
    local = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    return When(day=local.date(), instant=local.astimezone(UTC), date_only=False)
