"""Request limits: each one just under (runs) and just over (QUERY_TOO_COMPLEX), and the cost reported."""

from __future__ import annotations

from tests.conftest import Api


def _code(body: dict) -> str | None:  # type: ignore[type-arg]
    return body["errors"][0]["extensions"]["code"] if "errors" in body else None


async def test_depth_ten_runs_and_eleven_is_refused(api: Api) -> None:
    # Depth counts the levels below the root field (graphql-depth-limit's convention): `id` here is at 10.
    under = "{ leads { edges { node { stage { pipeline { stages { pipeline { stages { pipeline { stages { id } } } } } } } } } } }"
    over = "{ leads { edges { node { stage { pipeline { stages { pipeline { stages { pipeline { stages { pipeline { id } } } } } } } } } } } }"

    assert _code(await api.post(under)) is None
    assert _code(await api.post(over)) == "QUERY_TOO_COMPLEX"


async def test_fifteen_aliases_run_and_sixteen_are_refused(api: Api) -> None:
    under = "{ " + " ".join(f"a{i}: tags {{ totalCount }}" for i in range(15)) + " }"
    over = "{ " + " ".join(f"a{i}: tags {{ totalCount }}" for i in range(16)) + " }"

    assert _code(await api.post(under)) is None
    assert _code(await api.post(over)) == "QUERY_TOO_COMPLEX"


async def test_the_token_limit(api: Api) -> None:
    await api.ok('mutation { createLead(input: {title: "Lead:1, the id the query names"}) { errors { code } } }')

    # 20 tokens around the list, plus one per id in it.
    def query(ids: int) -> str:
        return "{ leads(filter: {id: {in: [" + ' "TGVhZDox"' * ids + " ]}}) { totalCount } }"

    under, over = query(1980), query(1981)

    assert _code(await api.post(under)) is None
    assert _code(await api.post(over)) == "QUERY_TOO_COMPLEX"


async def test_one_operation_per_request(api: Api) -> None:
    response = await api.client.post(
        "/graphql",
        json={"query": "query A { tags { totalCount } } query B { tags { totalCount } }", "operationName": "A"},
    )

    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_the_cost_is_reported_and_bounded(api: Api) -> None:
    query = "query($first: Int) { leads(first: $first) { edges { node { title tags { name } products { amount } } } } }"
    small = await api.post(query, {"first": 10})
    # 100 leads × (node + title + tags + name + products + amount ...) stays under; nested pages multiply.
    nested = "query($first: Int) { pipelines(first: $first) { edges { node { stages { leads(first: 100) { edges { node { title contactPerson { leads(first: 100) { edges { node { title } } } } } } } } } } } }"
    over = await api.post(nested, {"first": 10})

    assert "errors" not in small
    # leads 1 + 10 × (edges 1 + node 1 + title 1 + tags 2 + products 2)
    assert small["extensions"]["cost"] == {"requested": 1 + 10 * 7, "limit": 25_000}
    assert _code(over) == "QUERY_TOO_COMPLEX"
    assert over["data"] is None


async def test_no_field_suggestions(api: Api) -> None:
    body = await api.post("{ leedz { totalCount } }")

    assert _code(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "Did you mean" not in body["errors"][0]["message"]
