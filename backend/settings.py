"""Configuration from environment variables, with safe defaults for a laptop."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{PROJECT_ROOT / 'data' / 'enterpristore.db'}"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    host: str = "127.0.0.1"
    port: int = 8000
    # Relay connections never return more than this many edges per page.
    max_page_size: int = 100
    default_page_size: int = 20
    # Statements wait this long for a SQLite write lock before failing with "database is locked".
    sqlite_busy_timeout_ms: int = 15_000
    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    # GraphQL requests per minute per session, API token and client address.
    rate_limit_per_minute: int = 600
    # Connections per process (and as many again in overflow); requests beyond max_concurrent_requests wait.
    db_pool_size: int = 10
    max_concurrent_requests: int = 16
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    # Fields × page sizes: a board of 7 stages × 20 cards × 12 fields is about 1,800.
    max_query_cost: int = 25_000
    sql_echo: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or _default_database_url(),
            host=os.environ.get("HOST", "127.0.0.1"),
            port=_int("PORT", 8000),
            max_page_size=_int("ENTERPRISTORE_MAX_PAGE_SIZE", 100),
            default_page_size=_int("ENTERPRISTORE_DEFAULT_PAGE_SIZE", 20),
            sqlite_busy_timeout_ms=_int("ENTERPRISTORE_SQLITE_BUSY_TIMEOUT_MS", 15_000),
            frontend_dist=Path(os.environ.get("ENTERPRISTORE_FRONTEND_DIST", PROJECT_ROOT / "frontend" / "dist")),
            sql_echo=os.environ.get("ENTERPRISTORE_SQL_ECHO", "") == "1",
            rate_limit_per_minute=_int("ENTERPRISTORE_RATE_LIMIT_PER_MINUTE", 600),
            db_pool_size=_int("ENTERPRISTORE_DB_POOL_SIZE", 10),
            max_concurrent_requests=_int("ENTERPRISTORE_MAX_CONCURRENT_REQUESTS", 16),
            max_query_depth=_int("ENTERPRISTORE_MAX_QUERY_DEPTH", 10),
            max_aliases=_int("ENTERPRISTORE_MAX_ALIASES", 15),
            max_tokens=_int("ENTERPRISTORE_MAX_TOKENS", 2000),
            max_query_cost=_int("ENTERPRISTORE_MAX_QUERY_COST", 25_000),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
