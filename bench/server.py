"""The app as it ships, plus the baseline's JSON routes and a per-request timing header, for `uvicorn --factory`.

Timing is kept in one module-level record that every request resets: it is only meaningful while requests come
one at a time, which is how bench/run.py measures latency (the load run ignores it). Its cost is a few
perf_counter() calls per statement and per phase, well below the noise of a request.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from backend.app import GraphQLApp, create_app
from backend.schema import schema
from backend.settings import Settings
from bench import baseline

STATS: dict[str, Any] = {}
CAPTURED: list[tuple[str, Any]] = []


def _reset(capture: bool) -> None:
    STATS.clear()
    STATS.update(sql_count=0, sql_ms=0.0, parse_ms=0.0, validate_ms=0.0, execute_ms=0.0, encode_ms=0.0)
    STATS["capture"] = capture
    CAPTURED.clear()
    baseline.statements.clear()
    baseline.sql_ms.clear()


class PhaseTiming(SchemaExtension):
    """Wall time of parsing, validation and execution (resolvers, DataLoaders and their SQL) per operation."""

    def _timed(self, key: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        STATS[key] = STATS.get(key, 0.0) + (time.perf_counter() - started) * 1000

    def on_parse(self) -> Iterator[None]:
        yield from self._timed("parse_ms")

    def on_validate(self) -> Iterator[None]:
        yield from self._timed("validate_ms")

    def on_execute(self) -> Iterator[None]:
        yield from self._timed("execute_ms")


@event.listens_for(Engine, "before_cursor_execute")
def _before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    conn.info["bench_started"] = time.perf_counter()


@event.listens_for(Engine, "after_cursor_execute")
def _after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    """Statement execution time as the app waits for it (aiosqlite: including the hop to its thread)."""
    started = conn.info.pop("bench_started", None)
    if started is None or not STATS or statement.startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")):
        return
    STATS["sql_count"] += 1
    STATS["sql_ms"] += (time.perf_counter() - started) * 1000
    if STATS.get("capture"):
        CAPTURED.append((statement, list(parameters) if isinstance(parameters, (list, tuple)) else parameters))


class Instrument:
    """Resets the record per request and reports it in an `x-bench` response header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/graphql" or path in BASELINE_PATHS):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        _reset(capture=headers.get(b"x-bench-capture") == b"1")
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                STATS["server_ms"] = (time.perf_counter() - started) * 1000
                if path != "/graphql":
                    STATS["sql_count"] = len(baseline.statements)
                    STATS["sql_ms"] = sum(baseline.sql_ms)
                report = {k: v for k, v in STATS.items() if k != "capture"}
                message["headers"] = [*message.get("headers", []), (b"x-bench", json.dumps(report).encode())]
            await send(message)

        await self.app(scope, receive, timed_send)


BASELINE_PATHS = {route.path for route in baseline.routes}


async def captured(_request: Request) -> Response:
    """The statements (and parameters) of the last request sent with `x-bench-capture: 1`."""
    statements = CAPTURED if CAPTURED else [(s, None) for s in baseline.statements]
    return Response(json.dumps(statements, default=str), media_type="application/json")


def create_bench_app() -> ASGIApp:
    app = create_app(Settings.from_env())
    if PhaseTiming not in schema.extensions:
        # First, so that its hooks wrap the others': ValidationCache validates in its own on_validate.
        schema.extensions = (PhaseTiming, *schema.extensions)
    for route in app.router.routes:
        endpoint = getattr(route, "app", None)
        while endpoint is not None and not isinstance(endpoint, GraphQLApp):  # under the sign-in gate
            endpoint = getattr(endpoint, "app", None)
        if isinstance(endpoint, GraphQLApp):
            encode = endpoint.encode_json

            def timed_encode(data: object, _encode: Any = encode) -> str | bytes:
                started = time.perf_counter()
                try:
                    result: str | bytes = _encode(data)
                    return result
                finally:
                    STATS["encode_ms"] = STATS.get("encode_ms", 0.0) + (time.perf_counter() - started) * 1000

            endpoint.encode_json = timed_encode  # type: ignore[method-assign]
    # In front of the SPA's catch-all route.
    app.router.routes[0:0] = [*baseline.routes, Route("/bench/_captured", captured)]
    return Instrument(app)
