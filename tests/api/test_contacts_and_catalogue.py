"""Contact persons, organizations and products: validated, labelled emails and phones; unique SKUs."""

from __future__ import annotations

from tests.conftest import Api

CREATE_PERSON = """mutation($input: CreatePersonInput!) { createPerson(input: $input) {
  person { id name emails { label value } phones { label value } } errors { field code message } } }"""


async def test_emails_and_phones_are_normalised_and_keep_their_labels(api: Api) -> None:
    data = await api.ok(
        CREATE_PERSON,
        {
            "input": {
                "name": "Ada Lovelace",
                "emails": [{"label": "Work", "value": " ada@Example.COM "}, {"label": "home", "value": "ada@home.org"}],
                "phones": [{"label": "mobile", "value": "+44 20 7946 0958"}, {"value": "(212) 555-0123"}],
            }
        },
    )

    person = data["createPerson"]["person"]
    assert data["createPerson"]["errors"] == []
    assert person["emails"] == [
        {"label": "work", "value": "ada@example.com"},
        {"label": "home", "value": "ada@home.org"},
    ]
    assert person["phones"] == [
        {"label": "mobile", "value": "+442079460958"},
        {"label": "work", "value": "+12125550123"},
    ]


async def test_invalid_emails_and_phones_name_their_place_in_the_list(api: Api) -> None:
    data = await api.ok(
        CREATE_PERSON,
        {
            "input": {
                "name": "Bad Data",
                "emails": [{"value": "ok@example.com"}, {"value": "not-an-email"}],
                "phones": [{"value": "12"}],
            }
        },
    )

    assert data["createPerson"]["person"] is None
    assert [(e["field"], e["code"]) for e in data["createPerson"]["errors"]] == [
        ("emails[1].value", "BAD_USER_INPUT"),
        ("phones[0].value", "BAD_USER_INPUT"),
    ]


async def test_update_person_leaves_out_fields_untouched(api: Api) -> None:
    created = await api.ok(CREATE_PERSON, {"input": {"name": "Grace", "jobTitle": "Admiral"}})
    person_id = created["createPerson"]["person"]["id"]

    data = await api.ok(
        'mutation($id: ID!) { updatePerson(input: {id: $id, department: "Navy", jobTitle: null}) '
        "{ person { name jobTitle department } errors { field } } }",
        {"id": person_id},
    )

    assert data["updatePerson"]["person"] == {"name": "Grace", "jobTitle": None, "department": "Navy"}


async def test_persons_search_matches_name_and_email(api: Api) -> None:
    await api.ok(CREATE_PERSON, {"input": {"name": "Linus", "emails": [{"value": "linus@kernel.org"}]}})
    await api.ok(CREATE_PERSON, {"input": {"name": "Margaret"}})

    by_email = await api.ok('{ persons(search: "kernel") { totalCount edges { node { name } } } }')
    by_name = await api.ok('{ persons(search: "marg") { totalCount edges { node { name } } } }')

    assert by_email["persons"] == {"totalCount": 1, "edges": [{"node": {"name": "Linus"}}]}
    assert by_name["persons"] == {"totalCount": 1, "edges": [{"node": {"name": "Margaret"}}]}


async def test_product_skus_are_unique_whatever_the_case(api: Api) -> None:
    create = 'mutation($sku: String!) { createProduct(input: {sku: $sku, name: "Widget", listPrice: "9.99"}) { product { sku } errors { field code } } }'
    first = await api.ok(create, {"sku": "WID-1"})
    second = await api.ok(create, {"sku": "wid-1"})

    assert first["createProduct"] == {"product": {"sku": "WID-1"}, "errors": []}
    assert second["createProduct"] == {"product": None, "errors": [{"field": "sku", "code": "UNIQUE"}]}


async def test_organization_validation(api: Api) -> None:
    data = await api.ok(
        'mutation { createOrganization(input: {name: "", employeeCount: -3, annualRevenue: "1.234"}) '
        "{ organization { id } errors { field code } } }"
    )

    assert {e["field"] for e in data["createOrganization"]["errors"]} == {"name", "employeeCount", "annualRevenue"}
