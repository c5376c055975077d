"""The app under uvicorn for the HTTP-level tests of this folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import sqlite_copy
from tests.protocol.live import admin_token, running


@dataclass(frozen=True)
class LiveServer:
    base: str
    token: str


@pytest.fixture
def live_server(migrated_template: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """The app under uvicorn with a fresh migrated SQLite database, and an administrator's API token."""
    database_url = sqlite_copy(migrated_template, tmp_path)
    token = admin_token(database_url)
    with running(database_url, tmp_path / "uvicorn.log") as base:
        yield LiveServer(base, token)
