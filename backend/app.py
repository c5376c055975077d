"""The Starlette application: /graphql, /healthz and the single-page app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from backend.api.context import Context
from backend.api.errors import coded
from backend.db import create_engine, create_session_factory
from backend.schema import schema
from backend.settings import Settings

log = logging.getLogger("enterpristore")


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, settings: Settings, state: dict[str, Any]) -> None:
        super().__init__(schema, graphql_ide=None, allow_queries_via_get=True)
        self.settings = settings
        self.state = state

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Parse and variable errors never reach the schema's extensions: give them their code here."""
        if result.errors:
            result.errors = [coded(e) for e in result.errors]
        return await super().process_result(request, result)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context(
            settings=self.settings,
            session_factory=self.state["session_factory"],
            request=request,
            response=response,
        )


class ImmutableStaticFiles(StaticFiles):
    """Vite puts a content hash in every asset name, so an asset never changes: cache it for a year."""

    async def get_response(self, path: str, scope: Any) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _spa_routes(dist: Path) -> list[Any]:
    """The built frontend; any other path gets index.html so that deep links work."""
    root = dist.resolve()
    index = root / "index.html"
    # Top-level files of the build (favicon, robots.txt...); everything else is an app route.
    top_level_files = {p.name: p for p in root.iterdir() if p.is_file()} if root.is_dir() else {}
    has_index = index.is_file()

    async def spa(request: Request) -> Response:
        path = request.path_params.get("path", "")
        if path in top_level_files:
            return FileResponse(top_level_files[path])
        if not has_index:
            return PlainTextResponse(
                "The frontend is not built yet: run `make run` (or `make frontend`).", status_code=503
            )
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    routes: list[Any] = []
    if (dist / "assets").is_dir():
        routes.append(Mount("/assets", app=ImmutableStaticFiles(directory=dist / "assets"), name="assets"))
    routes += [Route("/", spa), Route("/{path:path}", spa)]
    return routes


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(settings)
        state["engine"] = engine
        state["session_factory"] = create_session_factory(engine)
        try:
            yield
        finally:
            await engine.dispose()

    async def healthz(_request: Request) -> Response:
        try:
            async with state["engine"].connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": state["engine"].dialect.name})

    graphql = GraphQLApp(settings, state)
    routes: list[Any] = [
        Route("/healthz", healthz),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        *_spa_routes(settings.frontend_dist),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.runtime = state
    return app
