"""Both shipped mappings on the real exports in ../shared/data: the database must show what the CSV says.

Every expected figure is computed here, from the CSV, with the csv module and the mapping file read by tomllib,
independently of the importer's own parser.
"""

from __future__ import annotations

import csv
import tomllib
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from backend.imports.mapping import SHIPPED_DIR, load_mapping
from tests.imports.conftest import Importer, query, snapshot


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def shipped(name: str) -> dict[str, Any]:
    return tomllib.loads((SHIPPED_DIR / f"{name}.toml").read_text(encoding="utf-8"))


def per_stage(database_url: str) -> Counter[str]:
    rows = query(database_url, "SELECT s.code, count(*) FROM leads l JOIN stages s ON s.id = l.stage_id GROUP BY 1")
    return Counter(dict(rows))


def won_total(database_url: str) -> Decimal:
    (cents,) = query(database_url, "SELECT coalesce(sum(value), 0) FROM leads WHERE status = 'won'")[0]
    return Decimal(cents) / 100


def per_sales_person(database_url: str) -> Counter[str | None]:
    sql = "SELECT u.name, count(*) FROM leads l LEFT JOIN users u ON u.id = l.sales_person_id GROUP BY 1"
    return Counter(dict(query(database_url, sql)))


def per_source(database_url: str) -> Counter[str | None]:
    sql = "SELECT s.name, count(*) FROM leads l LEFT JOIN sources s ON s.id = l.source_id GROUP BY 1"
    return Counter(dict(query(database_url, sql)))


def assert_counts(report: Any, rows: int, *, created: int, updated: int) -> None:
    assert report.fatal is None and not report.refused, report.problems[:5]
    assert (report.rows_read, report.created, report.updated, report.skipped) == (rows, created, updated, 0)
    assert report.rows_read == report.created + report.updated + report.skipped


async def test_maven_crm(shared_data: Path, database_url: str, do_import: Importer) -> None:
    folder = shared_data / "maven-crm"
    pipeline = read_csv(folder / "sales_pipeline.csv")
    spec = shipped("maven-crm")
    mapping = load_mapping("maven-crm")
    before = snapshot(database_url)

    dry = await do_import(folder / "sales_pipeline.csv", mapping, dry_run=True)
    assert snapshot(database_url) == before
    report = await do_import(folder / "sales_pipeline.csv", mapping)
    assert_counts(report, len(pipeline), created=len(pipeline), updated=0)
    assert (dry.created, dry.updated, dry.skipped, dry.references) == (
        report.created,
        report.updated,
        report.skipped,
        report.references,
    )

    assert per_stage(database_url) == Counter(spec["stages"][r["deal_stage"]] for r in pipeline)
    assert won_total(database_url) == sum(Decimal(r["close_value"]) for r in pipeline if r["deal_stage"] == "Won")
    assert per_sales_person(database_url) == Counter(r["sales_agent"] for r in pipeline)
    assert per_source(database_url) == Counter({None: len(pipeline)})
    _check_maven_references(database_url, folder, pipeline, spec)
    assert any("'GTXPro' as 'GTX Pro' (1,480)" in note for note in report.notes), report.notes
    assert any("'technolgy' as 'technology'" in note for note in report.notes), report.notes
    assert report.columns_not_imported["sales_teams.csv"] == ["manager", "regional_office"]

    first = snapshot(database_url)
    again = await do_import(folder / "sales_pipeline.csv", mapping)
    assert_counts(again, len(pipeline), created=0, updated=len(pipeline))
    assert again.unchanged == len(pipeline)
    assert snapshot(database_url) == first  # idempotent: not one byte differs


def _check_maven_references(database_url: str, folder: Path, pipeline: list[dict[str, str]], spec: Any) -> None:
    accounts = read_csv(folder / "accounts.csv")
    products = read_csv(folder / "products.csv")
    teams = read_csv(folder / "sales_teams.csv")
    assert query(database_url, "SELECT count(*) FROM organizations")[0][0] == len(accounts)
    assert query(database_url, "SELECT count(*) FROM users")[0][0] == len(teams)
    assert query(database_url, "SELECT count(*) FROM products")[0][0] == len(products)
    industries = Counter(dict(query(database_url, "SELECT industry, count(*) FROM organizations GROUP BY 1")))
    fixes = spec["values"]["industry"]
    assert industries == Counter(fixes.get(a["sector"], a["sector"]) for a in accounts)
    # Every deal has one product line, on the right product, and the lead's value is that line's amount.
    aliases = spec["values"]["product"]
    sql = "SELECT p.name, count(*) FROM lead_products lp JOIN products p ON p.id = lp.product_id GROUP BY 1"
    assert Counter(dict(query(database_url, sql))) == Counter(aliases.get(r["product"], r["product"]) for r in pipeline)
    mismatched = (
        "SELECT count(*) FROM leads l WHERE l.value != (SELECT sum(amount) FROM lead_products WHERE lead_id = l.id)"
    )
    assert query(database_url, mismatched)[0][0] == 0
    no_account = sum(1 for r in pipeline if not r["account"])
    assert query(database_url, "SELECT count(*) FROM leads WHERE organization_id IS NULL")[0][0] == no_account
    # Won and lost leads are closed, open ones are not; one LEAD_CREATED activity per lead, saying it was imported.
    assert (
        query(database_url, "SELECT count(*) FROM leads WHERE (status = 'open') = (closed_at IS NOT NULL)")[0][0] == 0
    )
    activities = query(database_url, "SELECT kind, count(*) FROM activities GROUP BY 1")
    assert activities == [("lead_created", len(pipeline))]
    (line,) = query(database_url, "SELECT json_extract(data, '$.imported.line') FROM activities WHERE lead_id = 1")[0]
    assert line == 2


async def test_x_education(shared_data: Path, database_url: str, do_import: Importer) -> None:
    path = shared_data / "x-education-leads" / "Leads.csv"
    leads = read_csv(path)
    spec = shipped("x-education")
    mapping = load_mapping("x-education")
    before = snapshot(database_url)

    dry = await do_import(path, mapping, dry_run=True)
    assert snapshot(database_url) == before
    report = await do_import(path, mapping)
    assert_counts(report, len(leads), created=len(leads), updated=0)
    assert (dry.created, dry.updated, dry.skipped, dry.references) == (
        report.created,
        report.updated,
        report.skipped,
        report.references,
    )

    assert per_stage(database_url) == Counter(spec["stages"][r["Converted"]] for r in leads)
    assert won_total(database_url) == 0  # the export has no amounts
    assert per_sales_person(database_url) == Counter({None: len(leads)})
    sources = {key.casefold(): name for key, name in spec["sources"].items()}
    assert per_source(database_url) == Counter(sources.get(r["Lead Source"].casefold()) or None for r in leads)
    tags = Counter(
        dict(
            query(database_url, "SELECT t.name, count(*) FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id GROUP BY 1")
        )
    )
    assert tags == Counter(r["Tags"] for r in leads if r["Tags"])
    # "Select" means empty: it never reaches the database.
    assert query(database_url, "SELECT count(*) FROM leads WHERE description LIKE '%Select%'")[0][0] == 0
    cities = Counter(r["City"] for r in leads if r["City"] not in ("", "Select"))
    assert (
        query(database_url, "SELECT count(*) FROM leads WHERE description LIKE '%City: Mumbai%'")[0][0]
        == cities["Mumbai"]
    )

    first = snapshot(database_url)
    again = await do_import(path, mapping)
    assert_counts(again, len(leads), created=0, updated=len(leads))
    assert again.unchanged == len(leads)
    assert snapshot(database_url) == first
