"""Product lines on a lead: line amounts, the lead value they add up to, currency and discount rules."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Leads
from tests.conftest import Api

ADD = """mutation($input: AddLeadProductInput!) { addLeadProduct(input: $input) {
  line { id quantity unitPrice discountPercent discountAmount amount product { sku } }
  lead { value currency version } errors { field code message } } }"""
UPDATE = """mutation($input: UpdateLeadProductInput!) { updateLeadProduct(input: $input) {
  line { id quantity unitPrice amount } lead { value } errors { field code message } } }"""
REMOVE = (
    """mutation($id: ID!) { removeLeadProduct(input: {id: $id}) { lead { value products { id } } errors { code } } }"""
)


async def _add(api: Api, lead: dict[str, Any], product: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = await api.ok(ADD, {"input": {"leadId": lead["id"], "productId": product["id"], **fields}})
    payload: dict[str, Any] = data["addLeadProduct"]
    return payload


async def test_the_lead_value_is_the_sum_of_its_lines(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Sized", value="1.00")
    seats = await leads.product("SEAT", "49.90")
    setup = await leads.product("SETUP", "1500.00")

    first = await _add(api, lead, seats, quantity="12")
    second = await _add(api, lead, setup, discountPercent="10")
    third = await _add(api, lead, seats, quantity="3", unitPrice="45.00", discountAmount="5.00")

    assert first["line"]["amount"] == "598.80"
    assert second["line"]["amount"] == "1350.00"
    assert third["line"]["amount"] == "130.00"
    assert third["lead"]["value"] == "2078.80"  # 598.80 + 1350.00 + 130.00
    detail = await api.ok(
        "query($id: ID!) { lead(id: $id) { value products { amount product { sku } } } }", {"id": lead["id"]}
    )
    assert [p["product"]["sku"] for p in detail["lead"]["products"]] == ["SEAT", "SETUP", "SEAT"]


async def test_editing_and_removing_lines_recomputes_the_value(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Changing")
    hours = await leads.product("HOURS", "120.00", unit="HOUR")
    line = (await _add(api, lead, hours, quantity="2.5"))["line"]

    edited = (await api.ok(UPDATE, {"input": {"id": line["id"], "quantity": "4", "unitPrice": None}}))[
        "updateLeadProduct"
    ]
    removed = (await api.ok(REMOVE, {"id": line["id"]}))["removeLeadProduct"]

    assert line["amount"] == "300.00"
    assert edited["line"]["amount"] == "480.00"
    assert edited["lead"]["value"] == "480.00"
    assert removed["lead"]["products"] == []
    assert removed["lead"]["value"] == "480.00"  # without lines the last value stays, now as a manual one


async def test_a_line_in_another_currency_is_refused(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Dollars")
    await _add(api, lead, await leads.product("USD-1", "10.00"))

    refused = await _add(api, lead, await leads.product("EUR-1", "10.00", currency="EUR"))

    assert refused["line"] is None
    assert refused["errors"] == [
        {"field": "productId", "code": "BAD_USER_INPUT", "message": "this product is priced in EUR, the lead in USD"}
    ]


async def test_a_discount_is_a_percentage_or_an_amount_never_both_nor_more_than_the_line(
    api: Api, leads: Leads
) -> None:
    lead = await leads.create(title="Discounts")
    product = await leads.product("D-1", "100.00")

    both = await _add(api, lead, product, discountPercent="5", discountAmount="5.00")
    too_much = await _add(api, lead, product, discountAmount="150.00")
    over_100 = await _add(api, lead, product, discountPercent="120")
    zero_quantity = await _add(api, lead, product, quantity="0")

    assert [e["field"] for e in both["errors"]] == ["discountAmount"]
    assert [e["field"] for e in too_much["errors"]] == ["discountAmount"]
    assert [e["field"] for e in over_100["errors"]] == ["discountPercent"]
    assert [e["field"] for e in zero_quantity["errors"]] == ["quantity"]
    value = await api.ok("query($id: ID!) { lead(id: $id) { value products { id } } }", {"id": lead["id"]})
    assert value["lead"] == {"value": None, "products": []}


async def test_a_lead_with_lines_refuses_a_hand_typed_value(leads: Leads, api: Api) -> None:
    lead = await leads.create(title="Derived")
    added = await _add(api, lead, await leads.product("P-1", "10.00"))

    payload = await leads.update(id=lead["id"], version=added["lead"]["version"], value="99.00")

    assert [e["field"] for e in payload["errors"]] == ["value"]


async def test_product_lines_are_on_the_timeline(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Logged")
    await _add(api, lead, await leads.product("LOG-1", "10.00"), quantity="2")

    data = await api.ok(
        "query($id: ID!) { lead(id: $id) { timeline(first: 1) { edges { node { kind data } } } } }", {"id": lead["id"]}
    )

    entry = data["lead"]["timeline"]["edges"][0]["node"]
    assert entry["kind"] == "PRODUCTS_CHANGED"
    assert entry["data"] == {"action": "added", "product": "Product LOG-1", "quantity": "2", "amount": "20.00"}
