"""The Starlette application: /graphql, /healthz and the single-page app."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from backend.api.context import Context
from backend.api.errors import coded
from backend.auth.http import RateLimiter, RequirePrincipal, auth_endpoints
from backend.db import create_engine, create_session_factory
from backend.leads.http import export_endpoint
from backend.runtime import tune_garbage_collector
from backend.schema import schema
from backend.settings import Settings

log = logging.getLogger("enterpristore")

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def _accept_quality(accept: str) -> tuple[float, float]:
    """How much the client wants application/graphql-response+json and application/json (q-values, 0 = not)."""
    graphql_response = plain_json = 0.0
    for entry in accept.split(","):
        media_type, *params = (part.strip() for part in entry.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media_type = media_type.lower()
        if media_type == GRAPHQL_RESPONSE_JSON:
            graphql_response = max(graphql_response, quality)
        elif media_type in ("application/json", "application/*", "*/*"):
            plain_json = max(plain_json, quality)
    return graphql_response, plain_json


def wants_graphql_response_json(request: Request) -> bool:
    """GraphQL over HTTP: answer with application/graphql-response+json when the client prefers it; a missing
    Accept, */* or application/json keep the legacy application/json (always 200)."""
    graphql_response, plain_json = _accept_quality(request.headers.get("accept", ""))
    return graphql_response > 0 and graphql_response >= plain_json


def is_request_error(result: ExecutionResult) -> bool:
    """A parse, validation or variable-coercion failure: execution never started, so no error has a path.
    (A field error that nulls the whole result does have one, and keeps `data: null` with status 200.)"""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, settings: Settings, state: dict[str, Any]) -> None:
        super().__init__(schema, graphql_ide=None, allow_queries_via_get=True)
        self.settings = settings
        self.state = state

    def encode_json(self, data: object) -> bytes:
        """orjson, several times faster than the stdlib; it refuses what JSON cannot hold exactly (integers past
        64 bits, which only a JSON scalar could carry), and the stdlib encodes those."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data).encode()

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        """A JSON body that is no object ("a string", 42, null) is a client error, not a 500: Strawberry calls
        .get() on whatever the body decodes to."""
        if request.method != "GET" and "application/json" in (request.content_type or ""):
            body = self.parse_json(await request.get_body())
            if not isinstance(body, dict | list):
                raise HTTPException(400, 'The request body must be a JSON object such as {"query": "{ __typename }"}')
        return await super().parse_http_body(request)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Parse and variable errors never reach the schema's extensions: give them their code here."""
        if result.errors:
            result.errors = [coded(e) for e in result.errors]
        response = await super().process_result(request, result)
        if is_request_error(result) and wants_graphql_response_json(request):
            # application/graphql-response+json: a request error is a 4xx without a `data` entry (set in run()).
            response.pop("data", None)
            request.state.graphql_request_error = True
        return response

    async def run(  # type: ignore[override]
        self, request: Request | WebSocket, context: Context | None = UNSET, root_value: None = UNSET
    ) -> Response | WebSocket:
        response = await super().run(request, context, root_value)  # type: ignore[arg-type]
        if (
            isinstance(request, Request)
            and isinstance(response, Response)
            and response.media_type == "application/json"
            and wants_graphql_response_json(request)
        ):
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            if getattr(request.state, "graphql_request_error", False):
                response.status_code = 400
        return response

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context(
            settings=self.settings,
            session_factory=self.state["session_factory"],
            request=request,
            response=response,
            principal=getattr(request.state, "principal", None),
        )


class ImmutableStaticFiles(StaticFiles):
    """Vite puts a content hash in every asset name, so an asset never changes: cache it for a year."""

    async def get_response(self, path: str, scope: Any) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


# Everything the pages load comes from this origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def _spa_routes(dist: Path) -> list[Any]:
    """The built frontend; any other path gets index.html so that deep links work."""
    root = dist.resolve()
    index = root / "index.html"
    # Top-level files of the build (favicon, robots.txt...); everything else is an app route.
    top_level_files = {p.name: p for p in root.iterdir() if p.is_file()} if root.is_dir() else {}
    has_index = index.is_file()

    # Pages of their own (a second Vite entry): GraphiQL for analysts, from the app's bundle, no CDN.
    pages = {"graphiql": root / "graphiql.html"}
    html_headers = {"Cache-Control": "no-cache", "Content-Security-Policy": CONTENT_SECURITY_POLICY}

    async def spa(request: Request) -> Response:
        path = request.path_params.get("path", "")
        page = pages.get(path.rstrip("/"))
        if page is not None and page.is_file():
            return FileResponse(page, headers=html_headers)
        if path in top_level_files:
            return FileResponse(top_level_files[path])
        if not has_index:
            return PlainTextResponse(
                "The frontend is not built yet: run `make run` (or `make frontend`).", status_code=503
            )
        return FileResponse(index, headers=html_headers)

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
        tune_garbage_collector()
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

    graphql = RequirePrincipal(
        GraphQLApp(settings, state),
        state,
        RateLimiter(settings.rate_limit_per_minute),
        settings.max_concurrent_requests,
    )
    auth = auth_endpoints(state)
    routes: list[Any] = [
        Route("/healthz", healthz),
        Route("/auth/sign-in", auth["sign_in"], methods=["POST"]),
        Route("/auth/sign-out", auth["sign_out"], methods=["POST"]),
        Route("/auth/me", auth["me"], methods=["GET"]),
        Route("/export/leads.csv", export_endpoint(state), methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        *_spa_routes(settings.frontend_dist),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.runtime = state
    return app
