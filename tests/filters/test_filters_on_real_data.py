"""Every filter criterion and operator on the imported real opportunities export, checked against counts and
sums computed straight from its CSV files with the csv module."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from backend.imports.mapping import load_mapping
from backend.imports.service import ImportOptions, run_import
from backend.settings import Settings
from tests.conftest import Api

Row = dict[str, str]
COUNT = "query($f: LeadFilter) { leads(filter: $f, first: 1) { totalCount totalValue } }"
STAGES = {"Prospecting": "New", "Engaging": "Contacted", "Won": "Won", "Lost": "Lost"}
SECTOR_FIXES = {"technolgy": "technology"}


def _read(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


async def _ids(api: Api, query: str, key: str) -> dict[str, str]:
    data = await api.ok(query)
    return {e["node"][key]: e["node"]["id"] for e in next(iter(data.values()))["edges"]}


async def test_each_criterion_matches_the_csv(api: Api, settings: Settings, shared_data: Path) -> None:
    folder = shared_data / "maven-crm"
    await run_import(settings, folder / "sales_pipeline.csv", load_mapping("maven-crm"), ImportOptions())
    deals = _read(folder / "sales_pipeline.csv")
    accounts = {a["account"]: a for a in _read(folder / "accounts.csv")}
    stages = {
        s["name"]: s["id"]
        for s in (await api.ok("{ defaultPipeline { stages { id name } } }"))["defaultPipeline"]["stages"]
    }
    agents = await _ids(api, "{ users(first: 100) { edges { node { id name } } } }", "name")

    def account(row: Row) -> Row | None:
        return accounts.get(row["account"])

    def sector(row: Row) -> str | None:
        found = account(row)
        return SECTOR_FIXES.get(found["sector"], found["sector"]) if found else None

    def day(text: str) -> date | None:
        return date.fromisoformat(text) if text else None

    agent = "Darcel Schlecht"
    cases: list[tuple[dict[str, Any], Callable[[Row], bool]]] = [
        ({"stage": {"eq": stages["Won"]}}, lambda r: r["deal_stage"] == "Won"),
        (
            {"stage": {"in": [stages["New"], stages["Contacted"]]}},
            lambda r: r["deal_stage"] in ("Prospecting", "Engaging"),
        ),
        ({"stage": {"notIn": [stages["Lost"]]}}, lambda r: r["deal_stage"] != "Lost"),
        ({"status": {"eq": "LOST"}}, lambda r: r["deal_stage"] == "Lost"),
        ({"status": {"in": ["OPEN"]}}, lambda r: r["deal_stage"] in ("Prospecting", "Engaging")),
        ({"salesPerson": {"eq": agents[agent]}}, lambda r: r["sales_agent"] == agent),
        ({"salesPerson": {"notIn": [agents[agent]]}}, lambda r: r["sales_agent"] != agent),
        ({"salesPerson": {"isNull": True}}, lambda r: not r["sales_agent"]),
        ({"organization": {"isNull": True}}, lambda r: not r["account"]),
        ({"industry": {"eq": "Technology"}}, lambda r: (sector(r) or "").lower() == "technology"),
        ({"industry": {"in": ["retail", "medical"]}}, lambda r: sector(r) in ("retail", "medical")),
        ({"industry": {"isNull": True}}, lambda r: sector(r) is None),
        (
            {"country": {"notIn": ["United States"]}},
            lambda r: account(r) is None or account(r)["office_location"] != "United States",
        ),  # type: ignore[index]
        ({"companySize": {"gte": 5000}}, lambda r: account(r) is not None and int(account(r)["employees"]) >= 5000),  # type: ignore[index]
        ({"companySize": {"lt": 100}}, lambda r: account(r) is not None and int(account(r)["employees"]) < 100),  # type: ignore[index]
        (
            {"expectedCloseDate": {"gte": "2017-06-01", "lte": "2017-06-30"}},
            lambda r: (d := day(r["close_date"])) is not None and date(2017, 6, 1) <= d <= date(2017, 6, 30),
        ),
        ({"expectedCloseDate": {"isNull": True}}, lambda r: not r["close_date"]),
        (
            {"createdAt": {"gte": "2017-03-01T00:00:00+00:00", "lt": "2017-04-01T00:00:00+00:00"}},
            lambda r: r["engage_date"].startswith("2017-03"),
        ),
        ({"search": "Kan-code"}, lambda r: "kan-code" in r["account"].lower()),
        ({"search": "GTX Plus"}, lambda r: "gtx plus" in r["product"].lower()),
        (
            {
                "and": [{"status": {"eq": "WON"}}, {"country": {"eq": "United States"}}],
                "not": {"salesPerson": {"eq": agents[agent]}},
            },
            lambda r: (
                r["deal_stage"] == "Won"
                and account(r) is not None
                and account(r)["office_location"] == "United States"  # type: ignore[index]
                and r["sales_agent"] != agent
            ),
        ),
        (
            {"or": [{"industry": {"eq": "finance"}}, {"companySize": {"gt": 10000}}]},
            lambda r: sector(r) == "finance" or (account(r) is not None and int(account(r)["employees"]) > 10000),
        ),  # type: ignore[index]
    ]
    for flt, expected in cases:
        data = await api.ok(COUNT, {"f": flt})
        assert data["leads"]["totalCount"] == sum(1 for r in deals if expected(r)), flt

    won = await api.ok(COUNT, {"f": {"status": {"eq": "WON"}, "value": {"gte": "1000"}}})
    won_rows = [r for r in deals if r["deal_stage"] == "Won" and Decimal(r["close_value"]) >= 1000]
    assert won["leads"]["totalCount"] == len(won_rows)
    assert Decimal(won["leads"]["totalValue"]) == sum(Decimal(r["close_value"]) for r in won_rows)


async def test_aggregates_match_the_csv(api: Api, settings: Settings, shared_data: Path) -> None:
    folder = shared_data / "maven-crm"
    await run_import(settings, folder / "sales_pipeline.csv", load_mapping("maven-crm"), ImportOptions())
    deals = _read(folder / "sales_pipeline.csv")

    data = await api.ok(
        "{ leadAggregate(filter: {status: {eq: WON}}, groupBy: [SALES_PERSON]) { groups { keys { value } count sum } } }"
    )

    expected: dict[str, tuple[int, Decimal]] = {}
    for r in deals:
        if r["deal_stage"] == "Won":
            count, total = expected.get(r["sales_agent"], (0, Decimal(0)))
            expected[r["sales_agent"]] = (count + 1, total + Decimal(r["close_value"]))
    groups = {g["keys"][0]["value"]: (g["count"], Decimal(g["sum"])) for g in data["leadAggregate"]["groups"]}
    assert groups == expected
