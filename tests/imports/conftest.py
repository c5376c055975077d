"""Helpers for importer tests: tiny CSV files written by the test itself, a mapping, and a database snapshot."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url

from backend.imports.mapping import Mapping, parse_mapping
from backend.imports.report import ImportReport
from backend.imports.service import ImportOptions, run_import
from backend.settings import Settings

HEADER = ["id", "title", "amount", "stage", "owner", "company", "country", "source", "created", "closes", "tags"]


def mapping_for(file: dict[str, Any] | None = None, **top: Any) -> Mapping:
    """A mapping for files with HEADER's columns; `file` sets the format (delimiter, encoding, dates...)."""
    raw: dict[str, Any] = {
        "name": "test",
        "file": file or {},
        "columns": {
            "external_id": "id",
            "title": "title",
            "value": "amount",
            "stage": "stage",
            "sales_person": "owner",
            "organization": "company",
            "country": "country",
            "source": "source",
            "created_at": "created",
            "close_date": "closes",
            "tags": "tags",
        },
        "options": {"tag_separator": "|"},
        "stages": {"Open": "new", "Talking": "contacted", "Won": "won", "Lost": "lost"},
        "sources": {"Web": "Website form", "Referral": "Customer referral"},
    }
    raw.update(top)
    return parse_mapping(raw)


def row(ident: str, **values: str) -> list[str]:
    defaults = {
        "title": f"Deal {ident}",
        "amount": "100",
        "stage": "Open",
        "owner": "Ann Smith",
        "company": "Acme",
        "country": "Germany",
        "source": "Web",
        "created": "2024-01-15",
        "closes": "",
        "tags": "",
    }
    defaults.update(values)
    return [ident, *(defaults[c] for c in HEADER[1:])]


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    header: list[str] | None = None,
) -> Path:
    """Writes the file by hand (not with csv.writer) so a test can also write what csv.writer never would."""

    def cell(value: str) -> str:
        if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(cell(v) for v in r) for r in [header or HEADER, *rows]]
    data = ("\n".join(lines) + "\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def db_path(database_url: str) -> str:
    database = make_url(database_url).database
    assert database is not None
    return database


def snapshot(database_url: str) -> str:
    """The whole database as SQL text: equal snapshots mean nothing at all was written."""
    with sqlite3.connect(db_path(database_url)) as conn:
        return "\n".join(conn.iterdump())


def query(database_url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path(database_url)) as conn:
        return conn.execute(sql, params).fetchall()


Importer = Callable[..., Awaitable[ImportReport]]


@pytest.fixture
def do_import(settings: Settings) -> Importer:
    """`await do_import(path, mapping, dry_run=..., skip_invalid=..., batch_size=...)` on the test database."""

    async def run(path: Path, mapping: Mapping, **options: Any) -> ImportReport:
        return await run_import(settings, path, mapping, ImportOptions(**options))

    return run
