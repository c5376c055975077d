"""Sign-in over HTTP: the session cookie, Bearer tokens, and the gate in front of /graphql.

Every GraphQL request needs a principal: a session cookie from POST /auth/sign-in, or an API token in
`Authorization: Bearer …`. Anonymous requests get 401 UNAUTHENTICATED before any GraphQL work is done.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from backend.auth import service
from backend.auth.service import Principal, RateLimited
from backend.db import write_transaction

COOKIE = "enterpristore_session"
QUEUE_TIMEOUT = 20.0  # seconds a request may wait for a free slot before it is told to retry
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """Errors in the GraphQL shape, so that clients read every failure the same way."""
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status, headers=headers)


class RateLimiter:
    """A sliding window per key (token, user or address), in this process.

    With several app processes each enforces its own window, so the effective limit is per process; a shared
    limiter (Redis) is the next step when that matters."""

    def __init__(self, limit: int, window_seconds: float = 60.0) -> None:
        self.limit, self.window = limit, window_seconds
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def retry_after(self, key: str, now: float | None = None) -> int | None:
        """None if the request may pass (and counts it), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        return None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


async def resolve_principal(request: Request, factory: async_sessionmaker[AsyncSession]) -> Principal | None:
    """The principal of a Bearer token (preferred, for scripts) or of the session cookie."""
    token, cookie = _bearer(request), request.cookies.get(COOKIE)
    if token is None and cookie is None:
        return None
    async with factory() as session:  # a read: no write lock for the common case
        if token is None:
            return await service.principal_from_session(session, cookie or "")
        principal, touch = await service.principal_from_token(session, token)
    if touch is not None:
        async with write_transaction(factory) as session:
            await service.touch_token(session, touch)
    return principal


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class RequirePrincipal:
    """Wraps the GraphQL app: resolves who is asking, refuses anonymous requests, applies the rate limit."""

    def __init__(self, app: ASGIApp, state: dict[str, Any], limiter: RateLimiter, concurrency: int = 16) -> None:
        self.app, self.state, self.limiter = app, state, limiter
        # Requests past this many at once wait their turn, so the connection pool is never the one to give up.
        self.slots = asyncio.Semaphore(concurrency)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        principal = await resolve_principal(request, self.state["session_factory"])
        if principal is None:
            response = error(
                401,
                "UNAUTHENTICATED",
                "Sign in first: the session cookie, or an `Authorization: Bearer <API token>`.",
                {"WWW-Authenticate": 'Bearer realm="enterpristore"'},
            )
            await response(scope, receive, send)
            return
        key = f"{principal.via}:{principal.user_id}" if principal.via == "session" else f"token:{_bearer(request)}"
        retry = self.limiter.retry_after(key) or self.limiter.retry_after(f"address:{_address(request)}")
        if retry is not None:
            await error(429, "RATE_LIMITED", f"Too many requests: retry in {retry} s.", {"Retry-After": str(retry)})(
                scope, receive, send
            )
            return
        scope.setdefault("state", {})["principal"] = principal
        try:
            await asyncio.wait_for(self.slots.acquire(), timeout=QUEUE_TIMEOUT)
        except TimeoutError:
            await error(503, "RATE_LIMITED", "The server is busy: retry in a moment.", {"Retry-After": "1"})(
                scope, receive, send
            )
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.slots.release()


def _wants_secure_cookie(request: Request) -> bool:
    """Secure outside localhost (a laptop serves plain http://127.0.0.1)."""
    return request.url.scheme == "https" or (request.url.hostname or "") not in LOCAL_HOSTS


async def _json_body(request: Request) -> dict[str, Any] | None:
    """Only JSON bodies: a cross-site HTML form cannot send application/json."""
    if "application/json" not in request.headers.get("content-type", ""):
        return None
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def auth_endpoints(state: dict[str, Any]) -> dict[str, Callable[[Request], Awaitable[Response]]]:
    async def sign_in(request: Request) -> Response:
        body = await _json_body(request)
        if body is None or not isinstance(body.get("email"), str) or not isinstance(body.get("password"), str):
            return error(415 if body is None else 400, "BAD_USER_INPUT", 'Send JSON: {"email": …, "password": …}.')
        try:
            async with write_transaction(state["session_factory"]) as session:
                user = await service.authenticate(session, body["email"], body["password"], _address(request))
                secret = await service.start_session(session, user, request.headers.get("user-agent")) if user else None
        except RateLimited as limited:
            return error(429, "RATE_LIMITED", str(limited), {"Retry-After": str(limited.retry_after)})
        if user is None or secret is None:
            return error(401, "UNAUTHENTICATED", "Wrong email or password.")
        response = JSONResponse({"user": {"name": user.name, "email": user.email}})
        response.set_cookie(
            COOKIE,
            secret,
            max_age=int(service.SESSION_LIFETIME.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=_wants_secure_cookie(request),
            path="/",
        )
        return response

    async def sign_out(request: Request) -> Response:
        secret = request.cookies.get(COOKIE)
        if secret:
            async with write_transaction(state["session_factory"]) as session:
                await service.end_session(session, secret)
        response = JSONResponse({"signedOut": True})
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=_wants_secure_cookie(request))
        return response

    async def me(request: Request) -> Response:
        principal = await resolve_principal(request, state["session_factory"])
        if principal is None:
            return error(401, "UNAUTHENTICATED", "Not signed in.")
        return JSONResponse(
            {"user": {"name": principal.name}, "role": principal.role, "permissions": sorted(principal.permissions)}
        )

    return {"sign_in": sign_in, "sign_out": sign_out, "me": me}
