"""The lead list: sorting, paging, mass actions and the CSV export of the filter."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Api

pytestmark = pytest.mark.browser


def test_export_contains_exactly_the_filtered_rows(page: Any, api: Api, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex[:8]
    titles = [f"Export {marker} alpha", f"Export {marker} beta", f'=HYPERLINK("http://x") {marker}']
    for i, t in enumerate(titles):
        api.create_lead(t, "Contacted", f"{(i + 1) * 100}.00")
    page.goto(f"/leads?q={marker}")
    page.get_by_test_id("list-total").filter(has_text="3 leads").wait_for()
    assert page.get_by_test_id("lead-row").count() == 3
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    # the server streams it (permission and visibility checked there), with the list's filter and sort
    assert "/export/leads.csv?" in info.value.url and marker in info.value.url
    path = tmp_path / "leads.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3
    exported = sorted(r["Title"] for r in rows)
    assert exported == sorted([titles[0], titles[1], "'" + titles[2]])
    assert sorted(r["Value"] for r in rows) == ["100.00", "200.00", "300.00"]
    assert {r["Stage"] for r in rows} == {"Contacted"}


def test_sort_and_page_through(page: Any, api: Api) -> None:
    marker = uuid.uuid4().hex[:8]
    for i in range(27):
        api.create_lead(f"Paging {marker} {i:02d}", "New", f"{1000 + i}.00")
    page.goto(f"/leads?q={marker}")
    page.get_by_test_id("pager-range").filter(has_text="1–25 of 27").wait_for()
    page.get_by_role("button", name="Value").click()  # highest first
    page.wait_for_url("**sort=value%3Adesc**")
    page.get_by_test_id("lead-row").first.filter(has_text=f"Paging {marker} 26").wait_for()
    page.get_by_role("button", name="Value").click()  # lowest first
    page.get_by_test_id("lead-row").first.filter(has_text=f"Paging {marker} 00").wait_for()
    page.get_by_role("button", name="Next →").click()
    page.get_by_test_id("pager-range").filter(has_text="26–27 of 27").wait_for()
    assert page.get_by_test_id("lead-row").locator(".title-cell").all_inner_texts() == [
        f"Paging {marker} {i}" for i in range(25, 27)
    ]
    page.get_by_role("button", name="← Previous").click()
    page.get_by_test_id("pager-range").filter(has_text="1–25 of 27").wait_for()


def test_mass_assign_and_delete(page: Any, api: Api) -> None:
    marker = uuid.uuid4().hex[:8]
    ids = [api.create_lead(f"Mass {marker} {i}", "New", "10.00")["id"] for i in range(3)]
    users = api.gql("{ users(first: 5) { edges { node { id name } } } }")["users"]["edges"]
    user = users[0]["node"]
    page.goto(f"/leads?q={marker}")
    page.get_by_test_id("list-total").filter(has_text="3 leads").wait_for()
    page.get_by_label("Select all leads on this page").check()
    page.get_by_label("Assign selected to sales person").select_option(user["id"])
    page.locator(".toast-success").filter(has_text="3 leads done").wait_for()
    for lead_id in ids:
        got = api.gql("query($id: ID!) { lead(id: $id) { salesPerson { id } } }", {"id": lead_id})
        assert got["lead"]["salesPerson"]["id"] == user["id"]

    page.get_by_label(f"Select Mass {marker} 0").check()
    page.get_by_role("button", name="Delete…").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    page.get_by_test_id("list-total").filter(has_text="2 leads").wait_for()
    assert api.gql("query($id: ID!) { lead(id: $id) { id } }", {"id": ids[0]})["lead"] is None


def test_filter_by_sales_person_in_the_url(page: Any, api: Api) -> None:
    users = api.gql("{ users(first: 10) { edges { node { id name } } } }")["users"]["edges"]
    user = users[0]["node"]
    expected = api.gql(
        "query($f: LeadFilter) { leads(filter: $f, first: 0) { totalCount } }",
        {"f": {"salesPerson": {"in": [user["id"]]}}},
    )["leads"]["totalCount"]
    everyone = api.gql("{ leads(first: 0) { totalCount } }")["leads"]["totalCount"]
    assert 0 < expected < everyone
    page.goto("/leads")
    page.get_by_test_id("list-total").filter(has_text=f"{everyone} leads").wait_for()
    page.get_by_role("button", name="Filter by sales person").click()
    page.get_by_role("listbox", name="Sales person").get_by_label(user["name"]).click()
    page.wait_for_url(f"**owner={user['id']}**")
    page.get_by_test_id("list-total").filter(has_text=f"{expected} lead").wait_for()
    # the same URL opened fresh gives the same list; the board keeps the filter too
    page.reload()
    page.get_by_test_id("list-total").filter(has_text=f"{expected} lead").wait_for()
    page.get_by_role("link", name="Board").click()
    page.get_by_test_id("lead-card").first.wait_for()
    assert f"owner={user['id']}" in page.url


def test_mass_move_to_lost_asks_for_the_reason(page: Any, api: Api) -> None:
    marker = uuid.uuid4().hex[:8]
    ids = [api.create_lead(f"Bulk lost {marker} {i}", "Qualified", "10.00")["id"] for i in range(2)]
    page.goto(f"/leads?q={marker}")
    page.get_by_test_id("list-total").filter(has_text="2 leads").wait_for()
    page.get_by_label("Select all leads on this page").check()
    page.get_by_label("Move selected to stage").select_option(label="Lost")
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Mark as lost").click()
    assert dialog.get_by_role("alert").inner_text() == "A lost reason is required."
    dialog.get_by_label("Lost reason").fill("No budget")
    dialog.get_by_role("button", name="Mark as lost").click()
    page.locator(".toast-success").filter(has_text="2 leads done").wait_for()
    assert page.get_by_test_id("lead-row").locator(".stage-pill").all_inner_texts() == ["Lost", "Lost"]
    for lead_id in ids:
        lead = api.lead(lead_id)
        assert (lead["status"], lead["lostReason"]) == ("LOST", "No budget")
