"""The lead detail: inline edits with timeline entries, products driving the value, notes, contact, safe text."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.conftest import Api

pytestmark = pytest.mark.browser


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def test_edit_a_field_and_see_the_timeline_entry(page: Any, api: Api) -> None:
    lead = api.create_lead(unique("Editable"), "New", "1000.00")
    page.goto(f"/leads/{lead['id']}")
    field = page.get_by_test_id("field-value")
    field.get_by_role("button").click()
    field.get_by_role("textbox").fill("1,250")
    field.get_by_role("textbox").press("Enter")
    page.get_by_test_id("lead-value").filter(has_text="$1,250.00").wait_for()
    entry = page.get_by_test_id("timeline-entry").filter(has_text="Changed value")
    entry.wait_for()
    assert entry.first.inner_text().splitlines()[-1] == "Changed value from $1,000.00 to $1,250.00"
    assert api.lead(lead["id"])["value"] == "1250.00"


def test_server_validation_message_shows_next_to_the_field(page: Any, api: Api) -> None:
    lead = api.create_lead(unique("Validation"), "New", "10.00")
    page.goto(f"/leads/{lead['id']}")
    field = page.get_by_test_id("field-score")
    field.get_by_role("button").click()
    field.get_by_role("textbox").fill("1000")
    field.get_by_role("textbox").press("Enter")
    message = field.get_by_role("alert")
    message.wait_for()
    assert "score" in message.inner_text().lower()
    assert api.lead(lead["id"])["version"] == lead["version"]


def test_add_a_product_and_see_the_value_change(page: Any, api: Api) -> None:
    sku = f"E2E-{uuid.uuid4().hex[:6].upper()}"
    name = f"E2E widget {sku}"
    api.gql(
        "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } errors { message } } }",
        {"i": {"sku": sku, "name": name, "listPrice": "625.00", "unit": "UNIT"}},
    )
    lead = api.create_lead(unique("Products"), "Qualified", "99.00")
    page.goto(f"/leads/{lead['id']}")
    page.get_by_test_id("lead-value").filter(has_text="$99.00").wait_for()
    search = page.get_by_label("Add a product")
    search.fill(sku)
    page.get_by_role("option").filter(has_text=name).click()
    page.get_by_test_id("lead-value").filter(has_text="$625.00").wait_for()

    page.get_by_label(f"Quantity of {name}").fill("2")
    page.get_by_label(f"Quantity of {name}").press("Enter")
    page.get_by_test_id("lead-value").filter(has_text="$1,250.00").wait_for()
    assert page.get_by_test_id("line-amount").inner_text() == "1,250.00"
    assert page.get_by_test_id("products-total").inner_text() == "1,250.00"
    assert api.lead(lead["id"])["value"] == "1250.00"
    # the value is now derived from the lines: it cannot be edited by hand
    assert page.get_by_test_id("field-value").get_by_role("button").is_disabled()


def test_add_a_note_and_move_from_the_stage_bar(page: Any, api: Api) -> None:
    lead = api.create_lead(unique("Noted"), "New", "400.00")
    page.goto(f"/leads/{lead['id']}")
    page.get_by_label("Note").fill("Called, they want a demo next week")
    page.get_by_role("button", name="Add note").click()
    page.get_by_test_id("timeline-entry").filter(has_text="Called, they want a demo next week").wait_for()

    page.get_by_label("Stage").get_by_role("button", name="Lost").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Mark as lost").click()
    assert dialog.get_by_role("alert").inner_text() == "A lost reason is required."
    dialog.get_by_label("Lost reason").fill("No budget")
    dialog.get_by_role("button", name="Mark as lost").click()
    page.get_by_test_id("lead-status").filter(has_text="Lost").wait_for()
    page.get_by_test_id("timeline-entry").filter(has_text="Lost reason: No budget").wait_for()
    kinds = [e.get_attribute("data-kind") for e in page.get_by_test_id("timeline-entry").all()]
    assert kinds[:2] == ["STAGE_CHANGED", "NOTE"]  # newest first


def test_create_and_link_a_contact_person_inline(page: Any, api: Api) -> None:
    lead = api.create_lead(unique("Contact"), "New", "100.00")
    name = unique("Ada Lovelace")
    page.goto(f"/leads/{lead['id']}")
    card = page.get_by_test_id("contact-card")
    card.get_by_role("button", name="Add contact").click()
    card.get_by_role("button", name="Create new person").click()
    card.get_by_label("Name").fill(name)
    card.get_by_label("Job title").fill("CTO")
    card.get_by_label("Email").fill("ada@example.com")
    card.get_by_role("button", name="Create and link").click()
    card.get_by_text("ada@example.com").wait_for()
    assert card.get_by_text(name).count() == 1
    data = api.gql(
        "query($id: ID!) { lead(id: $id) { contactPerson { name jobTitle emails { value } } } }", {"id": lead["id"]}
    )
    assert data["lead"]["contactPerson"] == {"name": name, "jobTitle": "CTO", "emails": [{"value": "ada@example.com"}]}


def test_text_from_the_database_is_rendered_as_text(page: Any, api: Api) -> None:
    title = "<img src=x onerror=alert(1)>"
    lead = api.create_lead(title, "New", "1.00")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"/leads/{lead['id']}")
    page.get_by_text(title, exact=True).first.wait_for()
    page.goto("/board?q=onerror")
    card = page.get_by_test_id("lead-card").filter(has_text=title)
    card.first.wait_for()
    assert card.first.locator("img").count() == 0
    assert dialogs == []
