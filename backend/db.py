"""Engine and session factory, the declarative Base and the column types every slice shares."""

from __future__ import annotations

import asyncio
import contextlib
import unicodedata
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, DateTime, Float, MetaData, event, literal, make_url
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from backend.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact decimal stored as a scaled integer (cents for scale 2).

    SQLite has no exact decimal type: NUMERIC columns hold floats, so SUM() drifts. A scaled BIGINT is
    exact on SQLite and PostgreSQL alike, sums stay exact in SQL, and comparisons use plain indexes.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 2) -> None:
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value).scaleb(self.scale).to_integral_value(rounding=ROUND_HALF_UP)
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)

    def from_raw(self, raw: Any) -> Decimal:
        """Converts a raw aggregate (SUM over the stored integers) back into a Decimal."""
        return Decimal(int(raw or 0)).scaleb(-self.scale)


Money = ScaledDecimal  # money columns: ScaledDecimal(2)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite stores naive UTC text that sorts correctly)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware datetimes")
        utc: datetime = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value
        return stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored.astimezone(UTC)


class days_since(FunctionElement[float]):
    """Fractional days from a timestamp column to `now`, in each backend's own date arithmetic."""

    type = Float()
    inherit_cache = True

    def __init__(self, column: Any, now: datetime) -> None:
        super().__init__(column, literal(now.astimezone(UTC), UtcDateTime()))


@compiles(days_since, "sqlite")
def _days_since_sqlite(element: days_since, compiler: Any, **kw: Any) -> str:
    column, now = list(element.clauses)
    return f"(julianday({compiler.process(now, **kw)}) - julianday({compiler.process(column, **kw)}))"


@compiles(days_since, "postgresql")
def _days_since_postgresql(element: days_since, compiler: Any, **kw: Any) -> str:
    column, now = list(element.clauses)
    return f"(EXTRACT(EPOCH FROM ({compiler.process(now, **kw)} - {compiler.process(column, **kw)})) / 86400.0)"


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow, nullable=False)


# Letters NFKD does not decompose, folded as PostgreSQL's crm_fold() does (migration 0002).
_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d"})


def fold(text: str | None) -> str | None:
    """Lower case without accents, for accent- and case-insensitive search: "Zänker Café" -> "zanker cafe"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().translate(_FOLD_EXTRA)


def _prepare_sqlite(engine: AsyncEngine, busy_timeout_ms: int, foreign_keys: bool = True) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writers.

    pysqlite's own transaction handling begins lazily and upgrades read locks to write locks mid-transaction,
    which is what produces "database is locked" under concurrent writers. We take over BEGIN: a session that
    will write asks for `sqlite_immediate` and gets the write lock up front (waiting up to the busy timeout).
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # Migrations rebuild tables (SQLite's only ALTER): they check the keys once at the end instead.
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        dbapi_connection.create_function("crm_fold", 1, fold, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine(settings: Settings, *, foreign_keys: bool = True) -> AsyncEngine:
    url = settings.database_url
    connect_args: dict[str, Any] = {}
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args["timeout"] = settings.sqlite_busy_timeout_ms / 1000
    engine = create_async_engine(
        url,
        echo=settings.sql_echo,
        connect_args=connect_args,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_timeout=30,
    )
    if engine.dialect.name == "sqlite":
        _prepare_sqlite(engine, settings.sqlite_busy_timeout_ms, foreign_keys)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


# SQLite has one writer at a time: writers of this process queue here, in order, instead of spinning on the
# file lock until the busy timeout runs out (other processes still meet the busy timeout).
_sqlite_writers: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()


def _writer_lock(factory: async_sessionmaker[AsyncSession]) -> asyncio.Lock | None:
    engine = factory.kw.get("bind")
    if engine is None or engine.dialect.name != "sqlite":
        return None
    return _sqlite_writers.setdefault(engine.sync_engine, asyncio.Lock())


@asynccontextmanager
async def write_transaction(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One session, one transaction: committed on success, rolled back on any error."""
    lock = _writer_lock(factory)
    async with lock if lock is not None else contextlib.nullcontext(), factory() as session:
        await session.connection(execution_options={"sqlite_immediate": True})
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
