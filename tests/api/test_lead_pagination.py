"""Keyset pagination: paging to the end returns every lead exactly once, in order, under ties and NULLs."""

from __future__ import annotations

import base64
import itertools
from decimal import Decimal
from typing import Any

import pytest

from backend.auth.models import User
from tests.api.conftest import Leads
from tests.conftest import Api

PAGE = """query($first: Int, $after: String, $orderBy: [LeadOrder!], $filter: LeadFilter) {
  leads(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id title value expectedCloseDate salesPerson { name } } }
  }
}"""


async def _given_leads_with_ties_and_nulls(api: Api, leads: Leads) -> list[dict[str, Any]]:
    async with api.session_factory() as session:
        session.add_all([User(name="Ann"), User(name="Bob")])
        await session.commit()
    users = {
        u["node"]["name"]: u["node"]["id"]
        for u in (await api.ok("{ users { edges { node { id name } } } }"))["users"]["edges"]
    }
    values = ["100.00", None, "100.00", "5.00", None, "250.00", "100.00", "5.00", None, "999.99", "0.00"]
    titles = ["Beta", "Alpha", "Beta", "Gamma", "Alpha", "Delta", "Beta", "Gamma", "Omega", "Alpha", "Zeta"]
    dates = [
        "2027-01-01",
        None,
        "2027-01-01",
        None,
        "2026-12-24",
        None,
        "2027-01-01",
        "2026-12-24",
        None,
        "2027-03-03",
        None,
    ]
    owners = ["Ann", None, "Bob", "Ann", None, "Bob", "Ann", None, "Bob", "Ann", None]
    created = []
    for value, title, close, owner in zip(values, titles, dates, owners, strict=True):
        fields: dict[str, Any] = {"title": title, "value": value, "expectedCloseDate": close}
        fields["salesPersonId"] = users[owner] if owner else None
        created.append(await leads.create(**fields))
    return created


async def _page_through(api: Api, order: dict[str, str], size: int) -> tuple[list[dict[str, Any]], int]:
    nodes: list[dict[str, Any]] = []
    after = None
    requests = 0
    while True:
        data = await api.ok(PAGE, {"first": size, "after": after, "orderBy": [order]})
        requests += 1
        connection = data["leads"]
        nodes += [e["node"] for e in connection["edges"]]
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes, requests
        after = connection["pageInfo"]["endCursor"]
        assert requests < 50, "pagination does not end"


def _expected(nodes: list[dict[str, Any]], key: str, descending: bool, nulls_last: bool) -> list[str]:
    def sort_value(node: dict[str, Any]) -> Any:
        value = node[key] if key != "salesPerson" else (node["salesPerson"] or {}).get("name")
        if key == "value" and value is not None:
            value = Decimal(value)
        return value

    number = {n["id"]: int(base64.urlsafe_b64decode(n["id"] + "==").decode().split(":")[1]) for n in nodes}
    present = sorted(
        (n for n in nodes if sort_value(n) is not None),
        key=lambda n: (sort_value(n), number[n["id"]]),
        reverse=descending,
    )
    missing = sorted((n for n in nodes if sort_value(n) is None), key=lambda n: number[n["id"]], reverse=descending)
    ordered = present + missing if nulls_last else missing + present
    return [n["id"] for n in ordered]


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("VALUE", "value"),
        ("TITLE", "title"),
        ("EXPECTED_CLOSE_DATE", "expectedCloseDate"),
        ("SALES_PERSON", "salesPerson"),
    ],
)
async def test_paging_to_the_end_returns_every_lead_once_in_order(api: Api, leads: Leads, field: str, key: str) -> None:
    created = await _given_leads_with_ties_and_nulls(api, leads)
    everything = (await api.ok(PAGE, {"first": 100}))["leads"]["edges"]
    all_nodes = [e["node"] for e in everything]

    for direction, nulls in itertools.product(("ASC", "DESC"), ("FIRST", "LAST")):
        order = {"field": field, "direction": direction, "nulls": nulls}
        for size in (1, 3, 4):
            nodes, requests = await _page_through(api, order, size)

            ids = [n["id"] for n in nodes]
            assert len(ids) == len(set(ids)) == len(created), (order, size)
            assert ids == _expected(all_nodes, key, direction == "DESC", nulls == "LAST"), (order, size)
            assert requests == -(-len(created) // size)  # the look-ahead row means no empty last page


async def test_total_count_is_over_all_pages(api: Api, leads: Leads) -> None:
    await _given_leads_with_ties_and_nulls(api, leads)

    data = await api.ok(PAGE, {"first": 2})

    assert data["leads"]["totalCount"] == 11
    assert len(data["leads"]["edges"]) == 2


async def test_a_cursor_from_another_sort_is_refused(api: Api, leads: Leads) -> None:
    await _given_leads_with_ties_and_nulls(api, leads)
    by_value = await api.ok(PAGE, {"first": 2, "orderBy": [{"field": "VALUE"}]})
    cursor = by_value["leads"]["pageInfo"]["endCursor"]

    body = await api.post(PAGE, {"first": 2, "after": cursor, "orderBy": [{"field": "TITLE"}]})

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


@pytest.mark.parametrize("cursor", ["garbage", "", "W10", "eyJhIjoxfQ"])
async def test_a_malformed_cursor_is_bad_user_input(api: Api, cursor: str) -> None:
    body = await api.post(PAGE, {"first": 2, "after": cursor})

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Traceback" not in str(body)


@pytest.mark.parametrize("first", [-1, 101])
async def test_page_size_is_capped(api: Api, first: int) -> None:
    body = await api.post(PAGE, {"first": first})

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_a_page_of_exactly_the_maximum_is_allowed(api: Api) -> None:
    data = await api.ok(PAGE, {"first": 100})

    assert data["leads"]["totalCount"] == 0
