"""Importing a CSV export: the passes over the file and the transactions around the writer.

Strict mode (the default) reads the file twice: a validation pass that writes nothing, then, only if every row
is valid, the write pass with one transaction per batch. With skip_invalid one pass does both, skipping and
reporting the invalid rows. A dry run is the same passes against a read-only connection. Memory holds one batch,
the reference files and the caches of reference rows; the external ids seen, for duplicate detection, live in a
scratch SQLite file (ledger.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.db import create_engine
from backend.imports import DEFAULT_BATCH_SIZE
from backend.imports.catalog import DbCatalog, load_catalog
from backend.imports.cells import Notes
from backend.imports.ledger import SeenIds
from backend.imports.mapping import Mapping
from backend.imports.parser import LeadParser
from backend.imports.problems import ImportFailure, RowProblem
from backend.imports.records import LeadRecord
from backend.imports.references import References, load_references
from backend.imports.report import ImportReport
from backend.imports.source import CsvFile
from backend.imports.writer import LeadWriter
from backend.settings import Settings

Progress = Callable[[str, int, int], None]  # (phase, bytes done, bytes total)
PROGRESS_EVERY = 500  # rows between progress callbacks
SQLITE_CACHE_KIB = 64 * 1024
# Pages in the write-ahead log before the import's own commits copy them into the database file (SQLite's
# default: 1,000). A batch dirties pages all over some fifteen index b-trees, so with the default nearly every
# commit ran a checkpoint, copying (and syncing) pages that the next batches dirty again.
SQLITE_CHECKPOINT_PAGES = 10_000


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    skip_invalid: bool = False
    batch_size: int = DEFAULT_BATCH_SIZE


async def run_import(
    settings: Settings, path: Path, mapping: Mapping, options: ImportOptions, progress: Progress | None = None
) -> ImportReport:
    """Imports (or dry-runs) one file; never raises for a bad file: the report says what went wrong."""
    report = ImportReport(
        file=path.name, mapping=mapping.name, dry_run=options.dry_run, skip_invalid=options.skip_invalid
    )
    started = perf_counter()
    engine = create_engine(settings)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _import_cache)
    try:
        await _Import(engine, path, mapping, options, report, progress or _no_progress).run()
    except ImportFailure as failure:
        report.fatal = str(failure)
    except (SQLAlchemyError, OSError) as error:  # a database or disk failure, reported like any other
        report.fatal = f"{type(error).__name__}: {getattr(error, 'orig', None) or error}"
    finally:
        await engine.dispose()
        report.problems.sort(key=lambda p: (p.file is None, p.line))  # reference files first, then by line
        report.seconds = perf_counter() - started
    return report


def _import_cache(dbapi_connection: Any, _record: Any) -> None:
    """A bigger page cache for the import's own connections: a lead touches some fifteen index b-trees, and
    with SQLite's default 2 MB cache every batch rereads their pages as the database outgrows it. Checkpoints
    less often (the log stays bounded); the import ends with one of its own (_checkpoint)."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
    # A multi-row INSERT (bulk.py) first copies each existing page it changes to a statement journal: in memory
    # (at most the pages one statement changes), not in a temporary file, some 600 MB of writes per 100,000 leads.
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.close()


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class _Import:
    engine: AsyncEngine
    path: Path
    mapping: Mapping
    options: ImportOptions
    report: ImportReport
    progress: Progress

    async def run(self) -> None:
        if not self.path.is_file():
            raise ImportFailure(f"{self.path}: no such file")
        ref_notes = Notes()
        refs = load_references(self.mapping, self.path.parent, ref_notes)
        self.report.reference_rows_read = refs.rows_read
        catalog = await load_catalog(self.engine, self.mapping)
        if not self.options.skip_invalid:
            rows_valid = self._validate(refs, catalog)  # also with bad reference rows: report everything at once
            if refs.problems or not rows_valid:
                self._refuse(refs)
                return
        if refs.problems:  # --skip-invalid: bad reference rows are reported; the leads naming them are skipped
            self.report.problems.extend(refs.problems)
        notes = await self._write(refs, catalog)
        self.report.notes = ref_notes.lines() + notes.lines()

    def _validate(self, refs: References, catalog: DbCatalog) -> bool:
        """The strict first pass: every row parsed, nothing written. True when all rows are valid."""
        notes = Notes()
        with self._parser(refs, catalog, notes) as parser, SeenIds() as seen:
            for _ in self._checked(parser, "checking", seen, skipping=False):
                pass
        self.report.notes = notes.lines()
        return self.report.invalid_rows == 0

    def _checked(self, parser: LeadParser, phase: str, seen: SeenIds, *, skipping: bool) -> Iterator[list[LeadRecord]]:
        """The file's valid records a batch at a time, without repeated external ids; the rest is reported."""
        batch: list[LeadRecord] = []
        for parsed in self._parsed(parser, phase):
            if isinstance(parsed, LeadRecord):
                batch.append(parsed)
            else:
                self._invalid(parsed, skipping)
            if len(batch) >= self.options.batch_size:
                yield self._first_seen(batch, seen, skipping)
                batch = []
        if batch:
            yield self._first_seen(batch, seen, skipping)

    def _first_seen(self, chunk: list[LeadRecord], seen: SeenIds, skipping: bool) -> list[LeadRecord]:
        """A repeated external id is a problem of the later row: merging two rows silently would hide one."""
        repeated = seen.duplicates([(r.external_id, r.line) for r in chunk])
        column = self.mapping.columns.external_id
        for record in chunk:
            if record.line in repeated:
                first = repeated[record.line]
                self._invalid(
                    [RowProblem(record.line, column, f"{record.external_id!r} is on line {first} already")], skipping
                )
        return [r for r in chunk if r.line not in repeated]

    def _invalid(self, problems: list[RowProblem], skipping: bool) -> None:
        if skipping:
            self.report.skipped += 1
        self.report.add_invalid(problems, listed_all=skipping)

    def _refuse(self, refs: References) -> None:
        self.report.refused = True
        self.report.problems[:0] = refs.problems
        self.report.invalid_rows += len({(p.file, p.line) for p in refs.problems})

    async def _write(self, refs: References, catalog: DbCatalog) -> Notes:
        notes = Notes()
        writer = LeadWriter(self.mapping, catalog, dry_run=self.options.dry_run, file_name=self.path.name)
        self.report.rows_read = 0
        async with self._transaction() as conn:
            await writer.prepare(conn, refs)
        # Parsing the next batch while one is written would use the second core, but the CPU-bound parser keeps
        # the GIL from the driver's thread, which needs it for every row it binds: measured slower, so no overlap.
        phase = "dry run" if self.options.dry_run else "importing"
        with self._parser(refs, catalog, notes) as parser, SeenIds() as seen:
            for batch in self._checked(parser, phase, seen, skipping=True):
                await self._write_batch(writer, batch)
        await self._checkpoint()
        self.report.references = writer.reference_counts()
        return notes

    async def _write_batch(self, writer: LeadWriter, batch: list[LeadRecord]) -> None:
        if not batch:
            return
        async with self._transaction() as conn:
            result = await writer.write_batch(conn, batch)
        self.report.created += result.created
        self.report.updated += result.updated
        self.report.unchanged += result.unchanged
        self.report.batches += 1

    async def _checkpoint(self) -> None:
        """On SQLite, the log copied into the database file and synced: with synchronous=NORMAL, the commits
        since the last checkpoint are not on disk yet, and the import is done only when they are."""
        if self.options.dry_run or self.engine.dialect.name != "sqlite":
            return
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction (BEGIN IMMEDIATE on SQLite); a dry run's is read-only and rolled back."""
        if self.options.dry_run:
            async with self.engine.connect() as conn:
                yield conn
                await conn.rollback()
            return
        async with self.engine.execution_options(sqlite_immediate=True).begin() as conn:
            yield conn

    @contextmanager
    def _parser(self, refs: References, catalog: DbCatalog, notes: Notes) -> Iterator[LeadParser]:
        with CsvFile(self.path, self.mapping.file) as csv_file:
            parser = LeadParser(csv_file, self.mapping, refs, catalog.parser_catalog(), notes)
            notes.messages.extend(csv_file.notes)
            yield parser
            self.report.columns_not_imported = {self.path.name: parser.unused_columns(), **refs.unused_columns}
            if csv_file.blank_records:
                notes.messages.append(f"{csv_file.blank_records:,} blank lines ignored")

    def _parsed(self, parser: LeadParser, phase: str) -> Iterator[LeadRecord | list[RowProblem]]:
        csv_file = parser.reader.file
        self.report.rows_read = 0
        self.progress(phase, csv_file.bytes_read, csv_file.size)
        for record in csv_file.records():
            self.report.rows_read += 1
            yield parser.parse(record)
            if self.report.rows_read % PROGRESS_EVERY == 0:
                self.progress(phase, csv_file.bytes_read, csv_file.size)
        self.progress(phase, csv_file.size, csv_file.size)
