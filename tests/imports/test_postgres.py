"""The importer on PostgreSQL: the same Core statements, the same figures, the same idempotence."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from backend.imports.mapping import load_mapping
from backend.imports.service import ImportOptions, run_import
from backend.settings import Settings
from tests.imports.conftest import mapping_for, row, write_csv


async def fetch(url: str, sql: str) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text(sql))).all())
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_maven_crm_on_postgresql(postgres_url: str, shared_data: Path) -> None:
    path = shared_data / "maven-crm" / "sales_pipeline.csv"
    with path.open(encoding="utf-8", newline="") as f:
        pipeline = list(csv.DictReader(f))
    settings = Settings(database_url=postgres_url)
    report = await run_import(settings, path, load_mapping("maven-crm"), ImportOptions())
    assert (report.fatal, report.created, report.skipped) == (None, len(pipeline), 0)
    stages = dict(
        await fetch(postgres_url, "SELECT s.code, count(*) FROM leads l JOIN stages s ON s.id = l.stage_id GROUP BY 1")
    )
    codes = {"Prospecting": "new", "Engaging": "contacted", "Won": "won", "Lost": "lost"}
    assert Counter(stages) == Counter(codes[r["deal_stage"]] for r in pipeline)
    again = await run_import(settings, path, load_mapping("maven-crm"), ImportOptions())
    assert (again.created, again.updated, again.unchanged) == (0, len(pipeline), len(pipeline))


@pytest.mark.postgres
async def test_changes_and_refusals_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=postgres_url)
    first = write_csv(tmp_path / "a.csv", [row("1", tags="x|y"), row("2", stage="Talking")])
    assert (await run_import(settings, first, mapping_for(), ImportOptions())).created == 2
    bad = write_csv(tmp_path / "b.csv", [row("1", tags="y", stage="Won"), row("3", amount="oops")])
    refused = await run_import(settings, bad, mapping_for(), ImportOptions())
    assert refused.refused and [(p.line, p.column) for p in refused.problems] == [(3, "amount")]
    lenient = await run_import(settings, bad, mapping_for(), ImportOptions(skip_invalid=True))
    assert (lenient.created, lenient.updated, lenient.skipped) == (0, 1, 1)
    leads = await fetch(postgres_url, "SELECT external_id, status, version FROM leads ORDER BY 1")
    assert [tuple(r) for r in leads] == [("test:1", "won", 2), ("test:2", "open", 1)]
