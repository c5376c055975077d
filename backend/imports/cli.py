"""`enterpristore import`: arguments, a rich progress bar and the printed report around the import service."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from backend.imports import DEFAULT_BATCH_SIZE
from backend.settings import Settings

EXIT_OK = 0
EXIT_INVALID_ROWS = 1  # strict mode found invalid rows: nothing was written
EXIT_UNUSABLE = 2  # the file or the mapping cannot be used at all (missing column, wrong delimiter, bad mapping)


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="the CSV export to import")
    parser.add_argument(
        "--mapping",
        "-m",
        required=True,
        metavar="NAME_OR_PATH",
        help="a shipped mapping (maven-crm, x-education) or the path of a .toml/.json mapping file",
    )
    parser.add_argument("--dry-run", action="store_true", help="parse and check everything, write nothing")
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows and report the invalid ones (default: all or nothing)",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive_int,
        default=DEFAULT_BATCH_SIZE,
        help=f"rows per transaction (default {DEFAULT_BATCH_SIZE})",
    )
    parser.add_argument("--report", type=Path, metavar="PATH", help="also write the report as JSON to PATH")
    parser.add_argument("--delimiter", help="override the mapping's delimiter (',', ';', 'tab')")
    parser.add_argument("--encoding", help="override the mapping's encoding (utf-8, cp1252, latin-1, ...)")
    parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


class RichProgress:
    """Adapts the service's progress callbacks (phase, bytes done, bytes total) to a rich progress bar."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._progress.stop()

    def __call__(self, phase: str, done: int, total: int) -> None:
        task = self._tasks.get(phase)
        if task is None:
            task = self._tasks[phase] = self._progress.add_task(phase, total=total)
        self._progress.update(task, completed=done, total=total)


def run_import_command(args: argparse.Namespace, settings: Settings) -> int:
    from backend.imports.mapping import MappingError, load_mapping
    from backend.imports.report import print_report
    from backend.imports.service import ImportOptions, run_import
    from backend.runtime import tune_garbage_collector

    # soft_wrap: a long message stays on one line, so it can be searched and copied, also when piped to a file.
    console = Console(stderr=True, soft_wrap=True)
    try:
        mapping = load_mapping(args.mapping).with_overrides(delimiter=args.delimiter, encoding=args.encoding)
    except MappingError as error:
        console.print(f"[red]mapping {escape(args.mapping)}:[/red] {escape(str(error))}")
        return EXIT_UNUSABLE
    options = ImportOptions(dry_run=args.dry_run, skip_invalid=args.skip_invalid, batch_size=args.batch_size)
    # At CPython's default thresholds the collections kept walking everything loaded at startup (SQLAlchemy's
    # schema, the modules): 0.6 s of a 100,000-row import.
    tune_garbage_collector()
    if args.no_progress:
        report = asyncio.run(run_import(settings, args.file, mapping, options))
    else:
        with RichProgress(console) as progress:
            report = asyncio.run(run_import(settings, args.file, mapping, options, progress=progress))
    print_report(report, Console(soft_wrap=True))
    if args.report is not None:
        try:
            args.report.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as error:
            console.print(f"[red]the report could not be written to {escape(str(args.report))}:[/red] {error.strerror}")
    if report.fatal is not None:
        return EXIT_UNUSABLE
    return EXIT_INVALID_ROWS if report.refused else EXIT_OK
