"""Products: volume tiers, bundles, subscriptions, search; lead lines priced from them, exact to the cent."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Leads
from tests.conftest import Api

CREATE = """mutation($input: CreateProductInput!) { createProduct(input: $input) {
  product { id sku name category features listPrice billingTerm termMonths isBundle unitPrice
            priceTiers { minQuantity unitPrice } bundleItems { quantity product { sku } } }
  errors { field code message } } }"""
ADD = """mutation($input: AddLeadProductInput!) { addLeadProduct(input: $input) {
  line { id quantity unitPrice isCustomPrice amount monthlyValue annualValue totalContractValue termMonths }
  lead { value version } errors { field code message } } }"""
UPDATE = """mutation($input: UpdateLeadProductInput!) { updateLeadProduct(input: $input) {
  line { unitPrice isCustomPrice amount } lead { value } errors { field code message } } }"""
SEARCH = """query($search: String, $filter: ProductFilter) { products(search: $search, filter: $filter, first: 50) {
  totalCount edges { node { sku name } } } }"""


async def _product(api: Api, **fields: Any) -> dict[str, Any]:
    data = await api.ok(CREATE, {"input": {"name": f"Product {fields['sku']}", "listPrice": "100.00", **fields}})
    assert data["createProduct"]["errors"] == [], data["createProduct"]["errors"]
    product: dict[str, Any] = data["createProduct"]["product"]
    return product


async def _add(api: Api, lead: dict[str, Any], product: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = await api.ok(ADD, {"input": {"leadId": lead["id"], "productId": product["id"], **fields}})
    payload: dict[str, Any] = data["addLeadProduct"]
    return payload


@pytest.mark.parametrize(
    ("quantity", "unit_price", "amount"),
    [
        ("1", "50.00", "50.00"),
        ("9", "50.00", "450.00"),
        ("10", "45.00", "450.00"),
        ("49", "45.00", "2205.00"),
        ("50", "40.00", "2000.00"),
        ("1000", "40.00", "40000.00"),
    ],
)
async def test_the_unit_price_follows_the_volume_tier_at_each_boundary(
    api: Api, leads: Leads, quantity: str, unit_price: str, amount: str
) -> None:
    seats = await _product(
        api,
        sku="SEAT",
        listPrice="50.00",
        unit="SEAT",
        priceTiers=[{"minQuantity": "50", "unitPrice": "40.00"}, {"minQuantity": "10", "unitPrice": "45.00"}],
    )
    lead = await leads.create(title="Seats")

    line = (await _add(api, lead, seats, quantity=quantity))["line"]

    assert (line["unitPrice"], line["amount"], line["isCustomPrice"]) == (unit_price, amount, False)


async def test_changing_the_quantity_moves_to_another_tier_unless_the_price_is_custom(api: Api, leads: Leads) -> None:
    seats = await _product(api, sku="SEAT", listPrice="50.00", priceTiers=[{"minQuantity": "10", "unitPrice": "45.00"}])
    lead = await leads.create(title="Growing")
    line = (await _add(api, lead, seats, quantity="5"))["line"]

    grown = (await api.ok(UPDATE, {"input": {"id": line["id"], "quantity": "12"}}))["updateLeadProduct"]
    custom = (await api.ok(UPDATE, {"input": {"id": line["id"], "unitPrice": "42.50"}}))["updateLeadProduct"]
    still_custom = (await api.ok(UPDATE, {"input": {"id": line["id"], "quantity": "2"}}))["updateLeadProduct"]
    back = (await api.ok(UPDATE, {"input": {"id": line["id"], "unitPrice": None}}))["updateLeadProduct"]

    assert grown["line"] == {"unitPrice": "45.00", "isCustomPrice": False, "amount": "540.00"}
    assert custom["line"] == {"unitPrice": "42.50", "isCustomPrice": True, "amount": "510.00"}
    assert still_custom["line"] == {"unitPrice": "42.50", "isCustomPrice": True, "amount": "85.00"}
    assert back["line"] == {"unitPrice": "50.00", "isCustomPrice": False, "amount": "100.00"}
    assert back["lead"]["value"] == "100.00"


async def test_bundles_cost_their_parts_less_the_discount_or_a_fixed_price(api: Api, leads: Leads) -> None:
    crm = await _product(api, sku="CRM", listPrice="30.00")
    mail = await _product(api, sku="MAIL", listPrice="12.50")
    suite = await _product(
        api,
        sku="SUITE",
        listPrice="0.00",
        bundleDiscountPercent="15",
        bundleItems=[{"productId": crm["id"], "quantity": "2"}, {"productId": mail["id"]}],
    )
    fixed = await _product(
        api,
        sku="FIXED",
        listPrice="55.00",
        bundlePricing="FIXED",
        bundleItems=[{"productId": crm["id"]}, {"productId": mail["id"]}],
    )
    lead = await leads.create(title="Bundled")

    suite_line = (await _add(api, lead, suite, quantity="3"))["line"]
    fixed_line = await _add(api, lead, fixed, quantity="2")

    assert suite["isBundle"] is True
    assert suite["unitPrice"] == "61.63"  # (2 × 30.00 + 12.50) × 85 % = 61.625, half-up
    assert [(i["product"]["sku"], i["quantity"]) for i in suite["bundleItems"]] == [("CRM", "2.000"), ("MAIL", "1.000")]
    assert suite_line["amount"] == "184.89"
    assert fixed_line["line"]["amount"] == "110.00"
    assert fixed_line["lead"]["value"] == "294.89"


async def test_a_bundle_cannot_contain_a_bundle_or_itself(api: Api) -> None:
    part = await _product(api, sku="PART")
    bundle = await _product(api, sku="BUNDLE", bundleItems=[{"productId": part["id"]}])

    data = await api.ok(
        CREATE,
        {
            "input": {
                "sku": "NESTED",
                "name": "Nested",
                "listPrice": "1.00",
                "bundleItems": [{"productId": bundle["id"]}],
            }
        },
    )

    assert [e["field"] for e in data["createProduct"]["errors"]] == ["bundleItems[0].productId"]


async def test_subscription_lines_give_monthly_annual_and_contract_values(api: Api, leads: Leads) -> None:
    monthly = await _product(api, sku="M", listPrice="99.00", billingTerm="MONTHLY", unit="SEAT")
    annual = await _product(api, sku="A", listPrice="1000.00", billingTerm="ANNUAL")
    multi = await _product(api, sku="MY", listPrice="1200.00", billingTerm="MULTI_YEAR", termMonths=36)
    lead = await leads.create(title="Recurring")

    m = (await _add(api, lead, monthly, quantity="10", discountPercent="10"))["line"]
    a = (await _add(api, lead, annual, termMonths=18))["line"]
    y = await _add(api, lead, multi, quantity="2")

    assert (m["monthlyValue"], m["annualValue"], m["totalContractValue"], m["termMonths"]) == (
        "891.00",
        "10692.00",
        "10692.00",
        12,
    )
    assert (a["monthlyValue"], a["annualValue"], a["totalContractValue"]) == ("83.33", "1000.00", "1500.00")
    assert (y["line"]["annualValue"], y["line"]["totalContractValue"]) == ("2400.00", "7200.00")
    assert y["lead"]["value"] == "19392.00"  # 10692.00 + 1500.00 + 7200.00


async def test_a_multi_year_product_needs_a_term(api: Api) -> None:
    data = await api.ok(CREATE, {"input": {"sku": "MY", "name": "x", "listPrice": "1.00", "billingTerm": "MULTI_YEAR"}})

    assert [e["field"] for e in data["createProduct"]["errors"]] == ["termMonths"]


async def test_only_hours_and_usage_are_sold_in_fractions(api: Api, leads: Leads) -> None:
    seat = await _product(api, sku="SEAT", unit="SEAT")
    hours = await _product(api, sku="HRS", unit="HOUR", listPrice="150.00")
    lead = await leads.create(title="Fractions")

    refused = await _add(api, lead, seat, quantity="1.5")
    accepted = await _add(api, lead, hours, quantity="2.25")

    assert [e["field"] for e in refused["errors"]] == ["quantity"]
    assert accepted["line"]["amount"] == "337.50"


async def test_board_totals_and_the_lead_value_agree_with_a_hand_calculation(api: Api, leads: Leads) -> None:
    seats = await _product(api, sku="SEAT", listPrice="49.90", priceTiers=[{"minQuantity": "25", "unitPrice": "44.90"}])
    support = await _product(api, sku="SUP", listPrice="199.00", billingTerm="MONTHLY")
    a = await leads.in_stage("Qualified", title="A")
    b = await leads.in_stage("Qualified", title="B")
    await _add(api, a, seats, quantity="30", discountAmount="47.00")  # 30 × 44.90 − 47.00 = 1300.00
    await _add(api, a, support, termMonths=24, discountPercent="5")  # 199 × 95 % = 189.05 × 24 = 4537.20
    await _add(api, b, seats, quantity="3")  # 149.70

    board = await api.ok(
        "{ defaultPipeline { stages { name leads { totalValue weightedValue edges { node { title value } } } } } }"
    )

    qualified = next(s for s in board["defaultPipeline"]["stages"] if s["name"] == "Qualified")["leads"]
    values = {e["node"]["title"]: e["node"]["value"] for e in qualified["edges"]}
    assert values == {"A": "5837.20", "B": "149.70"}
    assert qualified["totalValue"] == "5986.90"
    assert qualified["weightedValue"] == "2394.76"  # 40 %


async def test_search_finds_each_kind_of_match_best_first(api: Api) -> None:
    await _product(api, sku="CAFE-1", name="Café Premium", category="Food / Drinks", features=["Espresso"])
    await _product(api, sku="PREM-2", name="Premium support", category="Services")
    await _product(api, sku="X-3", name="Widget", category="Hardware / Gadgets", features=["Premium finish"])
    part = await _product(api, sku="PART-4", name="Bolt", category="Hardware")
    await _product(api, sku="KIT-5", name="Premium kit", bundleItems=[{"productId": part["id"]}])

    premium = await api.ok(SEARCH, {"search": "premium"})
    accents = await api.ok(SEARCH, {"search": "CAFE PREM"})
    by_sku = await api.ok(SEARCH, {"search": "x-3"})
    by_feature = await api.ok(SEARCH, {"search": "espresso"})
    by_category = await api.ok(SEARCH, {"search": "gadget"})
    nested = await api.ok(SEARCH, {"filter": {"category": "Hardware"}})

    names = [e["node"]["name"] for e in premium["products"]["edges"]]
    assert names == ["Premium kit", "Premium support", "Café Premium", "Widget", "Bolt"]
    assert [e["node"]["sku"] for e in accents["products"]["edges"]] == ["CAFE-1"]
    assert [e["node"]["sku"] for e in by_sku["products"]["edges"]] == ["X-3"]
    assert [e["node"]["sku"] for e in by_feature["products"]["edges"]] == ["CAFE-1"]
    assert [e["node"]["sku"] for e in by_category["products"]["edges"]] == ["X-3"]
    assert sorted(e["node"]["sku"] for e in nested["products"]["edges"]) == ["PART-4", "X-3"]
    categories = await api.ok("{ productCategories }")
    assert categories["productCategories"] == ["Food", "Food / Drinks", "Hardware", "Hardware / Gadgets", "Services"]


async def test_search_on_the_shared_products_file(api: Api, shared_data: Path) -> None:
    with (shared_data / "maven-crm" / "products.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        sku = row["product"].upper().replace(" ", "-")
        await _product(api, sku=sku, name=row["product"], category=row["series"], listPrice=row["sales_price"])

    gtx = await api.ok(SEARCH, {"search": "gtx"})
    series = await api.ok(SEARCH, {"search": "MG"})
    everything = await api.ok(SEARCH, {})

    expected_gtx = sorted(r["product"] for r in rows if "gtx" in r["product"].lower() or "gtx" in r["series"].lower())
    assert sorted(e["node"]["name"] for e in gtx["products"]["edges"]) == expected_gtx
    assert gtx["products"]["totalCount"] == len(expected_gtx)
    assert {e["node"]["name"] for e in series["products"]["edges"]} >= {
        r["product"] for r in rows if r["series"] == "MG"
    }
    assert everything["products"]["totalCount"] == len(rows) == 7


async def test_often_sold_with_counts_won_leads(api: Api, leads: Leads) -> None:
    crm = await _product(api, sku="CRM")
    mail = await _product(api, sku="MAIL")
    chat = await _product(api, sku="CHAT")
    for title, products, won in [("1", [crm, mail], True), ("2", [crm, mail, chat], True), ("3", [crm, chat], False)]:
        lead = await leads.create(title=title)
        for product in products:
            lead = {**lead, **(await _add(api, lead, product))["lead"], "id": lead["id"]}
        if won:
            await leads.move(lead, "Won")

    data = await api.ok(
        "query($id: ID!) { product(id: $id) { oftenSoldWith { wonLeads product { sku } } } }", {"id": crm["id"]}
    )

    assert data["product"]["oftenSoldWith"] == [
        {"wonLeads": 2, "product": {"sku": "MAIL"}},
        {"wonLeads": 1, "product": {"sku": "CHAT"}},
    ]


async def test_competitors_and_win_loss_factors(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Contested")
    added = await api.ok(
        'mutation($id: ID!) { addLeadCompetitor(input: {leadId: $id, competitor: "Rival Inc", product: "RivalCRM", '
        'price: "900.00", strengths: "Cheaper"}) { competitor { id competitor price } errors { field code } } }',
        {"id": lead["id"]},
    )
    competitor = added["addLeadCompetitor"]["competitor"]
    await api.ok(
        "mutation($id: ID!) { updateLeadCompetitor(input: {id: $id, wonTheDeal: true}) { errors { code } } }",
        {"id": competitor["id"]},
    )

    lost = await leads.move(lead, "Lost", lostReason="Price", winLossFactors=["price", " price ", "integration"])

    detail = await api.ok(
        "query($id: ID!) { lead(id: $id) { winLossFactors competitors { competitor wonTheDeal } } }", {"id": lead["id"]}
    )
    assert lost["errors"] == []
    assert detail["lead"] == {
        "winLossFactors": ["price", "integration"],
        "competitors": [{"competitor": "Rival Inc", "wonTheDeal": True}],
    }
    assert Decimal(competitor["price"]) == Decimal("900")
