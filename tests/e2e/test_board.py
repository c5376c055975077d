"""The board: drag and drop, won/lost rules, totals, filters in the URL."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import Api

pytestmark = pytest.mark.browser


def column(page: Any, stage: str) -> Any:
    return page.locator(f'[data-testid="board-column"][data-stage="{stage}"]')


def count(page: Any, stage: str) -> int:
    return int(column(page, stage).get_by_test_id("column-count").inner_text())


def card(page: Any, stage: str, title: str) -> Any:
    return column(page, stage).get_by_test_id("lead-card").filter(has_text=title)


def drag(page: Any, source: Any, target: Any) -> None:
    """A real pointer drag: press, move in steps (past the activation distance), release."""
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 15)
    page.mouse.down()
    page.mouse.move(box["x"] + 40, box["y"] + 30, steps=5)
    target.scroll_into_view_if_needed()
    t = target.bounding_box()
    page.mouse.move(t["x"] + t["width"] / 2, t["y"] + 120, steps=15)
    # the board may auto-scroll while a card is dragged: aim again at where the column is now, as a person would
    for _ in range(3):
        page.wait_for_timeout(60)
        t = target.bounding_box()
        page.mouse.move(t["x"] + t["width"] / 2, t["y"] + 120, steps=2)
    page.mouse.up()


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def test_drag_card_to_another_stage_persists_after_reload(page: Any, api: Api) -> None:
    title = unique("Drag me")
    lead = api.create_lead(title, "New", "1250.00")
    page.goto(f"/board?q={title.replace(' ', '+')}")
    expect_card = card(page, "New", title)
    expect_card.wait_for()
    assert count(page, "New") == 1 and count(page, "Qualified") == 0

    drag(page, expect_card, column(page, "Qualified"))

    card(page, "Qualified", title).wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('.toast')].some(t => t.textContent.includes('Moved'))")
    assert count(page, "Qualified") == 1 and count(page, "New") == 0
    assert column(page, "Qualified").get_by_test_id("column-total").inner_text() == "$1,250"
    assert api.lead(lead["id"])["stage"]["name"] == "Qualified"

    page.reload()
    card(page, "Qualified", title).wait_for()
    assert card(page, "New", title).count() == 0


def test_lost_drop_without_reason_is_refused(page: Any, api: Api) -> None:
    title = unique("Lose me")
    lead = api.create_lead(title, "Contacted", "500.00")
    page.goto(f"/board?q={title.replace(' ', '+')}")
    source = card(page, "Contacted", title)
    source.wait_for()

    drag(page, source, column(page, "Lost"))
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_role("button", name="Mark as lost").click()
    assert dialog.get_by_role("alert").inner_text() == "A lost reason is required."
    dialog.get_by_role("button", name="Cancel").click()

    card(page, "Contacted", title).wait_for()
    assert card(page, "Lost", title).count() == 0
    assert api.lead(lead["id"])["stage"]["name"] == "Contacted"

    # with a reason it goes through, and the reason is kept
    drag(page, card(page, "Contacted", title), column(page, "Lost"))
    page.get_by_role("dialog").get_by_label("Lost reason").fill("Chose a competitor")
    page.get_by_role("dialog").get_by_role("button", name="Mark as lost").click()
    try:
        card(page, "Lost", title).wait_for()
    except Exception:
        page.screenshot(path="/tmp/lost-fail.png")
        raise
    page.wait_for_function("() => [...document.querySelectorAll('.toast')].some(t => t.textContent.includes('Moved'))")
    fresh = api.lead(lead["id"])
    assert (fresh["status"], fresh["lostReason"]) == ("LOST", "Chose a competitor")


def test_stale_version_is_rolled_back_with_a_message(page: Any, api: Api) -> None:
    title = unique("Conflict")
    lead = api.create_lead(title, "New", "700.00")
    page.goto(f"/board?q={title.replace(' ', '+')}")
    card(page, "New", title).wait_for()
    # someone else edits the lead after the board loaded it: the board's version is stale
    api.gql(
        "mutation($i: UpdateLeadInput!) { updateLead(input: $i) { errors { message } } }",
        {"i": {"id": lead["id"], "version": lead["version"], "title": title + " (edited)"}},
    )
    drag(page, card(page, "New", title), column(page, "Contacted"))
    alert = page.locator(".toast-error")
    alert.wait_for()
    assert "someone else changed this lead" in alert.inner_text()
    card(page, "New", title).wait_for()
    assert count(page, "New") == 1 and count(page, "Contacted") == 0
    # the board reloaded the lead with its new version: moving it again works
    card(page, "New", f"{title} (edited)").wait_for()
    drag(page, card(page, "New", title), column(page, "Contacted"))
    card(page, "Contacted", title).wait_for()
    page.locator(".toast-success").filter(has_text="Moved").wait_for()
    assert api.lead(lead["id"])["stage"]["name"] == "Contacted"


def test_deep_link_to_a_pipeline_board(page: Any, api: Api) -> None:
    pipeline = api.gql("{ defaultPipeline { id name } }")["defaultPipeline"]
    page.goto(f"/board/{pipeline['id']}")
    page.get_by_test_id("lead-card").first.wait_for()
    names = page.get_by_test_id("board-column").locator("h2").all_inner_texts()
    assert names == list(api.stages())
    page.goto("/board/UGlwZWxpbmU6OTk5")  # Pipeline:999
    page.get_by_role("heading", name="Pipeline not found").wait_for()


def test_pipeline_switcher(page: Any, api: Api) -> None:
    name = unique("Partners")
    created = api.gql(
        "mutation($i: CreatePipelineInput!) { createPipeline(input: $i) { pipeline { id stages { id name } }"
        " errors { message } } }",
        {
            "i": {
                "name": name,
                "stages": [
                    {"name": "Intro", "probability": 20},
                    {"name": "Signed", "probability": 100, "kind": "WON"},
                    {"name": "Dropped", "probability": 0, "kind": "LOST"},
                ],
            }
        },
    )["createPipeline"]["pipeline"]
    api.gql(
        "mutation($i: CreateLeadInput!) { createLead(input: $i) { errors { message } } }",
        {"i": {"title": f"{name} deal", "pipelineId": created["id"], "value": "900.00"}},
    )
    page.goto("/board?min=1")
    page.get_by_test_id("lead-card").first.wait_for()
    page.get_by_label("Pipeline", exact=True).select_option(label=name)
    page.wait_for_url(f"**/board/{created['id']}?min=1")
    column(page, "Intro").get_by_test_id("lead-card").filter(has_text=f"{name} deal").wait_for()
    assert page.get_by_test_id("board-column").locator("h2").all_inner_texts() == ["Intro", "Signed", "Dropped"]
    assert count(page, "Intro") == 1


def test_keyboard_move(page: Any, api: Api) -> None:
    title = unique("Keyboard")
    lead = api.create_lead(title, "New", "300.00")
    page.goto(f"/board?q={title.replace(' ', '+')}")
    source = card(page, "New", title)
    source.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(150)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(250)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(250)
    page.keyboard.press("Space")
    card(page, "Qualified", title).wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('.toast')].some(t => t.textContent.includes('Moved'))")
    assert api.lead(lead["id"])["stage"]["name"] == "Qualified"


def test_filter_narrows_the_board_and_lives_in_the_url(page: Any, api: Api) -> None:
    page.goto("/board")
    page.get_by_test_id("lead-card").first.wait_for()
    before = {s: count(page, s) for s in ("New", "Contacted", "Qualified")}
    total_before = sum(before.values())
    assert total_before > 0

    expected = api.gql(
        '{ defaultPipeline { stages { name leads(first: 0, filter: {value: {gte: "50000"}}) { totalCount } } } }'
    )
    server_counts = {s["name"]: s["leads"]["totalCount"] for s in expected["defaultPipeline"]["stages"]}
    wanted = [server_counts[s] for s in ("New", "Contacted", "Qualified")]
    assert sum(wanted) < total_before

    page.get_by_label("Minimum value").fill("50000")
    page.get_by_label("Minimum value").press("Enter")
    page.wait_for_url(re.compile(r"min=50000"))
    page.wait_for_function(
        "want => JSON.stringify([...document.querySelectorAll('[data-testid=column-count]')].slice(0,3)"
        ".map(e => Number(e.textContent))) === JSON.stringify(want)",
        arg=wanted,
    )
    after = {s: count(page, s) for s in ("New", "Contacted", "Qualified")}
    assert list(after.values()) == wanted
    assert all(after[s] <= before[s] for s in after)
    # every card shown matches the filter
    values = page.get_by_test_id("lead-card").locator(".card-value").all_inner_texts()
    assert values and all(float(v.strip("$").replace(",", "")) >= 50000 for v in values)

    # the filtered board is a link: open it fresh and get the same counts
    url = page.url
    page.goto(url)
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=column-count]')].slice(0,3)"
        ".reduce((a, e) => a + Number(e.textContent), 0) === n",
        arg=sum(after.values()),
    )
    assert page.get_by_label("Minimum value").input_value() == "50000"


def test_quick_add_from_a_column_header(page: Any, api: Api) -> None:
    title = unique("Quick")
    page.goto("/board")
    page.get_by_test_id("lead-card").first.wait_for()
    before = count(page, "Contacted")
    page.get_by_role("button", name="Quick-add a lead to Contacted").click()
    form = page.get_by_role("form", name="Quick-add a lead to Contacted")
    form.get_by_label("Lead title").fill(title)
    form.get_by_role("combobox").fill("Grace Hopper")
    form.get_by_label("Value").fill("2500")
    form.get_by_role("button", name="Add lead").click()
    card(page, "Contacted", title).wait_for()
    assert count(page, "Contacted") == before + 1
    assert "Grace Hopper" in card(page, "Contacted", title).inner_text()
    found = api.gql(
        "query($q: String) { leads(filter: {search: $q}) { edges { node { value stage { name } contactPerson { name } } } } }",
        {"q": title},
    )["leads"]["edges"]
    assert [e["node"] for e in found] == [
        {"value": "2500.00", "stage": {"name": "Contacted"}, "contactPerson": {"name": "Grace Hopper"}}
    ]


def test_columns_load_more_cards_as_you_scroll(page: Any, api: Api) -> None:
    marker = uuid.uuid4().hex[:6]
    for i in range(23):
        api.create_lead(f"Scroll {marker} {i:02d}", "Negotiation", "100.00")
    page.goto(f"/board?q={marker}")
    col = column(page, "Negotiation")
    col.get_by_test_id("lead-card").first.wait_for()
    assert count(page, "Negotiation") == 23
    assert col.get_by_test_id("lead-card").count() == 20
    col.locator(".column-body").evaluate("el => el.scrollTo(0, el.scrollHeight)")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-stage=\"Negotiation\"] [data-testid=lead-card]').length === 23"
    )
    titles = col.locator(".card-title").all_inner_texts()
    assert sorted(titles) == sorted(f"Scroll {marker} {i:02d}" for i in range(23))


def test_phone_width_board_scrolls_by_column(browser: Any, server: str, signed_in_state: str | None) -> None:
    context = browser.new_context(
        base_url=server, viewport={"width": 390, "height": 844}, has_touch=True, storage_state=signed_in_state
    )
    try:
        pg = context.new_page()
        for path in ("/board", "/leads"):
            pg.goto(path)
            pg.locator("[data-testid=lead-card], [data-testid=lead-row]").first.wait_for()
            # nothing sticks out of the screen except inside the scrolling board / table
            assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        pg.goto("/board")
        pg.get_by_test_id("lead-card").first.wait_for()
        board = pg.locator(".board")
        assert board.evaluate("el => el.scrollWidth > el.clientWidth")
        first = column(pg, "New").bounding_box()
        assert 300 <= first["width"] <= 390
        assert board.evaluate("el => getComputedStyle(el).scrollSnapType").startswith("x")
    finally:
        context.close()
