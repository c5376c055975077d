"""The import report: counts, every skipped row with its line and reason, and what the mapping translated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from backend.imports.problems import RowProblem

# A refused (strict) import lists this many problems; a --skip-invalid import lists every skipped row.
MAX_REFUSED_LISTED = 1000
MAX_PRINTED = 30


@dataclass
class ImportReport:
    file: str
    mapping: str
    dry_run: bool
    skip_invalid: bool
    rows_read: int = 0
    created: int = 0
    updated: int = 0  # rows whose lead existed already (by external id), changed or not
    unchanged: int = 0  # of the updated: nothing differed, nothing was written
    skipped: int = 0
    invalid_rows: int = 0
    refused: bool = False  # strict mode found invalid rows: nothing was written
    fatal: str | None = None  # the file or mapping could not be used at all: nothing was written
    problems: list[RowProblem] = field(default_factory=list)
    problems_not_listed: int = 0
    references: dict[str, dict[str, int]] = field(default_factory=dict)
    reference_rows_read: int = 0
    columns_not_imported: dict[str, list[str]] = field(default_factory=dict)  # file -> columns
    notes: list[str] = field(default_factory=list)
    batches: int = 0
    seconds: float = 0.0

    def add_invalid(self, problems: list[RowProblem], *, listed_all: bool) -> None:
        self.invalid_rows += 1
        if listed_all or len(self.problems) < MAX_REFUSED_LISTED:
            self.problems.extend(problems)
        else:
            self.problems_not_listed += len(problems)

    @property
    def outcome(self) -> str:
        if self.fatal is not None and self.batches and not self.dry_run:
            return (
                f"failed after {self.batches} committed batches ({self.created + self.updated:,} rows written);"
                " importing the file again completes the import"
            )
        if self.fatal is not None:
            return "failed: nothing was written"
        if self.refused:
            return f"refused: {self.invalid_rows:,} invalid rows, nothing was written (--skip-invalid imports the rest)"
        return "dry run: nothing was written" if self.dry_run else "imported"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "mapping": self.mapping,
            "dry_run": self.dry_run,
            "skip_invalid": self.skip_invalid,
            "outcome": self.outcome,
            "fatal": self.fatal,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "invalid_rows": self.invalid_rows,
            "problems": [p.to_json() for p in self.problems],
            "problems_not_listed": self.problems_not_listed,
            "references": self.references,
            "reference_rows_read": self.reference_rows_read,
            "columns_not_imported": self.columns_not_imported,
            "notes": self.notes,
            "batches": self.batches,
            "seconds": round(self.seconds, 3),
        }


def print_report(report: ImportReport, console: Console) -> None:
    style = "red" if report.fatal or report.refused else "green"
    title = f"[bold]{escape(report.file)}[/bold] with mapping [bold]{escape(report.mapping)}[/bold]"
    console.print(f"{title}: [{style}]{escape(report.outcome)}[/]")
    if report.fatal is not None:
        console.print(f"[red]{escape(report.fatal)}[/red]")
        return
    counts = Table(show_header=False, box=None)
    for label, value in (
        ("rows read", report.rows_read),
        ("created", report.created),
        ("updated", report.updated),
        ("  of which unchanged", report.unchanged),
        ("skipped", report.skipped),
    ):
        counts.add_row(label, f"{value:,}")
    console.print(counts)
    changed = {k: v for k, v in report.references.items() if v["created"] or v["updated"]}
    if changed:
        console.print(
            "reference rows: "
            + "; ".join(f"{k} {v['created']:,} created, {v['updated']:,} updated" for k, v in changed.items())
        )
    for note in report.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    for file_name, columns in report.columns_not_imported.items():
        if columns:
            line = f"columns of {file_name} not imported: {', '.join(columns)}"
            console.print(line, markup=False, highlight=False)
    _print_problems(report, console)
    console.print(f"{report.seconds:.1f} s, {report.batches} batches")


def _print_problems(report: ImportReport, console: Console) -> None:
    if not report.problems:
        return
    heading = "skipped rows" if report.skipped else "invalid rows"
    console.print(f"[yellow]{heading}:[/yellow]")
    for problem in report.problems[:MAX_PRINTED]:
        console.print(f"  {problem}", markup=False, highlight=False)
    hidden = len(report.problems) - MAX_PRINTED + report.problems_not_listed
    if hidden > 0:
        console.print(f"  ... and {hidden:,} more problems (--report PATH writes them all as JSON)")
