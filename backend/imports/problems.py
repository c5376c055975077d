"""What can go wrong in an import: a problem on one row, or a failure that makes the whole file unusable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One invalid cell or row. `file` is set for problems in a reference file (accounts.csv ...)."""

    line: int
    column: str | None
    message: str
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.file else f"line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}


class ImportFailure(Exception):
    """The file, a reference file or the mapping cannot be used at all; nothing is written."""
