"""Saved filters: built-ins for everyone, private ones stay private, shared ones reach exactly their audience."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from backend.auth.http import COOKIE
from backend.auth.service import create_user, start_session
from backend.db import write_transaction
from backend.leads.models import Lead
from tests.api.conftest import Leads
from tests.conftest import Api

LIST = "{ savedFilters { id name isBuiltin isOwn scope view filter orderBy } }"
CREATE = """mutation($input: CreateSavedFilterInput!) { createSavedFilter(input: $input) {
  savedFilter { id name scope filter orderBy isOwn } errors { field code message } } }"""
RUN = """query($id: ID!, $filter: LeadFilter) { leads(savedFilter: $id, filter: $filter, first: 50) {
  totalCount edges { node { title } } } }"""


async def _people(api: Api) -> dict[str, str]:
    """Sessions for two North reps, one South rep and a manager (the api's admin stays signed in)."""
    secrets = {"admin": api.client.cookies[COOKIE]}
    async with write_transaction(api.session_factory) as session:
        for key, role, team in [
            ("ann", "sales_rep", "North"),
            ("ned", "sales_rep", "North"),
            ("sue", "sales_rep", "South"),
            ("max", "sales_manager", "South"),
        ]:
            user = await create_user(session, key.title(), f"{key}@example.com", None, role, (team,))
            secrets[key] = await start_session(session, user, "pytest")
    return secrets


async def test_the_built_in_filters_are_there_for_everyone(api: Api) -> None:
    names = [f["name"] for f in (await api.ok(LIST))["savedFilters"]]

    assert names == [
        "Cold and old",
        "Demo done but stalled",
        "High value closing soon",
        "My open leads",
        "Overdue",
        "Uncontacted and recent",
    ]


async def test_built_ins_select_the_leads_they_promise(api: Api, leads: Leads) -> None:
    today = datetime.now(UTC).date()
    await leads.create(title="Big and near", value="80000.00", expectedCloseDate=str(today + timedelta(days=10)))
    await leads.create(title="Big and far", value="80000.00", expectedCloseDate=str(today + timedelta(days=60)))
    await leads.create(title="Late", value="10.00", expectedCloseDate=str(today - timedelta(days=1)))
    demo = await leads.in_stage("Presentation/Demo", title="Stalled demo")
    await leads.in_stage("Presentation/Demo", title="Fresh demo")
    async with write_transaction(api.session_factory) as session:
        await session.execute(
            update(Lead)
            .where(Lead.title == "Stalled demo")
            .values(stage_entered_at=datetime.now(UTC) - timedelta(days=20))
        )
    by_name = {f["name"]: f["id"] for f in (await api.ok(LIST))["savedFilters"]}

    async def titles(name: str) -> list[str]:
        data = await api.ok(RUN, {"id": by_name[name]})
        return [e["node"]["title"] for e in data["leads"]["edges"]]

    assert await titles("High value closing soon") == ["Big and near"]
    assert await titles("Overdue") == ["Late"]
    assert await titles("Demo done but stalled") == ["Stalled demo"]
    assert sorted(await titles("Uncontacted and recent")) == ["Big and far", "Big and near", "Late"]
    assert len(await titles("My open leads")) == 5  # the admin created (and so owns) all five
    assert demo["title"] == "Stalled demo"


async def test_a_saved_filter_combines_with_an_extra_filter_and_keeps_its_sort(api: Api, leads: Leads) -> None:
    for title, value in [("A", "300.00"), ("B", "100.00"), ("C", "200.00"), ("D", "50.00")]:
        await leads.create(title=title, value=value)
    saved = (
        await api.ok(
            CREATE,
            {
                "input": {
                    "name": "Over 75",
                    "filter": {"value": {"gte": "75"}},
                    "orderBy": [{"field": "VALUE", "direction": "DESC"}],
                }
            },
        )
    )["createSavedFilter"]["savedFilter"]

    alone = await api.ok(RUN, {"id": saved["id"]})
    combined = await api.ok(RUN, {"id": saved["id"], "filter": {"value": {"lte": "250"}}})

    assert saved["filter"] == {"value": {"gte": "75"}}
    assert saved["orderBy"] == [{"field": "VALUE", "direction": "DESC", "nulls": "LAST"}]
    assert [e["node"]["title"] for e in alone["leads"]["edges"]] == ["A", "C", "B"]
    assert [e["node"]["title"] for e in combined["leads"]["edges"]] == ["C", "B"]


async def test_relative_dates_stay_relative(api: Api, leads: Leads) -> None:
    await leads.create(title="Recent")
    old = await leads.create(title="Old")
    saved = await api.ok(
        CREATE,
        {"input": {"name": "Last 7 days", "filter": {"createdAt": {"relative": {"period": "LAST_N_DAYS", "days": 7}}}}},
    )
    saved_id = saved["createSavedFilter"]["savedFilter"]["id"]
    async with write_transaction(api.session_factory) as session:
        await session.execute(
            update(Lead).where(Lead.title == "Old").values(created_at=datetime.now(UTC) - timedelta(days=30))
        )

    data = await api.ok(RUN, {"id": saved_id})

    assert saved["createSavedFilter"]["savedFilter"]["filter"] == {
        "createdAt": {"relative": {"period": "LAST_N_DAYS", "days": 7, "timeZone": "UTC"}}
    }
    assert [e["node"]["title"] for e in data["leads"]["edges"]] == ["Recent"]
    assert old["title"] == "Old"


async def _names_for(api: Api, secret: str) -> list[str]:
    api.client.cookies.set(COOKIE, secret)
    return sorted(f["name"] for f in (await api.ok(LIST))["savedFilters"] if not f["isBuiltin"])


async def test_each_scope_reaches_exactly_its_audience(api: Api) -> None:
    people = await _people(api)
    api.client.cookies.set(COOKIE, people["ann"])
    for name, scope, extra in [
        ("Ann private", "PRIVATE", {}),
        ("Ann everyone", "EVERYONE", {}),
        ("Reps only", "ROLE", {"roleId": "sales_rep"}),
    ]:
        created = await api.ok(CREATE, {"input": {"name": name, "scope": scope, **extra}})
        assert created["createSavedFilter"]["errors"] == []

    seen = {who: await _names_for(api, people[who]) for who in ("ann", "ned", "sue", "max", "admin")}

    assert seen["ann"] == ["Ann everyone", "Ann private", "Reps only"]
    assert seen["ned"] == ["Ann everyone", "Reps only"]
    assert seen["sue"] == ["Ann everyone", "Reps only"]
    assert seen["max"] == ["Ann everyone"]
    assert seen["admin"] == ["Ann everyone"]


async def test_a_private_filter_of_someone_else_cannot_be_run_or_changed(api: Api) -> None:
    people = await _people(api)
    api.client.cookies.set(COOKIE, people["ann"])
    mine = (await api.ok(CREATE, {"input": {"name": "Mine"}}))["createSavedFilter"]["savedFilter"]["id"]
    shared = (await api.ok(CREATE, {"input": {"name": "Shared", "scope": "EVERYONE"}}))["createSavedFilter"][
        "savedFilter"
    ]["id"]
    api.client.cookies.set(COOKIE, people["ned"])

    run = await api.post(RUN, {"id": mine})
    rename = await api.ok(
        'mutation($id: ID!) { updateSavedFilter(input: {id: $id, name: "Taken"}) { errors { field code } } }',
        {"id": shared},
    )
    delete = await api.ok(
        "mutation($id: ID!) { deleteSavedFilter(input: {id: $id}) { errors { field code } } }", {"id": mine}
    )

    assert run["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "savedFilter"}
    assert rename["updateSavedFilter"]["errors"] == [{"field": "id", "code": "FORBIDDEN"}]
    assert delete["deleteSavedFilter"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


async def test_my_open_leads_means_whoever_runs_it(api: Api, leads: Leads) -> None:
    people = await _people(api)
    for who in ("ann", "ned"):
        api.client.cookies.set(COOKIE, people[who])
        await api.ok("mutation($t: String!) { createLead(input: {title: $t}) { errors { code } } }", {"t": f"{who}'s"})
    by_name = {f["name"]: f["id"] for f in (await api.ok(LIST))["savedFilters"]}

    results: dict[str, Any] = {}
    for who in ("ann", "ned"):
        api.client.cookies.set(COOKIE, people[who])
        results[who] = [
            e["node"]["title"] for e in (await api.ok(RUN, {"id": by_name["My open leads"]}))["leads"]["edges"]
        ]

    assert results == {"ann": ["ann's"], "ned": ["ned's"]}


async def test_a_saved_filter_narrows_the_board_and_aggregates(api: Api, leads: Leads) -> None:
    await leads.create(title="Small", value="10.00")
    await leads.create(title="Large", value="1000.00")
    saved = await api.ok(CREATE, {"input": {"name": "Large", "filter": {"value": {"gte": "500"}}, "view": "BOARD"}})
    saved_id = saved["createSavedFilter"]["savedFilter"]["id"]

    board = await api.ok(
        "query($id: ID!) { defaultPipeline { stages { leads(savedFilter: $id) { totalCount totalValue } } } }",
        {"id": saved_id},
    )
    aggregate = await api.ok(
        "query($id: ID!) { leadAggregate(savedFilter: $id) { total { count sum } } }", {"id": saved_id}
    )

    assert board["defaultPipeline"]["stages"][0]["leads"] == {"totalCount": 1, "totalValue": "1000.00"}
    assert aggregate["leadAggregate"]["total"] == {"count": 1, "sum": "1000.00"}


async def test_an_invalid_filter_is_refused_when_saved(api: Api) -> None:
    data = await api.ok(CREATE, {"input": {"name": "Broken", "filter": {"value": {"gte": "10", "lte": "1"}}}})

    assert data["createSavedFilter"]["errors"] == [
        {
            "field": "filter.value",
            "code": "BAD_USER_INPUT",
            "message": "the range's low end (10) is above its high end (1)",
        }
    ]


async def test_node_tells_its_owner_the_filter_is_theirs(api: Api) -> None:
    # Given a shared filter Ann saved
    people = await _people(api)
    api.client.cookies.set(COOKIE, people["ann"])
    created = await api.ok(CREATE, {"input": {"name": "Ann shares", "scope": "EVERYONE"}})
    saved_id = created["createSavedFilter"]["savedFilter"]["id"]
    by_node = "query($id: ID!) { node(id: $id) { ... on SavedFilter { name isOwn } } }"

    # When Ann and then Ned fetch it by its global id
    ann_sees = (await api.ok(by_node, {"id": saved_id}))["node"]
    api.client.cookies.set(COOKIE, people["ned"])
    ned_sees = (await api.ok(by_node, {"id": saved_id}))["node"]

    # Then it is Ann's own, not Ned's
    assert ann_sees == {"name": "Ann shares", "isOwn": True}
    assert ned_sees == {"name": "Ann shares", "isOwn": False}
