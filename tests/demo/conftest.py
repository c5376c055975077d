"""One seeded demo database per test session (seeding takes seconds), read by many tests and copied by the
tests that write."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from backend.demo.seed import seed_demo
from backend.settings import Settings

TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, tzinfo=UTC)  # the data set's history ends at the start of TODAY
LEADS = 3000


@dataclass(frozen=True)
class Seeded:
    path: Path
    summary: str

    def copy_to(self, directory: Path) -> str:
        target = directory / "seeded.db"
        shutil.copy(self.path, target)
        return f"sqlite+aiosqlite:///{target}"


def checkpoint(path: Path) -> None:
    """Moves everything from the WAL into the main file, so that copying the file copies all the data."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def seed_copy(template: Path, target: Path, *, leads: int, seed: int) -> str:
    shutil.copy(template, target)
    summary = asyncio.run(seed_demo(Settings(database_url=f"sqlite+aiosqlite:///{target}"), leads, seed, TODAY))
    checkpoint(target)
    return summary


@pytest.fixture(scope="session")
def seeded(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return Seeded(path, seed_copy(migrated_template, path, leads=LEADS, seed=42))


@pytest.fixture(scope="session")
def db(seeded: Seeded) -> Iterator[Session]:
    """A read-only synchronous session on the seeded database (the same models and column types)."""
    engine = create_engine(f"sqlite:///file:{seeded.path}?mode=ro&uri=true")
    with Session(engine) as session:
        yield session
    engine.dispose()
