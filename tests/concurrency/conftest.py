"""Concurrency tests run on both backends, like the API suite: SQLite (the default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import sqlite_copy


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, migrated_template: Path, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_copy(migrated_template, tmp_path)
    url: str = request.getfixturevalue("postgres_url")
    return url
