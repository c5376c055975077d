"""Shared fixtures: a migrated database per test, the ASGI app, a GraphQL client and an SQL statement counter."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from backend.app import create_app
from backend.auth.http import COOKIE
from backend.auth.service import create_user, start_session
from backend.db import write_transaction
from backend.migrations import upgrade
from backend.settings import Settings

REPO = Path(__file__).resolve().parent.parent
# The public datasets live beside the repository (never in it); ENTERPRISTORE_SHARED_DATA points elsewhere.
SHARED_DATA = Path(os.environ.get("ENTERPRISTORE_SHARED_DATA") or REPO.parent / "shared" / "data")
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skips a test whose prerequisite is missing, except in CI, where it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrating takes a while; every test gets a copy of one migrated file instead."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def sqlite_copy(template: Path, tmp_path: Path) -> str:
    path = tmp_path / "test.db"
    shutil.copy(template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def database_url(migrated_template: Path, tmp_path: Path) -> str:
    return sqlite_copy(migrated_template, tmp_path)


POSTGRES_ADMIN_URL = os.environ.get("ENTERPRISTORE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
# One template per test run: runs side by side (several developers, CI) must not drop each other's.
POSTGRES_TEMPLATE = f"enterpristore_template_{os.getpid()}"


def _postgres_admin() -> Any:
    """A plain psycopg-free admin connection: asyncpg run synchronously for CREATE/DROP DATABASE."""
    import asyncpg

    return asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)


def _run(coro: Any) -> Any:
    import asyncio

    return asyncio.new_event_loop().run_until_complete(coro)


async def _admin(*statements: str) -> None:
    connection = await _postgres_admin()
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def _sqlalchemy_url(database: str) -> str:
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{database}"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A migrated PostgreSQL database that every PostgreSQL test clones (CREATE DATABASE ... TEMPLATE)."""
    try:
        _run(_admin("SELECT 1"))
    except Exception as error:  # connection refused, no server, auth failure...
        require(False, f"no PostgreSQL at {POSTGRES_ADMIN_URL}: {error}")
        yield None
        return
    _run(_admin(f"DROP DATABASE IF EXISTS {POSTGRES_TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {POSTGRES_TEMPLATE}"))
    upgrade(_sqlalchemy_url(POSTGRES_TEMPLATE))
    yield POSTGRES_TEMPLATE
    _run(_admin(f"DROP DATABASE IF EXISTS {POSTGRES_TEMPLATE} WITH (FORCE)"))


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    name = f"enterpristore_test_{uuid.uuid4().hex[:12]}"
    _run(_admin(f"CREATE DATABASE {name} TEMPLATE {postgres_template}"))
    try:
        yield _sqlalchemy_url(name)
    finally:
        _run(_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Tests send bursts (fuzzing, 50 concurrent writers): the rate limit has a test of its own.
    return Settings(database_url=database_url, frontend_dist=REPO / "frontend" / "dist", rate_limit_per_minute=10**6)


@dataclass
class StatementCounter:
    statements: list[str] = field(default_factory=list)
    active: bool = False

    def __enter__(self) -> StatementCounter:
        self.statements.clear()
        self.active = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.active = False

    @property
    def count(self) -> int:
        return len(self.statements)


@dataclass
class Api:
    client: httpx.AsyncClient
    app: Any
    sql: StatementCounter
    user_id: int | None = None

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        body: dict[str, Any] = response.json()
        return body

    async def ok(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The data of a request that must succeed without any GraphQL error."""
        body = await self.post(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    @property
    def session_factory(self) -> Any:
        return self.app.state.runtime["session_factory"]


async def sign_in_as(api: Api, name: str, role: str = "administrator", teams: tuple[str, ...] = ()) -> int:
    """Creates a user with the role and gives the client their session cookie (without a password round trip:
    argon2 is slow on purpose). Returns the user's id."""
    async with write_transaction(api.session_factory) as session:
        user = await create_user(session, name, f"{name.lower().replace(' ', '.')}@example.com", None, role, teams)
        secret = await start_session(session, user, "pytest")
    api.client.cookies.set(COOKIE, secret)
    return user.id


@pytest.fixture
async def anonymous_api(settings: Settings) -> AsyncIterator[Api]:
    """The app through httpx, with no one signed in."""
    app = create_app(settings)
    counter = StatementCounter()
    async with app.router.lifespan_context(app):
        engine = app.state.runtime["engine"]

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if counter.active and not statement.startswith(("BEGIN", "PRAGMA")):
                counter.statements.append(statement)

        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield Api(client=client, app=app, sql=counter)


@pytest.fixture
async def api(anonymous_api: Api) -> Api:
    """The app through httpx, signed in as an administrator (who sees every lead)."""
    anonymous_api.user_id = await sign_in_as(anonymous_api, "Admin User", "administrator")
    return anonymous_api


@pytest.fixture
def shared_data() -> Iterator[Path]:
    require(SHARED_DATA.is_dir(), f"the shared datasets are not at {SHARED_DATA} (set ENTERPRISTORE_SHARED_DATA)")
    yield SHARED_DATA
