"""The hand-written baseline: the same rows as the GraphQL scenarios, fetched with plain SQL on the raw driver
connection, and the same JSON built with a fast JSON library, served by the same app as plain JSON routes.

It stands for the physical limit, so it is written to be as fast as is honest: the same database and indexes,
one bounded `ORDER BY … LIMIT` query per stage (UNION ALL, no window over the table), joins on primary keys
instead of extra round trips, one read transaction per request (the same snapshot guarantee as the GraphQL
side), no ORM, no Decimal or datetime objects where integer cents and the stored text suffice.
`bench/run.py` checks that every route returns exactly the GraphQL response before timing anything.
"""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from backend.leads.queries import DEFAULT_SORT, LeadSort, LeadSortField, sort_keys
from backend.pagination import encode_cursor

try:  # the fast path; plain json keeps the bench runnable where orjson is not installed
    import orjson

    def dumps(payload: Any) -> bytes:
        return orjson.dumps(payload)

    loads: Callable[[str | bytes], Any] = orjson.loads
    # Stored JSON goes into the response as it is, without a parse and a re-encode.
    raw_json: Callable[[str], Any] = orjson.Fragment
    JSON_LIBRARY = f"orjson {orjson.__version__}"
except ImportError:  # pragma: no cover
    import json

    def dumps(payload: Any) -> bytes:
        return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()

    loads = json.loads
    raw_json = json.loads
    JSON_LIBRARY = "json (stdlib)"

BOARD_KEYS = sort_keys(DEFAULT_SORT)
LIST_KEYS = sort_keys((LeadSort(LeadSortField.VALUE, descending=True),))

# Counted like the GraphQL side counts its statements (BEGIN/COMMIT excluded); read by bench/server.py.
statements: list[str] = []
sql_ms: list[float] = []


def gid(type_name: str, object_id: int | None) -> str | None:
    if object_id is None:
        return None
    return base64.urlsafe_b64encode(f"{type_name}:{object_id}".encode()).decode().rstrip("=")


def money(cents: int | None, places: int = 2) -> str | None:
    """Integer cents (or thousandths) as the Decimal string GraphQL sends: 12345 -> "123.45"."""
    if cents is None:
        return None
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 10**places)
    return f"{sign}{whole}.{fraction:0{places}d}"


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero (non-negative numbers), as the API rounds money."""
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if remainder * 2 >= denominator else 0)


def weighted(cents: int, probability: int) -> str:
    """value × probability / 100, rounded half up to the cent (Lead.weightedValue)."""
    return money(half_up(cents * probability, 100)) or "0.00"


def iso(stored: str) -> str:
    """SQLite's stored UTC text ("2026-01-02 03:04:05.123456") as Python's isoformat() of the aware datetime."""
    fraction = stored[20:26]
    return f"{stored[:10]}T{stored[11:19]}{'.' + fraction if fraction and fraction != '000000' else ''}+00:00"


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p]
    return "".join(p[0] for p in (parts[:1] + parts[-1:] if len(parts) > 1 else parts)).upper()


def _named(type_name: str, object_id: int | None, name: str | None) -> dict[str, Any] | None:
    return None if object_id is None else {"id": gid(type_name, object_id), "name": name}


class Db:
    """The raw driver connection (aiosqlite) from the app's own pool, one read transaction per request."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        statements.append(sql)
        started = time.perf_counter()
        rows: list[Any] = list(await self.connection.execute_fetchall(sql, params))
        sql_ms.append((time.perf_counter() - started) * 1000)
        return rows


@asynccontextmanager
async def snapshot(request: Request) -> AsyncIterator[Db]:
    engine = request.app.state.runtime["engine"]
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        await driver.execute("BEGIN")
        try:
            yield Db(driver)
        finally:
            await driver.execute("COMMIT")


def _ids(raw: str) -> list[int]:
    return [int(x) for x in raw.split(",") if x]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


async def _tags(db: Db, lead_ids: Sequence[int], with_color: bool) -> dict[int, list[dict[str, Any]]]:
    by_lead: dict[int, list[dict[str, Any]]] = {i: [] for i in lead_ids}
    if not lead_ids:
        return by_lead
    rows = await db.all(
        "SELECT lt.lead_id, t.id, t.name, t.color FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id"
        f" WHERE lt.lead_id IN ({_marks(lead_ids)}) ORDER BY t.name",
        lead_ids,
    )
    for lead_id, tag_id, name, color in rows:
        tag = {"id": gid("Tag", tag_id), "name": name}
        if with_color:
            tag["color"] = color
        by_lead[lead_id].append(tag)
    return by_lead


# --- 1. the board --------------------------------------------------------------------------------------------


async def board(request: Request) -> Response:
    first = int(request.query_params.get("first", "20"))
    now = datetime.now(UTC).replace(tzinfo=None)
    async with snapshot(request) as db:
        stages = await db.all(
            "SELECT p.id, p.name, p.rotting_days, s.id, s.name, s.probability, s.kind FROM pipelines p"
            " JOIN stages s ON s.pipeline_id = p.id"
            " WHERE p.id = (SELECT id FROM pipelines ORDER BY is_default DESC, position, id LIMIT 1)"
            " ORDER BY s.position, s.id"
        )
        stage_ids = [row[3] for row in stages]
        # One bounded branch per stage: each walks ix_leads_stage_created and stops after first + 1 rows.
        branch = "SELECT * FROM (SELECT id FROM leads WHERE stage_id = ?"
        branch += f" ORDER BY created_at DESC, id DESC LIMIT {first + 1})"
        branches = " UNION ALL ".join(branch for _ in stage_ids)
        cards = await db.all(
            "SELECT l.id, l.stage_id, l.title, l.value, l.currency, l.status, l.stage_entered_at,"
            " l.expected_close_date, l.version, l.created_at, p.id, p.name, o.id, o.name, u.id, u.name"
            f" FROM ({branches}) page JOIN leads l ON l.id = page.id"
            " LEFT JOIN persons p ON p.id = l.person_id LEFT JOIN organizations o ON o.id = l.organization_id"
            " LEFT JOIN users u ON u.id = l.sales_person_id"
            " ORDER BY l.stage_id, l.created_at DESC, l.id DESC",
            stage_ids,
        )
        # The column totals the triggers keep (one row per stage and sales person), as the API reads them.
        totals = {
            stage_id: (count, value or 0)
            for stage_id, count, value in await db.all(
                "SELECT stage_id, sum(lead_count), sum(value_cents_sum) FROM lead_stage_totals"
                f" WHERE stage_id IN ({_marks(stage_ids)}) GROUP BY stage_id",
                stage_ids,
            )
        }
        tags = await _tags(db, [row[0] for row in cards], with_color=True)

    pipeline_id, pipeline_name, rotting_days = stages[0][:3] if stages else (None, None, None)
    probability = {row[3]: row[5] for row in stages}
    by_stage: dict[int, list[Any]] = {stage_id: [] for stage_id in stage_ids}
    for row in cards:
        by_stage[row[1]].append(row)
    columns = []
    for _, _, _, stage_id, name, stage_probability, kind in stages:
        rows = by_stage[stage_id]
        page = rows[:first]
        edges = []
        for lead_id, _, title, value, currency, status, entered, close, version, _, *refs in page:
            person_id, person_name, org_id, org_name, user_id, user_name = refs
            days = (now - datetime.fromisoformat(entered)).days
            edges.append(
                {
                    "node": {
                        "id": gid("Lead", lead_id),
                        "title": title,
                        "value": money(value),
                        "currency": currency,
                        "weightedValue": None if value is None else weighted(value, stage_probability),
                        "isRotting": status == "open" and rotting_days is not None and days > rotting_days,
                        "daysInStage": days,
                        "expectedCloseDate": close,
                        "version": version,
                        "contactPerson": _named("Person", person_id, person_name),
                        "organization": _named("Organization", org_id, org_name),
                        "salesPerson": None
                        if user_id is None
                        else {"id": gid("User", user_id), "name": user_name, "initials": initials(user_name)},
                        "tags": tags[lead_id],
                    }
                }
            )
        count, value_cents = totals.get(stage_id, (0, 0))
        end_cursor = encode_cursor(BOARD_KEYS, [iso(page[-1][9]), page[-1][0]]) if page else None
        columns.append(
            {
                "id": gid("Stage", stage_id),
                "name": name,
                "probability": stage_probability,
                "kind": kind.upper(),
                "leads": {
                    "totalCount": count,
                    "totalValue": money(value_cents),
                    "weightedValue": money(half_up(value_cents * probability[stage_id], 100)),
                    "pageInfo": {"hasNextPage": len(rows) > first, "endCursor": end_cursor},
                    "edges": edges,
                },
            }
        )
    pipeline = {"id": gid("Pipeline", pipeline_id), "name": pipeline_name, "rottingDays": rotting_days}
    return Response(
        dumps({"data": {"defaultPipeline": {**pipeline, "stages": columns}}}), media_type="application/json"
    )


# --- 2. the list ---------------------------------------------------------------------------------------------


async def lead_list(request: Request) -> Response:
    params = request.query_params
    sources, tag_ids = _ids(params["sources"]), _ids(params["tags"])
    min_value = int(params["min_value"]) * 100
    first, at_most = int(params.get("first", "50")), int(params["count_at_most"])
    # The tag test probes each lead met (EXISTS on lead_tags' key): both queries stop early, and an IN list would
    # first collect every tagged lead of the table.
    where = (
        f"l.status = 'open' AND l.source_id IN ({_marks(sources)}) AND l.value >= ?"
        f" AND EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = l.id AND t.tag_id IN ({_marks(tag_ids)}))"
    )
    args = [*sources, min_value, *tag_ids]
    async with snapshot(request) as db:
        rows = await db.all(
            "SELECT l.id, l.title, l.value, l.currency, l.status, l.expected_close_date, l.created_at,"
            " s.id, s.name, u.id, u.name, p.id, p.name, o.id, o.name, src.id, src.name"
            f" FROM (SELECT l.id FROM leads l WHERE {where} ORDER BY l.value DESC, l.id DESC LIMIT {first + 1}) page"
            " JOIN leads l ON l.id = page.id JOIN stages s ON s.id = l.stage_id"
            " LEFT JOIN users u ON u.id = l.sales_person_id LEFT JOIN persons p ON p.id = l.person_id"
            " LEFT JOIN organizations o ON o.id = l.organization_id LEFT JOIN sources src ON src.id = l.source_id"
            " ORDER BY l.value DESC, l.id DESC",
            args,
        )
        # Counted as totalCount(atMost:) counts: no further than at_most + 1 matches.
        capped = f"SELECT count(*) FROM (SELECT 1 FROM leads l WHERE {where} LIMIT {at_most + 1})"
        (count,) = (await db.all(capped, args))[0]
        page = rows[:first]
        tags = await _tags(db, [row[0] for row in page], with_color=False)
    edges = []
    for lead_id, title, value, currency, status, close, created, *refs in page:
        stage_id, stage_name, user_id, user_name, person_id, person_name, org_id, org_name, src_id, src_name = refs
        edges.append(
            {
                "cursor": encode_cursor(LIST_KEYS, [money(value), lead_id]),
                "node": {
                    "id": gid("Lead", lead_id),
                    "title": title,
                    "value": money(value),
                    "currency": currency,
                    "status": status.upper(),
                    "expectedCloseDate": close,
                    "createdAt": iso(created),
                    "stage": _named("Stage", stage_id, stage_name),
                    "salesPerson": _named("User", user_id, user_name),
                    "contactPerson": _named("Person", person_id, person_name),
                    "organization": _named("Organization", org_id, org_name),
                    "source": _named("Source", src_id, src_name),
                    "tags": tags[lead_id],
                },
            }
        )
    connection = {
        "totalCount": count,
        "pageInfo": {"hasNextPage": len(rows) > first, "endCursor": edges[-1]["cursor"] if edges else None},
        "edges": edges,
    }
    return Response(dumps({"data": {"leads": connection}}), media_type="application/json")


# --- 3. a lead's detail --------------------------------------------------------------------------------------


async def detail(request: Request) -> Response:
    lead_id = int(request.query_params["id"])
    async with snapshot(request) as db:
        found = await db.all(
            "SELECT l.id, l.title, l.description, l.value, l.currency, l.status, l.version, l.expected_close_date,"
            " l.created_at, l.updated_at, s.id, s.name, p.id, p.name, p.emails, o.id, o.name, u.id, u.name"
            " FROM leads l JOIN stages s ON s.id = l.stage_id LEFT JOIN persons p ON p.id = l.person_id"
            " LEFT JOIN organizations o ON o.id = l.organization_id LEFT JOIN users u ON u.id = l.sales_person_id"
            " WHERE l.id = ?",
            (lead_id,),
        )
        if not found:
            return Response(dumps({"data": {"lead": None}}), media_type="application/json")
        tags = await _tags(db, [lead_id], with_color=False)
        lines = await db.all(
            "SELECT lp.id, lp.quantity, lp.unit_price, lp.discount_percent, lp.amount, pr.id, pr.sku, pr.name"
            " FROM lead_products lp JOIN products pr ON pr.id = lp.product_id WHERE lp.lead_id = ?"
            " ORDER BY lp.position, lp.id",
            (lead_id,),
        )
        timeline = await db.all(
            "SELECT id, kind, title, body, data, created_at FROM activities WHERE lead_id = ?"
            " ORDER BY created_at DESC, id DESC LIMIT 51",
            (lead_id,),
        )
    _, title, description, value, currency, status, version, close, created, updated, *refs = found[0]
    stage_id, stage_name, person_id, person_name, emails, org_id, org_name, user_id, user_name = refs
    person = _named("Person", person_id, person_name)
    if person is not None:
        person["emails"] = [{"label": e["label"], "value": e["value"]} for e in loads(emails or "[]")]
    lead = {
        "id": gid("Lead", lead_id),
        "title": title,
        "description": description,
        "value": money(value),
        "currency": currency,
        "status": status.upper(),
        "version": version,
        "expectedCloseDate": close,
        "createdAt": iso(created),
        "updatedAt": iso(updated),
        "stage": _named("Stage", stage_id, stage_name),
        "contactPerson": person,
        "organization": _named("Organization", org_id, org_name),
        "salesPerson": _named("User", user_id, user_name),
        "tags": tags[lead_id],
        "products": [
            {
                "id": gid("LeadProduct", line_id),
                "quantity": money(quantity, 3),
                "unitPrice": money(unit_price),
                "discountPercent": money(discount),
                "amount": money(amount),
                "product": {"id": gid("Product", product_id), "sku": sku, "name": name},
            }
            for line_id, quantity, unit_price, discount, amount, product_id, sku, name in lines
        ],
        "timeline": {
            "pageInfo": {"hasNextPage": len(timeline) > 50},
            "edges": [
                {
                    "node": {
                        "id": gid("Activity", activity_id),
                        "kind": kind.upper(),
                        "title": a_title,
                        "body": body,
                        "data": raw_json(data),
                        "createdAt": iso(at),
                    }
                }
                for activity_id, kind, a_title, body, data, at in timeline[:50]
            ],
        },
    }
    return Response(dumps({"data": {"lead": lead}}), media_type="application/json")


# --- 4. the aggregate ----------------------------------------------------------------------------------------


async def aggregate(request: Request) -> Response:
    """One GROUP BY over the open leads; the total is the sum of the groups, which partition them."""
    async with snapshot(request) as db:
        rows = await db.all(
            "SELECT src.id, src.name, s.id, s.name, count(l.id), sum(l.value), sum(l.value * s.probability)"
            " FROM leads l JOIN stages s ON s.id = l.stage_id LEFT JOIN sources src ON src.id = l.source_id"
            " WHERE l.status = 'open' GROUP BY l.source_id, l.stage_id"
            " ORDER BY src.name IS NULL, src.name, s.position"
        )
    groups = []
    count_all = sum_all = weighted_all = 0
    for source_id, source_name, stage_id, stage_name, count, value, weighted_cents in rows:
        value, weighted_cents = value or 0, weighted_cents or 0
        count_all, sum_all, weighted_all = count_all + count, sum_all + value, weighted_all + weighted_cents
        groups.append(
            {
                "keys": [
                    {"dimension": "SOURCE", "id": gid("Source", source_id), "value": source_name},
                    {"dimension": "STAGE", "id": gid("Stage", stage_id), "value": stage_name},
                ],
                "count": count,
                "sum": money(value),
                "weightedValue": money(half_up(weighted_cents, 100)),
            }
        )
    total = {"count": count_all, "sum": money(sum_all), "weightedValue": money(half_up(weighted_all, 100))}
    return Response(
        dumps({"data": {"leadAggregate": {"groups": groups, "total": total}}}), media_type="application/json"
    )


routes = [
    Route("/bench/board", board),
    Route("/bench/list", lead_list),
    Route("/bench/detail", detail),
    Route("/bench/aggregate", aggregate),
]
