"""The app under uvicorn for the HTTP-level tests of this folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import sqlite_copy
from tests.protocol.live import running


@pytest.fixture
def live_server(migrated_template: Path, tmp_path: Path) -> Iterator[str]:
    """The app under uvicorn with a fresh migrated SQLite database; yields the base URL."""
    with running(sqlite_copy(migrated_template, tmp_path), tmp_path / "uvicorn.log") as base:
        yield base
