"""totalCount(atMost: N): a count that stops after N + 1 matches, so that a list can say "N+" at a cost that does not
grow with the table; without the argument the count stays exact."""

from __future__ import annotations

from tests.api.conftest import Leads
from tests.conftest import Api

COUNTS = """query($filter: LeadFilter) {
  leads(filter: $filter, first: 2) { exact: totalCount three: totalCount(atMost: 3) five: totalCount(atMost: 5)
    none: totalCount(atMost: 0) edges { node { title } } }
}"""


async def _given_leads(leads: Leads, count: int) -> None:
    for i in range(count):
        await leads.create(title=f"Lead {i}", value=f"{100 + i}.00")


async def test_at_most_counts_no_further_than_one_past_it(api: Api, leads: Leads) -> None:
    await _given_leads(leads, 5)

    data = await api.ok(COUNTS)

    assert {k: v for k, v in data["leads"].items() if k != "edges"} == {"exact": 5, "three": 4, "five": 5, "none": 1}
    assert len(data["leads"]["edges"]) == 2


async def test_at_most_applies_the_filter_and_stops_in_sql(api: Api, leads: Leads) -> None:
    await _given_leads(leads, 5)

    with api.sql as sql:
        data = await api.ok(
            '{ leads(first: 1, filter: {value: {gte: "102"}}) { totalCount(atMost: 1) } }',
        )

    assert data["leads"]["totalCount"] == 2  # three match: "more than one"
    counts = [s for s in sql.statements if "count(" in s]
    assert len(counts) == 1 and "LIMIT" in counts[0], counts


async def test_at_most_of_a_board_column_and_of_a_persons_leads(api: Api, leads: Leads) -> None:
    person = (await api.ok('mutation { createPerson(input: {name: "Pat"}) { person { id } } }'))["createPerson"]
    for i in range(3):
        await leads.in_stage("New", title=f"New {i}", contactPersonId=person["person"]["id"])

    board = await api.ok("{ defaultPipeline { stages { name leads(first: 1) { totalCount(atMost: 1) } } } }")
    people = await api.ok(
        "query($id: ID!) { person(id: $id) { leads { totalCount(atMost: 1) } } }", {"id": person["person"]["id"]}
    )

    columns = {s["name"]: s["leads"]["totalCount"] for s in board["defaultPipeline"]["stages"]}
    assert columns["New"] == 2 and columns["Won"] == 0
    assert people["person"]["leads"]["totalCount"] == 2


async def test_a_negative_at_most_is_bad_input(api: Api) -> None:
    body = await api.post("{ leads { totalCount(atMost: -1) } }")

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
