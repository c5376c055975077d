"""Reading typed values out of one CSV record, collecting every problem with its line and column."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from backend.imports.mapping import Mapping, normalize_key
from backend.imports.problems import ImportFailure, RowProblem
from backend.imports.source import CsvFile, CsvRecord, delimiter_name
from backend.imports.values import DateParser, NumberParser, ValueProblem, When

MAX_LISTED = 20


class Notes:
    """What the report says besides the counts: values the mapping translated, records made up from a name."""

    def __init__(self) -> None:
        self.translations: Counter[tuple[str, str, str, str]] = Counter()
        self.by_name: dict[str, Counter[str]] = {}
        self.messages: list[str] = []

    def translated(self, where: str, field: str, raw: str, new: str) -> None:
        self.translations[(where, field, raw, new)] += 1

    def made_from_name(self, what: str, name: str) -> None:
        names = self.by_name.setdefault(what, Counter())
        if name in names or len(names) < 10_000:  # bounded: a report lists a few, and counts the rest
            names[name] += 1

    def lines(self) -> list[str]:
        lines = list(self.messages)
        grouped: dict[tuple[str, str], list[str]] = {}
        for (where, field, raw, new), count in sorted(self.translations.items()):
            shown = repr(new) if new else "empty"
            grouped.setdefault((where, field), []).append(f"{raw!r} as {shown} ({count:,})")
        for (where, field), entries in grouped.items():
            lines.append(f"{where}: {field} values read as the mapping says: {', '.join(entries)}")
        for what, names in sorted(self.by_name.items()):
            listed = ", ".join(repr(n) for n, _ in names.most_common(MAX_LISTED))
            more = f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
            lines.append(f"{what} ({len(names):,}): {listed}{more}")
        return lines


class FileReader:
    """The column layout of one CSV file and the parsers its mapping declares."""

    def __init__(self, csv_file: CsvFile, mapping: Mapping, notes: Notes, *, reference: bool = False) -> None:
        self.file = csv_file
        self.name = csv_file.path.name
        # Problems in the main file name a line; in a reference file they also name the file.
        self.problem_file = self.name if reference else None
        self.mapping = mapping
        self.notes = notes
        self.width = len(csv_file.header)
        self.index: dict[str, int] = {}
        for i, column in enumerate(csv_file.header):
            self.index.setdefault(column, i)
        self.numbers = NumberParser(mapping.file)
        self.dates = DateParser(mapping.file)
        self.empty = mapping.file.empty_values

    def require(self, columns: list[tuple[str, str]]) -> None:
        """Every column the mapping names must be in the header, once: checked before any row is read."""
        header = self.file.header
        for field, column in columns:
            if column not in self.index:
                hint = self.file.delimiter_hint()
                detail = hint or f"the header has: {', '.join(repr(h) for h in header[:40])}"
                raise ImportFailure(f"{self.name}, line 1, column {column!r} ({field}): not in the header; {detail}")
            if header.count(column) > 1:
                raise ImportFailure(f"{self.name}, line 1, column {column!r}: the header has it twice")

    def unused(self, used: set[str]) -> list[str]:
        return [c for c in self.file.header if c not in used]

    def cells(self, record: CsvRecord) -> Cells:
        return Cells(self, record)


class Cells:
    """One record's values; every accessor records a problem (and returns None) instead of raising."""

    __slots__ = ("_reader", "_usable", "_values", "line", "problems")

    def __init__(self, reader: FileReader, record: CsvRecord) -> None:
        self._reader = reader
        self._values = record.fields
        self.line = record.line
        self.problems: list[RowProblem] = []
        for message in record.problems:
            self.problem(None, message)
        if not record.problems and len(record.fields) != reader.width:
            self.problem(None, self._width_message())
        self._usable = not self.problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def _width_message(self) -> str:
        found, delimiter = len(self._values), self._reader.mapping.file.delimiter
        message = f"has {found} fields but the header has {self._reader.width}"
        if found == 1:
            others = [d for d in (",", ";", "\t") if d != delimiter and d in self._values[0]]
            if others:
                return f"{message}: it seems to use {delimiter_name(others[0])}, not {delimiter_name(delimiter)}"
        return f"{message} (a delimiter inside a field that is not quoted?)"

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(RowProblem(self.line, column, message, self._reader.problem_file))

    def raw(self, column: str | None) -> str | None:
        """The trimmed cell, or None when it is empty or one of the mapping's empty values ("Select")."""
        if column is None or not self._usable:
            return None
        value = self._values[self._reader.index[column]].strip()
        if not value or (self._reader.empty and normalize_key(value) in self._reader.empty):
            return None
        return value

    def text(self, column: str | None, max_length: int, field: str | None = None) -> str | None:
        value = self.raw(column)
        if value is None:
            return None
        if field is not None and field in self._reader.mapping.values:
            value = self.translate(field, value)
            if not value:
                return None
        if len(value) > max_length:
            self.problem(column, f"is {len(value)} characters long; at most {max_length} fit")
            return None
        return value

    def translate(self, field: str, value: str) -> str:
        new = self._reader.mapping.translate(field, value)
        if new != value:
            self._reader.notes.translated(self._reader.name, field, value, new)
        return new

    def money(self, column: str | None, scale: Decimal = Decimal(1)) -> Decimal | None:
        value = self.raw(column)
        if value is None:
            return None
        try:
            return self._reader.numbers.money(value, scale)
        except ValueProblem as error:
            self.problem(column, str(error))
            return None

    def integer(self, column: str | None) -> int | None:
        value = self.raw(column)
        if value is None:
            return None
        try:
            return self._reader.numbers.integer(value)
        except ValueProblem as error:
            self.problem(column, str(error))
            return None

    def when(self, column: str | None) -> When | None:
        value = self.raw(column)
        if value is None:
            return None
        try:
            return self._reader.dates.parse(value)
        except ValueProblem as error:
            self.problem(column, str(error))
            return None

    def day(self, column: str | None) -> date | None:
        parsed = self.when(column)
        return parsed.day if parsed else None
