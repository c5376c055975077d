"""Reading a CSV export as a stream of records, each with the line it starts on.

The file is read as bytes and decoded line by line (splitting on the byte \\n is safe for UTF-8 and every
ASCII-compatible encoding), so a bad byte is reported on its line instead of aborting the whole read, and the
bytes consumed drive the progress bar. Python's csv module does the quoting: delimiters and line breaks inside
quoted fields are data.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from backend.imports.mapping import FileFormat
from backend.imports.problems import ImportFailure

UTF8_BOM = b"\xef\xbb\xbf"
OTHER_BOMS = {b"\xff\xfe": "UTF-16 LE", b"\xfe\xff": "UTF-16 BE"}
CANDIDATE_DELIMITERS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
FIELD_SIZE_LIMIT = 1_000_000


@dataclass(slots=True)
class CsvRecord:
    line: int  # the physical line the record starts on (the header is line 1)
    fields: list[str]
    problems: list[str] = field(default_factory=list)


def delimiter_name(delimiter: str) -> str:
    return CANDIDATE_DELIMITERS.get(delimiter, repr(delimiter))


class CsvFile:
    """An open CSV file: its header, then `records()` streams the rest (one pass per CsvFile)."""

    def __init__(self, path: Path, fmt: FileFormat) -> None:
        self.path = path
        self.fmt = fmt
        self.notes: list[str] = []
        self.blank_records = 0
        self.bytes_read = 0
        self._line = 0
        self._bad_lines: dict[int, str] = {}
        try:
            self.size = path.stat().st_size
            self._binary: BinaryIO = path.open("rb")
        except OSError as error:
            raise ImportFailure(f"{path}: cannot be read ({error.strerror})") from None
        self.encoding = self._encoding_from_bom()
        csv.field_size_limit(FIELD_SIZE_LIMIT)  # CRM notes can pass the default 128 kB; a runaway quote still stops
        self._reader = csv.reader(self._lines(), delimiter=fmt.delimiter, quotechar=fmt.quotechar, strict=True)
        self.header = self._read_header()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._binary.close()

    def _encoding_from_bom(self) -> str:
        start = self._binary.read(4)
        self._binary.seek(0)
        for bom, name in OTHER_BOMS.items():
            if start.startswith(bom):
                raise ImportFailure(f"{self.path.name}: the file is {name} (byte-order mark); save it as UTF-8")
        if not start.startswith(UTF8_BOM):
            return self.fmt.encoding
        self._binary.seek(len(UTF8_BOM))
        self.bytes_read = len(UTF8_BOM)
        if self.fmt.encoding != "utf-8":
            # A byte-order mark is unambiguous; decoding it as cp1252 would only corrupt the first column name.
            self.notes.append(
                f"{self.path.name} starts with a UTF-8 byte-order mark: read as UTF-8, not {self.fmt.encoding}"
            )
        return "utf-8"

    def _lines(self) -> Iterator[str]:
        encoding = self.encoding
        for raw in self._binary:
            self.bytes_read += len(raw)
            self._line += 1
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError as error:
                byte = raw[error.start]
                self._bad_lines[self._line] = (
                    f"byte 0x{byte:02x} (character {error.start + 1} of the line) is not valid {encoding};"
                    " if the export uses a legacy encoding, name it in the mapping (file.encoding = 'cp1252')"
                )
                yield raw.decode(encoding, errors="replace")

    def _read_header(self) -> list[str]:
        try:
            header = next(self._reader)
        except StopIteration:
            raise ImportFailure(f"{self.path.name}: the file is empty (no header line)") from None
        except csv.Error as error:
            raise ImportFailure(f"{self.path.name}, line 1: the header cannot be read ({error})") from None
        if 1 in self._bad_lines:
            raise ImportFailure(f"{self.path.name}, line 1: {self._bad_lines.pop(1)}")
        return [name.strip() for name in header]

    def delimiter_hint(self) -> str | None:
        """When the header is one column, the delimiter it seems to use instead of the declared one."""
        if len(self.header) != 1:
            return None
        counts = {d: self.header[0].count(d) for d in CANDIDATE_DELIMITERS if d != self.fmt.delimiter}
        best = max(counts, key=lambda d: counts[d])
        if counts[best] == 0:
            return None
        return (
            f"the header is a single column with the delimiter {delimiter_name(self.fmt.delimiter)}, but it holds"
            f" {counts[best]} × {delimiter_name(best)}: the file seems to use {delimiter_name(best)}"
            " (set file.delimiter in the mapping, or pass --delimiter)"
        )

    def records(self) -> Iterator[CsvRecord]:
        """Every data record; blank records (no field holds anything) are counted, not returned."""
        end = self._reader.line_num
        while True:
            start = end + 1
            try:
                fields = next(self._reader)
                problems: list[str] = []
            except StopIteration:
                return
            except csv.Error as error:
                fields, problems = [], [_csv_message(str(error), self.fmt.quotechar)]
            end = self._reader.line_num
            if self._bad_lines:
                problems.extend(self._bad_lines.pop(n) for n in range(start, end + 1) if n in self._bad_lines)
            if not problems and not "".join(fields).strip():  # no field holds anything but spaces
                self.blank_records += 1
                continue
            yield CsvRecord(start, fields, problems)


def _csv_message(error: str, quotechar: str) -> str:
    if "unexpected end of data" in error:
        return f"a quoted field opened here is never closed (no closing {quotechar} before the end of the file)"
    if "field larger than field limit" in error:
        return f"a field is longer than {FIELD_SIZE_LIMIT} characters: probably an unbalanced {quotechar}"
    return f"the CSV is malformed here ({error}); a {quotechar} inside a field must be doubled"
