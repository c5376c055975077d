"""GraphQL over HTTP through the ASGI app: media type negotiation and status codes, as the spec asks."""

from __future__ import annotations

import httpx

from tests.conftest import Api

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def _post(api: Api, query: str, accept: str | None, variables: dict[str, object] | None = None) -> httpx.Response:
    headers = {"accept": accept} if accept is not None else {}
    return await api.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


async def test_a_client_that_prefers_graphql_response_json_gets_it(api: Api) -> None:
    response = await _post(api, "{ __typename }", f"{GRAPHQL_RESPONSE}, application/json;q=0.9")

    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    body = response.json()
    assert body["data"] == {"__typename": "Query"}
    assert "errors" not in body


async def test_json_stays_the_default_for_a_missing_accept_wildcards_and_a_preference_for_json(api: Api) -> None:
    for accept in (None, "*/*", "application/json", f"application/json, {GRAPHQL_RESPONSE};q=0.5"):
        response = await _post(api, "{ __typename }", accept)

        assert response.status_code == 200, accept
        assert response.headers["content-type"] == "application/json", accept


async def test_a_parse_failure_is_400_without_data_in_graphql_response_json(api: Api) -> None:
    response = await _post(api, "{", GRAPHQL_RESPONSE)

    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_a_validation_failure_is_400_without_data_in_graphql_response_json(api: Api) -> None:
    response = await _post(api, "{ noSuchField }", GRAPHQL_RESPONSE)

    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "noSuchField" in body["errors"][0]["message"]


async def test_a_variable_coercion_failure_is_400_in_graphql_response_json(api: Api) -> None:
    query = "query($first: Int) { leads(first: $first) { totalCount } }"

    response = await _post(api, query, GRAPHQL_RESPONSE, {"first": "many"})

    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_request_errors_stay_200_with_data_null_in_legacy_json(api: Api) -> None:
    response = await _post(api, "{ noSuchField }", "application/json")

    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_field_error_keeps_200_and_data_in_graphql_response_json(api: Api) -> None:
    # `first` out of range is a resolver error with a path: execution ran, so the data entry stays.
    response = await _post(api, "{ leads(first: 1000) { totalCount } }", GRAPHQL_RESPONSE)

    assert response.status_code == 200
    body = response.json()
    assert "data" in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["path"] == ["leads"]


async def test_a_json_body_that_is_no_object_is_a_400_not_a_server_error(api: Api) -> None:
    for body in ('"{ __typename }"', "42", "null", "true"):
        response = await api.client.post("/graphql", content=body, headers={"content-type": "application/json"})

        assert response.status_code == 400, body
        assert "JSON object" in response.text
