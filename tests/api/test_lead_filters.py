"""The lead filter language: each criterion and operator, relative dates, and aggregates over the same filter."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backend.auth.models import User
from backend.contacts.models import Organization
from backend.leads.models import Lead, LeadStatus, Source, Tag
from backend.pipelines.models import Stage
from tests.conftest import Api

COUNT = "query($filter: LeadFilter) { leads(filter: $filter, first: 100) { totalCount edges { node { title } } } }"
BERLIN = ZoneInfo("Europe/Berlin")


def gid(type_name: str, object_id: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{object_id}".encode()).decode().rstrip("=")


async def _given_a_varied_book(api: Api) -> dict[str, Any]:
    """Nine leads whose every attribute is chosen so that each criterion selects a known subset."""
    now = datetime.now(UTC)
    today = now.date()
    berlin_midnight = datetime.combine(now.astimezone(BERLIN).date(), time.min, BERLIN)
    async with api.session_factory() as session:
        stages = {s.code: s for s in (await session.execute(select(Stage))).scalars()}
        sources = {s.name: s for s in (await session.execute(select(Source))).scalars()}
        ann, bob = User(name="Ann"), User(name="Bob")
        hot, vip = Tag(name="hot", color="#ff0000"), Tag(name="vip", color="#00ff00")
        acme = Organization(name="Acme", industry="Healthcare", country="Germany", city="Berlin", employee_count=250)
        globex = Organization(name="Globex", industry="Software", country="France", employee_count=12)
        session.add_all([ann, bob, hot, vip, acme, globex])
        await session.flush()
        rows = [
            # title, stage, value, owner, source, org, tags, created days ago, close in days, entered days ago
            ("L1", "new", "15000.00", ann, "Customer referral", acme, [hot], 2, 10, 2),
            ("L2", "new", "500.00", bob, "Search", globex, [], 40, -5, 40),
            ("L3", "qualified", "25000.00", ann, "Partner referral", acme, [hot, vip], 5, 25, 31),
            ("L4", "qualified", None, None, "Trade show", None, [vip], 100, None, 10),
            ("L5", "won", "8000.00", bob, "Customer referral", globex, [], 200, -30, 60),
            ("L6", "lost", "12000.00", ann, "Cold call", acme, [hot], 15, -2, 3),
            ("L7", "negotiation", "11000.00", bob, "Employee referral", acme, [], 1, 40, 1),
            ("L8", "contacted", "999.99", None, None, None, [], 0, 0, 0),
            ("L9", "demo", "30000.00", ann, "Website form", globex, [hot], 3, 29, 35),
        ]
        for title, code, value, owner, source, org, tags, age, close_in, entered in rows:
            stage = stages[code]
            status = {"open": LeadStatus.OPEN, "won": LeadStatus.WON, "lost": LeadStatus.LOST}[stage.kind.value]
            session.add(
                Lead(
                    title=title,
                    value=Decimal(value) if value else None,
                    currency="USD",
                    status=status,
                    lost_reason="Too expensive" if status == LeadStatus.LOST else None,
                    pipeline_id=stage.pipeline_id,
                    stage_id=stage.id,
                    sales_person_id=owner.id if owner else None,
                    source_id=sources[source].id if source else None,
                    organization_id=org.id if org else None,
                    tags=tags,
                    products=[],
                    created_at=now - timedelta(days=age),
                    stage_entered_at=now - timedelta(days=entered, minutes=5),
                    expected_close_date=today + timedelta(days=close_in) if close_in is not None else None,
                )
            )
        # Created ten minutes into today in Berlin: still yesterday in UTC.
        session.add(
            Lead(
                title="L10",
                currency="USD",
                status=LeadStatus.OPEN,
                pipeline_id=1,
                stage_id=stages["new"].id,
                created_at=berlin_midnight + timedelta(minutes=10),
                stage_entered_at=now,
                tags=[],
                products=[],
            )
        )
        await session.commit()
        return {
            "ann": ann.id,
            "bob": bob.id,
            "hot": hot.id,
            "vip": vip.id,
            "acme": acme.id,
            "stages": {c: s.id for c, s in stages.items()},
            "sources": {n: s.id for n, s in sources.items()},
        }


async def _titles(api: Api, flt: dict[str, Any]) -> list[str]:
    data = await api.ok(COUNT, {"filter": flt})
    titles = sorted(e["node"]["title"] for e in data["leads"]["edges"])
    assert data["leads"]["totalCount"] == len(titles)
    return titles


async def test_each_criterion_selects_exactly_its_leads(api: Api) -> None:
    ids = await _given_a_varied_book(api)
    ann, hot, vip = gid("User", ids["ann"]), gid("Tag", ids["hot"]), gid("Tag", ids["vip"])
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"salesPerson": {"eq": ann}}, ["L1", "L3", "L6", "L9"]),
        ({"salesPerson": {"isNull": True}}, ["L10", "L4", "L8"]),
        ({"salesPerson": {"notIn": [ann]}}, ["L10", "L2", "L4", "L5", "L7", "L8"]),
        ({"value": {"gte": "11000", "lte": "25000"}}, ["L1", "L3", "L6", "L7"]),
        ({"value": {"isNull": True}}, ["L10", "L4"]),
        ({"value": {"gt": "25000"}}, ["L9"]),
        ({"status": {"eq": "WON"}}, ["L5"]),
        ({"status": {"in": ["WON", "LOST"]}}, ["L5", "L6"]),
        ({"stage": {"eq": gid("Stage", ids["stages"]["qualified"])}}, ["L3", "L4"]),
        ({"sourceCategory": {"eq": "REFERRAL"}}, ["L1", "L3", "L5", "L7"]),
        ({"source": {"isNull": True}}, ["L10", "L8"]),
        ({"tags": {"anyOf": [hot, vip]}}, ["L1", "L3", "L4", "L6", "L9"]),
        ({"tags": {"allOf": [hot, vip]}}, ["L3"]),
        ({"tags": {"noneOf": [hot]}}, ["L10", "L2", "L4", "L5", "L7", "L8"]),
        ({"tags": {"isEmpty": True}}, ["L10", "L2", "L5", "L7", "L8"]),
        ({"industry": {"eq": "healthcare"}}, ["L1", "L3", "L6", "L7"]),
        ({"country": {"in": ["France"]}}, ["L2", "L5", "L9"]),
        ({"industry": {"isNull": True}}, ["L10", "L4", "L8"]),
        ({"city": {"contains": "erl"}}, ["L1", "L3", "L6", "L7"]),
        ({"companySize": {"gte": 100}}, ["L1", "L3", "L6", "L7"]),
        ({"lostReason": {"contains": "expensive"}}, ["L6"]),
        ({"daysInStage": {"gte": 30}}, ["L2", "L3", "L5", "L9"]),
        ({"daysInStage": {"lte": 2}}, ["L1", "L10", "L7", "L8"]),
        ({"isRotting": True}, ["L2", "L3", "L9"]),
        ({"search": "acme"}, ["L1", "L3", "L6", "L7"]),
        ({"organization": {"eq": gid("Organization", ids["acme"])}, "value": {"gte": "12000"}}, ["L1", "L3", "L6"]),
        ({"or": [{"tags": {"allOf": [vip]}}, {"value": {"lt": "1000"}}]}, ["L2", "L3", "L4", "L8"]),
        ({"not": {"sourceCategory": {"in": ["REFERRAL", "DIGITAL"]}}}, ["L10", "L4", "L6", "L8"]),
    ]
    for flt, expected in cases:
        assert await _titles(api, flt) == expected, flt


async def test_relative_dates_are_resolved_on_the_day_the_filter_runs(api: Api) -> None:
    await _given_a_varied_book(api)
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"createdAt": {"relative": {"period": "LAST_N_DAYS", "days": 7}}}, ["L1", "L10", "L3", "L7", "L8", "L9"]),
        ({"expectedCloseDate": {"relative": {"period": "NEXT_N_DAYS", "days": 30}}}, ["L1", "L3", "L8", "L9"]),
        ({"expectedCloseDate": {"relative": {"period": "OVERDUE"}}}, ["L2", "L5", "L6"]),
        ({"expectedCloseDate": {"relative": {"period": "TODAY"}}}, ["L8"]),
    ]
    for flt, expected in cases:
        assert await _titles(api, flt) == expected, flt


async def test_relative_days_follow_the_time_zone_and_dates_never_shift(api: Api) -> None:
    await _given_a_varied_book(api)
    berlin_today = {"createdAt": {"relative": {"period": "TODAY", "timeZone": "Europe/Berlin"}}}
    utc_today = {"createdAt": {"relative": {"period": "TODAY"}}}

    in_berlin = await _titles(api, berlin_today)
    in_utc = await _titles(api, utc_today)

    assert "L10" in in_berlin
    # L10 was created ten minutes after Berlin's midnight: the previous UTC day, unless Berlin's day began
    # before UTC's (the last hour or two of a UTC day).
    berlin_ahead = datetime.now(BERLIN).date() != datetime.now(UTC).date()
    assert ("L10" in in_utc) is berlin_ahead
    close_today = {"expectedCloseDate": {"eq": datetime.now(UTC).date().isoformat()}}
    assert await _titles(api, close_today) == ["L8"]


@pytest.mark.parametrize(
    ("flt", "field"),
    [
        ({"value": {"gte": "10", "lte": "1"}}, "filter.value"),
        ({"or": [{}, {"companySize": {"gte": 10, "lte": 1}}]}, "filter.or[1].companySize"),
        ({"createdAt": {"relative": {"period": "LAST_N_DAYS"}}}, "filter.createdAt.relative.days"),
        (
            {"createdAt": {"relative": {"period": "TODAY", "timeZone": "Mars/Olympus"}}},
            "filter.createdAt.relative.timeZone",
        ),
        ({"salesPerson": {"in": ["TGVhZDox"]}}, "filter.salesPerson.in[0]"),
    ],
)
async def test_an_impossible_filter_names_its_path(api: Api, flt: dict[str, Any], field: str) -> None:
    body = await api.post(COUNT, {"filter": flt})

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


AGGREGATE = """query($filter: LeadFilter, $groupBy: [LeadGroupBy!]) { leadAggregate(filter: $filter, groupBy: $groupBy) {
  total { count valueCount sum average minimum maximum weightedValue }
  groups { keys { dimension id value } count sum average minimum maximum weightedValue } } }"""


async def test_aggregates_by_stage_are_exact(api: Api) -> None:
    await _given_a_varied_book(api)

    data = (await api.ok(AGGREGATE, {"groupBy": ["STAGE"]}))["leadAggregate"]

    by_stage = {g["keys"][0]["value"]: g for g in data["groups"]}
    assert list(by_stage) == ["New", "Contacted", "Qualified", "Presentation/Demo", "Negotiation", "Won", "Lost"]
    assert by_stage["New"]["count"] == 3
    assert by_stage["New"]["sum"] == "15500.00"
    assert by_stage["New"]["average"] == "7750.00"
    assert by_stage["New"]["weightedValue"] == "1550.00"  # 10 %
    assert by_stage["Qualified"] == {
        "keys": [{"dimension": "STAGE", "id": by_stage["Qualified"]["keys"][0]["id"], "value": "Qualified"}],
        "count": 2,
        "sum": "25000.00",
        "average": "25000.00",
        "minimum": "25000.00",
        "maximum": "25000.00",
        "weightedValue": "10000.00",
    }
    assert data["total"] == {
        "count": 10,
        "valueCount": 8,
        "sum": "102499.99",
        "average": "12812.50",
        "minimum": "500.00",
        "maximum": "30000.00",
        # 15500×10% + 999.99×20% + 25000×40% + 30000×60% + 11000×80% + 8000×100% + 12000×0%
        "weightedValue": "46550.00",
    }


async def test_aggregates_combine_a_filter_and_several_dimensions(api: Api) -> None:
    await _given_a_varied_book(api)

    data = (
        await api.ok(
            AGGREGATE,
            {
                "filter": {"status": {"eq": "OPEN"}, "value": {"gte": "10000"}, "sourceCategory": {"eq": "REFERRAL"}},
                "groupBy": ["SALES_PERSON", "INDUSTRY"],
            },
        )
    )["leadAggregate"]

    groups = {tuple(k["value"] for k in g["keys"]): (g["count"], g["sum"]) for g in data["groups"]}
    assert groups == {("Ann", "Healthcare"): (2, "40000.00"), ("Bob", "Healthcare"): (1, "11000.00")}
    assert data["total"]["sum"] == "51000.00"


async def test_aggregates_by_tag_count_a_lead_in_each_of_its_tags(api: Api) -> None:
    await _given_a_varied_book(api)

    data = (await api.ok(AGGREGATE, {"groupBy": ["TAG"]}))["leadAggregate"]

    groups = {g["keys"][0]["value"]: g["count"] for g in data["groups"]}
    assert groups == {"hot": 4, "vip": 2, None: 5}
    assert data["total"]["count"] == 10


async def test_aggregates_by_month_status_and_source_category(api: Api) -> None:
    await _given_a_varied_book(api)

    months = (await api.ok(AGGREGATE, {"groupBy": ["CREATED_MONTH"]}))["leadAggregate"]["groups"]
    statuses = (await api.ok(AGGREGATE, {"groupBy": ["STATUS"]}))["leadAggregate"]["groups"]
    categories = (await api.ok(AGGREGATE, {"groupBy": ["SOURCE_CATEGORY"]}))["leadAggregate"]["groups"]

    assert sum(g["count"] for g in months) == 10
    assert all(len(g["keys"][0]["value"]) == 7 for g in months)  # YYYY-MM
    assert [g["keys"][0]["value"] for g in months] == sorted(g["keys"][0]["value"] for g in months)
    assert {g["keys"][0]["value"]: g["count"] for g in statuses} == {"OPEN": 8, "WON": 1, "LOST": 1}
    assert {g["keys"][0]["value"]: g["count"] for g in categories} == {
        "DIGITAL": 2,
        "REFERRAL": 4,
        "SALES_GENERATED": 1,
        "TRADITIONAL": 1,
        None: 2,
    }


async def test_an_unknown_id_in_a_filter_is_bad_user_input_at_its_path(api: Api) -> None:
    await _given_a_varied_book(api)
    missing_tag = gid("Tag", 999)

    body = await api.post(COUNT, {"filter": {"and": [{}, {"tags": {"anyOf": [gid("Tag", 1), missing_tag]}}]}})
    board = await api.post(
        "query($f: LeadFilter) { defaultPipeline { stages { leads(filter: $f) { totalCount } } } }",
        {"f": {"salesPerson": {"eq": gid("User", 999)}}},
    )

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.and[1].tags.anyOf[1]"}
    assert board["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.salesPerson.eq"}
