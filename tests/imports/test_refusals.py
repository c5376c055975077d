"""A malformed file is refused with its line and column, and the database stays exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.imports.mapping import MappingError, load_mapping, parse_mapping
from tests.imports.conftest import HEADER, Importer, mapping_for, query, row, snapshot, write_csv


async def seeded(tmp_path: Path, do_import: Importer) -> None:
    """Something in the database already, so "unchanged" means more than "still empty"."""
    report = await do_import(
        write_csv(tmp_path / "seed.csv", [row("seed-1"), row("seed-2", stage="Won")]), mapping_for()
    )
    assert report.created == 2


async def test_wrong_delimiter(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    await seeded(tmp_path, do_import)
    before = snapshot(database_url)
    path = write_csv(tmp_path / "semi.csv", [row("1"), row("2")], delimiter=";")
    report = await do_import(path, mapping_for())
    assert report.fatal is not None and "line 1" in report.fatal
    assert "seems to use ';'" in report.fatal, report.fatal
    assert snapshot(database_url) == before


async def test_missing_mapped_column(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    await seeded(tmp_path, do_import)
    before = snapshot(database_url)
    header = [c for c in HEADER if c != "amount"]
    path = write_csv(
        tmp_path / "short.csv", [[v for c, v in zip(HEADER, row("1"), strict=True) if c != "amount"]], header=header
    )
    report = await do_import(path, mapping_for())
    assert report.fatal is not None
    assert "line 1, column 'amount' (value): not in the header" in report.fatal, report.fatal
    assert snapshot(database_url) == before


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        ({"amount": "12x"}, "amount", "'12x' is not a number"),
        ({"amount": "-5"}, "amount", "negative"),
        ({"amount": "10.555"}, "amount", "more than 2 decimal places"),
        ({"stage": "Maybe"}, "stage", "unknown stage 'Maybe'"),
        ({"closes": "2024-13-01"}, "closes", "month must be in 1..12"),
        ({"source": "Billboard"}, "source", "unknown source 'Billboard'"),
        ({"id": ""}, "id", "is empty"),
        ({"id": "1"}, "id", "is on line 2 already"),
    ],
)
async def test_invalid_row_refuses_the_whole_file(
    tmp_path: Path, database_url: str, do_import: Importer, bad: dict[str, str], column: str, message: str
) -> None:
    await seeded(tmp_path, do_import)
    before = snapshot(database_url)
    ident = bad.pop("id", "3")
    path = write_csv(tmp_path / "bad.csv", [row("1"), row("2"), row(ident, **bad), row("4")])
    report = await do_import(path, mapping_for(), batch_size=1)  # even with the earlier rows in batches of their own
    assert report.refused and report.created == 0
    assert [(p.line, p.column) for p in report.problems] == [(4, column)]
    assert message in report.problems[0].message, report.problems[0].message
    assert f"line 4, column {column!r}" in str(report.problems[0])
    assert snapshot(database_url) == before


async def test_stray_delimiter_and_unclosed_quote(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    before = snapshot(database_url)
    path = tmp_path / "broken.csv"
    lines = [
        ",".join(HEADER),
        ",".join(row("1")),
        ",".join(row("2", title="Acme, Inc.")),
        ",".join(row("3", title='"Open')),
    ]
    path.write_text("\n".join(lines) + "\n" + ",".join(row("5")) + "\n", encoding="utf-8")
    report = await do_import(path, mapping_for())
    assert report.refused
    assert [p.line for p in report.problems] == [3, 4]
    assert "has 12 fields but the header has 11" in report.problems[0].message
    assert "never closed" in report.problems[1].message
    assert snapshot(database_url) == before


async def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(
    tmp_path: Path, database_url: str, do_import: Importer
) -> None:
    rows = [row("1"), row("2", amount="lots"), row("3"), row("4", stage="Someday", closes="31/31/2024"), row("5")]
    path = write_csv(tmp_path / "mixed.csv", rows)
    dry = await do_import(path, mapping_for(), skip_invalid=True, dry_run=True)
    report = await do_import(path, mapping_for(), skip_invalid=True, batch_size=2)
    for result in (dry, report):
        assert (result.rows_read, result.created, result.updated, result.skipped) == (5, 3, 0, 2)
        assert [(p.line, p.column) for p in result.problems] == [(3, "amount"), (5, "stage"), (5, "closes")]
    ids = query(database_url, "SELECT external_id FROM leads ORDER BY 1")
    assert ids == [("test:1",), ("test:3",), ("test:5",)]


async def test_reimport_updates_in_place_without_duplicates(
    tmp_path: Path, database_url: str, do_import: Importer
) -> None:
    first = [row("1", tags="a|b"), row("2", owner="Bo Li", company="Beta", stage="Talking"), row("3")]
    await do_import(write_csv(tmp_path / "v1.csv", first), mapping_for())
    changed = [
        row("1", tags="b"),
        row("2", owner="Bo Li", company="Beta", stage="Lost", amount="250"),
        row("3"),
        row("4"),
    ]
    report = await do_import(write_csv(tmp_path / "v2.csv", changed), mapping_for())
    assert (report.created, report.updated, report.unchanged) == (1, 3, 1)
    for table, count in [("leads", 4), ("users", 2), ("organizations", 2), ("tags", 2), ("sources", 18)]:
        assert query(database_url, f"SELECT count(*) FROM {table}") == [(count,)], table
    lead = query(
        database_url, "SELECT status, value, version, closed_at IS NOT NULL FROM leads WHERE external_id = 'test:2'"
    )
    assert lead == [("lost", 25000, 2, 1)]
    kinds = query(
        database_url, "SELECT kind FROM activities WHERE lead_id = (SELECT id FROM leads WHERE external_id = 'test:2')"
    )
    assert sorted(k for (k,) in kinds) == ["fields_changed", "lead_created", "stage_changed"]
    tags = query(
        database_url,
        "SELECT t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id JOIN leads l ON l.id = lt.lead_id WHERE l.external_id = 'test:1'",
    )
    assert tags == [("b",)]


def test_mapping_mistakes_are_named() -> None:
    with pytest.raises(MappingError, match="unknown key"):
        parse_mapping({"name": "x", "columns": {"external_id": "id", "title": "t", "stage": "s", "valeu": "v"}})
    with pytest.raises(MappingError, match="no mapping file"):
        load_mapping("no-such-mapping")
    with pytest.raises(MappingError, match="ASCII-compatible"):
        mapping_for({"encoding": "utf-16"})


async def test_mapping_onto_a_stage_the_pipeline_lacks(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    mapping = mapping_for(stages={"Open": "prospecting"})
    report = await do_import(write_csv(tmp_path / "a.csv", [row("1")]), mapping)
    assert report.fatal is not None and "prospecting" in report.fatal
