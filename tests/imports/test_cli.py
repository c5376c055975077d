"""`enterpristore import`: exit codes, the printed report and the JSON report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.cli import main
from tests.imports.conftest import mapping_for, query, row, write_csv

MAPPING = """
name = "cli-test"
[file]
delimiter = ";"
decimal_separator = ","
thousands_separator = "."
date_format = "%d.%m.%Y"
[columns]
external_id = "id"
title = "title"
value = "amount"
stage = "stage"
[stages]
Open = "new"
Won = "won"
"""


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def csv_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text("id;title;amount;stage\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def test_import_with_a_mapping_file_and_json_report(
    tmp_path: Path, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.toml").write_text(MAPPING, encoding="utf-8")
    path = csv_file(tmp_path, "a1;Big deal;1.234,50;Won", "a2;Small deal;10;Open")
    code = main(
        [
            "import",
            str(path),
            "--mapping",
            str(tmp_path / "mine.toml"),
            "--report",
            str(tmp_path / "r.json"),
            "--no-progress",
        ]
    )
    assert code == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (report["rows_read"], report["created"], report["updated"], report["skipped"]) == (2, 2, 0, 0)
    assert "imported" in capsys.readouterr().out
    assert query(cli_env, "SELECT value FROM leads WHERE external_id = 'cli-test:a1'") == [(123450,)]


def test_invalid_row_exits_1_naming_line_and_column(
    tmp_path: Path, cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.toml").write_text(MAPPING, encoding="utf-8")
    path = csv_file(tmp_path, "a1;Big deal;1.234,50;Won", "a2;Small deal;ten;Open")
    assert main(["import", str(path), "-m", str(tmp_path / "mine.toml"), "--no-progress"]) == 1
    assert "line 3, column 'amount'" in capsys.readouterr().out
    assert query(cli_env, "SELECT count(*) FROM leads") == [(0,)]
    assert main(["import", str(path), "-m", str(tmp_path / "mine.toml"), "--no-progress", "--skip-invalid"]) == 0
    assert query(cli_env, "SELECT count(*) FROM leads") == [(1,)]


def test_unusable_file_or_mapping_exits_2(tmp_path: Path, cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "comma.csv", [row("1")])
    (tmp_path / "mine.toml").write_text(MAPPING, encoding="utf-8")
    assert main(["import", str(path), "-m", str(tmp_path / "mine.toml"), "--no-progress"]) == 2
    assert "seems to use ','" in capsys.readouterr().out
    assert main(["import", str(path), "-m", "no-such-mapping", "--no-progress"]) == 2
    assert "no shipped mapping" in capsys.readouterr().err


def test_delimiter_override(tmp_path: Path, cli_env: str) -> None:
    path = write_csv(tmp_path / "tabs.csv", [row("1")], delimiter="\t")
    mapping = tmp_path / "m.json"
    spec = mapping_for()
    assert spec.file.delimiter == ","
    mapping.write_text(
        json.dumps(
            {
                "name": "json-test",
                "columns": {"external_id": "id", "title": "title", "stage": "stage"},
                "stages": {"Open": "new"},
            }
        ),
        encoding="utf-8",
    )
    assert main(["import", str(path), "-m", str(mapping), "--delimiter", "tab", "--no-progress", "--dry-run"]) == 0
    assert query(cli_env, "SELECT count(*) FROM leads") == [(0,)]
    assert main(["import", str(path), "-m", str(mapping), "--delimiter", "tab", "--no-progress"]) == 0
    assert query(cli_env, "SELECT title FROM leads") == [("Deal 1",)]
