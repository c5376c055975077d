"""GET /export/leads.csv: the lead list as CSV, for whoever may export (the `leads.export` permission).

Takes the same filter as GraphQL (`filter` and `orderBy` as JSON in the API's spelling, `savedFilter` an id),
applies the principal's visibility, and streams the rows.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from backend.api.inputs import from_api_json
from backend.api.relay import decode_id
from backend.auth.http import error, resolve_principal
from backend.auth.models import Permission
from backend.auth.service import Principal
from backend.errors import DomainError
from backend.leads import saved_filters
from backend.leads.export import export_csv
from backend.leads.filters import LeadFilter
from backend.leads.types import LeadFilterInput, LeadOrderInput, to_lead_filter, to_lead_sort


def _json_param(request: Request, name: str) -> Any:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise DomainError.bad_input(name, f"{name} must be JSON in the API's spelling") from None


async def _filter(session: AsyncSession, principal: Principal, request: Request) -> tuple[LeadFilter | None, Any]:
    parts: list[LeadFilter] = []
    order = [from_api_json(LeadOrderInput, o) for o in _json_param(request, "orderBy") or []]
    raw_filter = _json_param(request, "filter")
    if raw_filter:
        parts += [
            f for f in [to_lead_filter(from_api_json(LeadFilterInput, raw_filter), "filter", principal.user_id)] if f
        ]
    if saved_id := request.query_params.get("savedFilter"):
        saved = await saved_filters.get_visible(
            session, principal, decode_id(saved_id, "SavedFilter", "savedFilter"), "savedFilter"
        )
        stored = from_api_json(LeadFilterInput, saved.filter) if saved.filter else None
        parts += [f for f in [to_lead_filter(stored, "savedFilter", principal.user_id)] if f]
        order = order or [from_api_json(LeadOrderInput, o) for o in saved.sort]
    scope = principal.lead_scope()
    parts += [scope] if scope else []
    combined = LeadFilter(and_=tuple(parts)) if parts else None
    return combined, to_lead_sort(order or None)


def export_endpoint(state: dict[str, Any]) -> Any:
    async def export(request: Request) -> Response:
        factory: async_sessionmaker[AsyncSession] = state["session_factory"]
        principal = await resolve_principal(request, factory)
        if principal is None:
            return error(401, "UNAUTHENTICATED", "Sign in first.")
        if not principal.can(Permission.EXPORT):
            return error(403, "FORBIDDEN", "Your role may not export leads (leads.export).")
        session = factory()
        try:
            flt, sort = await _filter(session, principal, request)
        except (DomainError, ValueError, KeyError, TypeError) as problem:
            await session.close()
            message = str(problem) if isinstance(problem, DomainError) else f"the filter does not fit: {problem}"
            return error(400, "BAD_USER_INPUT", message)

        async def body() -> Any:
            try:
                async for line in export_csv(session, flt, sort):
                    yield line
            finally:
                await session.close()

        return StreamingResponse(
            body(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="leads.csv"', "Cache-Control": "no-store"},
        )

    return export
