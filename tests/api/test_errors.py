"""Every error reaches the client with a code, readable, and without a stack trace or SQL."""

from __future__ import annotations

import pytest

from tests.conftest import Api


async def test_a_syntax_error_has_a_code(api: Api) -> None:
    body = await api.post("{ leads { edges ")

    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert body["errors"][0]["message"].startswith("Syntax Error")


async def test_an_unknown_field_is_a_readable_validation_error(api: Api) -> None:
    body = await api.post("{ leads { totalCount nonsense } }")

    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "nonsense" in body["errors"][0]["message"]


async def test_a_variable_of_the_wrong_type_is_bad_user_input(api: Api) -> None:
    body = await api.post("query($first: Int) { leads(first: $first) { totalCount } }", {"first": "many"})

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("global_id", ["not-base64!", "TGVhZDphYmM", "UGVyc29uOjE"])
async def test_lead_by_a_malformed_or_foreign_id_is_bad_user_input(api: Api, global_id: str) -> None:
    body = await api.post("query($id: ID!) { lead(id: $id) { id } }", {"id": global_id})

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    assert body["data"] == {"lead": None}


async def test_node_of_an_unknown_id_is_null(api: Api) -> None:
    data = await api.ok('{ a: node(id: "TGVhZDo5OTk") { id } b: node(id: "garbage") { id } }')

    assert data == {"a": None, "b": None}


async def test_node_resolves_any_type(api: Api) -> None:
    pipeline = (await api.ok("{ defaultPipeline { id } }"))["defaultPipeline"]["id"]

    data = await api.ok(
        "query($id: ID!) { node(id: $id) { __typename id ... on Pipeline { name } } }", {"id": pipeline}
    )

    assert data["node"] == {"__typename": "Pipeline", "id": pipeline, "name": "Sales pipeline"}


async def test_an_inverted_range_names_its_path_in_the_filter(api: Api) -> None:
    body = await api.post('{ leads(filter: {and: [{value: {gte: "10", lte: "5"}}]}) { totalCount } }')

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.and[0].value"}


async def test_an_unexpected_failure_is_masked(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.leads import queries

    async def explode(*_args: object) -> None:
        raise RuntimeError("SELECT secret FROM passwords")

    monkeypatch.setattr(queries, "list_leads", explode)

    body = await api.post("{ leads { totalCount } }")

    assert body["errors"][0]["message"] == "Internal server error"
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "secret" not in str(body)


async def test_health(api: Api, database_url: str) -> None:
    response = await api.client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": database_url.split("+")[0]}
