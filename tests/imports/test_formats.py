"""Real exports are messy: encodings, delimiters, quoting, number and date formats, as the mapping declares them."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.imports.conftest import Importer, mapping_for, query, row, write_csv


def leads(database_url: str) -> dict[str, tuple[object, ...]]:
    sql = "SELECT external_id, title, value, expected_close_date, closed_at, created_at FROM leads"
    return {r[0].split(":", 1)[1]: r[1:] for r in query(database_url, sql)}


def cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


@pytest.mark.parametrize("bom", [False, True])
async def test_utf8_with_or_without_byte_order_mark(
    tmp_path: Path, database_url: str, do_import: Importer, bom: bool
) -> None:
    path = write_csv(tmp_path / "deals.csv", [row("1", title="Zürich – Straße ✓")], bom=bom)
    report = await do_import(path, mapping_for())
    assert report.created == 1, report.problems
    assert leads(database_url)["1"][0] == "Zürich – Straße ✓"


@pytest.mark.parametrize(
    ("encoding", "title"), [("cp1252", "Café “Großkunde” – 5 €"), ("latin-1", "Año nuevo, señor Müller")]
)
async def test_legacy_encoding_named_by_the_mapping(
    tmp_path: Path, database_url: str, do_import: Importer, encoding: str, title: str
) -> None:
    path = write_csv(tmp_path / "legacy.csv", [row("1", title=title)], encoding=encoding)
    report = await do_import(path, mapping_for({"encoding": encoding}))
    assert report.created == 1, report.problems
    assert leads(database_url)["1"][0] == title


async def test_legacy_bytes_read_as_utf8_name_the_line(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    path = write_csv(tmp_path / "legacy.csv", [row("1"), row("2", title="Café")], encoding="cp1252")
    report = await do_import(path, mapping_for())
    assert report.refused and report.created == 0
    assert [(p.line, p.column) for p in report.problems] == [(3, None)]
    assert "not valid utf-8" in report.problems[0].message and "cp1252" in report.problems[0].message


@pytest.mark.parametrize("delimiter", [";", "\t"])
async def test_semicolon_and_tab_with_decimal_comma(
    tmp_path: Path, database_url: str, do_import: Importer, delimiter: str
) -> None:
    rows = [row("1", amount="1.234.567,89"), row("2", amount="12,5"), row("3", amount="999")]
    path = write_csv(tmp_path / "eu.csv", rows, delimiter=delimiter)
    fmt = {"delimiter": delimiter, "decimal_separator": ",", "thousands_separator": "."}
    report = await do_import(path, mapping_for(fmt))
    assert report.created == 3, report.problems
    values = {k: v[1] for k, v in leads(database_url).items()}
    assert values == {"1": cents("1234567.89"), "2": cents("12.50"), "3": cents("999")}


async def test_misplaced_thousands_separator_is_refused(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    path = write_csv(tmp_path / "eu.csv", [row("1", amount="1.23,4")], delimiter=";")
    report = await do_import(
        path, mapping_for({"delimiter": ";", "decimal_separator": ",", "thousands_separator": "."})
    )
    assert report.refused
    assert (report.problems[0].line, report.problems[0].column) == (2, "amount")
    assert "not a number" in report.problems[0].message


async def test_quoted_fields_hold_delimiters_quotes_and_line_breaks(
    tmp_path: Path, database_url: str, do_import: Importer
) -> None:
    title = 'Acme, Inc. – "rush"\nsecond line; third'
    rows = [row("1", title=title, tags="vip|q1"), row("2", stage="Nope")]
    path = write_csv(tmp_path / "quoted.csv", rows)
    report = await do_import(path, mapping_for())
    # The record with the line break spans lines 2-3, so the next record starts on line 4.
    assert report.refused and [(p.line, p.column) for p in report.problems] == [(4, "stage")]
    report = await do_import(path, mapping_for(), skip_invalid=True)
    assert (report.created, report.skipped) == (1, 1)
    assert leads(database_url)["1"][0] == title
    tags = query(database_url, "SELECT t.name FROM tags t JOIN lead_tags lt ON lt.tag_id = t.id ORDER BY 1")
    assert tags == [("q1",), ("vip",)]


async def test_declared_day_first_format(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    path = write_csv(tmp_path / "d.csv", [row("1", created="03/04/2024", closes="31/12/2024", stage="Won")])
    report = await do_import(path, mapping_for({"date_format": "%d/%m/%Y"}))
    assert report.created == 1, report.problems
    _, _, close_date, closed_at, created_at = leads(database_url)["1"]
    assert close_date == "2024-12-31"
    assert created_at.startswith("2024-04-03") and closed_at.startswith("2024-12-31")


@pytest.mark.parametrize(
    ("date_format", "value", "expected"),
    [
        ("%d/%m/%Y", "01/13/2024", "does not match format"),  # a 13th month is refused, never rolled over
        ("%Y-%m-%d", "2024-13-01", "month must be in 1..12"),
        ("%Y-%m-%d", "2024-02-30", "day is out of range"),
        (None, "03/04/2024", "ambiguous"),  # no format declared: 3 April or 4 March? Never guessed.
        (None, "2024/04/03", "not an ISO 8601 date"),
    ],
)
async def test_dates_that_do_not_fit_are_refused(
    tmp_path: Path, database_url: str, do_import: Importer, date_format: str | None, value: str, expected: str
) -> None:
    path = write_csv(tmp_path / "d.csv", [row("1", created=""), row("2", created="", closes=value)])
    fmt = {"date_format": date_format} if date_format else {}
    report = await do_import(path, mapping_for(fmt))
    assert report.refused and query(database_url, "SELECT count(*) FROM leads") == [(0,)]
    problem = report.problems[0]
    assert (problem.line, problem.column) == (3, "closes")
    assert expected in problem.message, problem.message


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin"])
async def test_date_only_values_keep_their_calendar_date(
    tmp_path: Path, database_url: str, do_import: Importer, zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", zone)  # the machine's zone must not matter either
    time.tzset()
    try:
        path = write_csv(tmp_path / "d.csv", [row("1", created="2024-03-01", closes="2024-03-31", stage="Won")])
        report = await do_import(path, mapping_for({"timezone": zone, "date_format": "%Y-%m-%d"}))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert report.created == 1, report.problems
    _, _, close_date, closed_at, created_at = leads(database_url)["1"]
    assert close_date == "2024-03-31"
    assert closed_at.startswith("2024-03-31") and created_at.startswith("2024-03-01")


async def test_date_and_time_values_are_read_in_the_mapping_zone(
    tmp_path: Path, database_url: str, do_import: Importer
) -> None:
    path = write_csv(tmp_path / "d.csv", [row("1", created="01.03.2024 23:30", closes="31.03.2024 00:15", stage="Won")])
    report = await do_import(path, mapping_for({"timezone": "Europe/Berlin", "date_format": "%d.%m.%Y %H:%M"}))
    assert report.created == 1, report.problems
    _, _, close_date, closed_at, created_at = leads(database_url)["1"]
    assert close_date == "2024-03-31"  # the date as written, in Berlin
    assert datetime.fromisoformat(closed_at).replace(tzinfo=UTC) == datetime(2024, 3, 30, 23, 15, tzinfo=UTC)
    assert datetime.fromisoformat(created_at).replace(tzinfo=UTC) == datetime(2024, 3, 1, 22, 30, tzinfo=UTC)
    assert date.fromisoformat(close_date) == date(2024, 3, 31)


async def test_empty_values_declared_by_the_mapping(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    path = write_csv(tmp_path / "s.csv", [row("1", source="Select", company="select", country="Select")])
    report = await do_import(path, mapping_for({"empty_values": ["Select"]}))
    assert report.created == 1, report.problems
    assert query(database_url, "SELECT source_id, organization_id FROM leads") == [(None, None)]


async def test_windows_line_endings_and_blank_lines(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    path = write_csv(tmp_path / "crlf.csv", [row("1", title="One\r\nTwo"), row("2")])
    data = path.read_bytes().replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n") + b"\r\n,,,,,,,,,,\r\n"
    path.write_bytes(data)
    report = await do_import(path, mapping_for())
    assert (report.rows_read, report.created) == (2, 2), report.problems
    assert leads(database_url)["1"][0] == "One\r\nTwo"
    assert any("2 blank lines ignored" in note for note in report.notes), report.notes
