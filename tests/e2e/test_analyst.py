"""GraphiQL from the app's own bundle (offline), saved filters in the filter bar, and what a role may not do."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import Api, auth_enabled

pytestmark = pytest.mark.browser

COUNTS_JS = (
    "want => JSON.stringify([...document.querySelectorAll('[data-testid=column-count]')]"
    ".map(e => Number(e.textContent))) === JSON.stringify(want)"
)


def _board_counts(api: Api, saved_filter: str | None = None) -> list[int]:
    data = api.gql(
        "query($s: ID) { defaultPipeline { stages { position leads(first: 0, savedFilter: $s) { totalCount } } } }",
        {"s": saved_filter},
    )
    stages = sorted(data["defaultPipeline"]["stages"], key=lambda s: s["position"])
    return [s["leads"]["totalCount"] for s in stages]


def _saved_filters(api: Api) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in api.gql("{ savedFilters { id name isBuiltin isOwn } }")["savedFilters"]}


def test_graphiql_loads_and_runs_offline(page: Any, api: Api, server: str) -> None:
    left: list[str] = []

    def only_loopback(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_loopback)
    page.goto("/graphiql")  # the app sends it on to the built page until the server routes /graphiql itself
    page.wait_for_url(re.compile(r"/graphiql(\.html)?$"))
    page.locator(".graphiql-container").wait_for()
    page.get_by_role("tab", name=re.compile("BoardWithTotals")).wait_for()
    # the editor (Monaco, lazy chunks and workers) has the example before it runs
    page.locator(".graphiql-query-editor .view-lines").filter(has_text="defaultPipeline").wait_for()
    page.locator(".graphiql-execute-button").click()
    first = _board_counts(api)[0]
    # Monaco renders spaces as no-break spaces: \s matches both
    result = page.locator(".result-window")
    result.filter(has_text=re.compile(rf'"totalCount":\s*{first},')).wait_for()
    name = api.gql("{ defaultPipeline { name } }")["defaultPipeline"]["name"]
    assert re.search(rf'"name":\s*"{re.escape(name)}"', result.inner_text().replace("\xa0", " "))
    # the analyst examples are there as tabs, and nothing tried to leave the machine (no CDN, no fonts)
    tabs = page.get_by_role("tab").all_inner_texts()
    assert any("WonBySourceAndMonth" in t for t in tabs), tabs
    assert left == []


def test_graphiql_asks_to_sign_in_first(browser: Any, server: str) -> None:
    if not auth_enabled(server):
        pytest.skip("this backend has no sign-in")
    context = browser.new_context(base_url=server)
    try:
        pg = context.new_page()
        pg.goto("/graphiql.html")
        pg.get_by_role("alert").filter(has_text="Sign in first").wait_for()
        assert pg.get_by_role("link", name="Sign in to Enterpristore").get_attribute("href") == "/"
    finally:
        context.close()


def test_builtin_saved_filter_sets_the_board_counts(page: Any, api: Api) -> None:
    saved = _saved_filters(api)["High value closing soon"]
    page.goto("/board")
    page.get_by_test_id("lead-card").first.wait_for()
    page.wait_for_function(COUNTS_JS, arg=_board_counts(api))
    page.get_by_role("button", name="Saved filters").click()
    page.get_by_role("menuitemradio", name=re.compile("High value closing soon")).click()
    page.wait_for_url(re.compile(r"saved="))
    assert parse_qs(urlparse(page.url).query)["saved"] == [saved["id"]]
    want = _board_counts(api, saved["id"])
    assert want != _board_counts(api)
    page.wait_for_function(COUNTS_JS, arg=want)
    assert page.get_by_test_id("saved-filter-current").inner_text() == "High value closing soon"
    # combined with the bar's own criteria, and kept in the link
    page.goto(page.url)
    page.wait_for_function(COUNTS_JS, arg=want)


def test_save_a_filter_and_find_it_after_a_reload(page: Any, api: Api) -> None:
    marker = uuid.uuid4().hex[:8]
    for i in range(2):
        api.create_lead(f"Saved {marker} {i}", "New", "500.00")
    name = f"Mine {marker}"
    page.goto(f"/leads?q={marker}")
    page.get_by_test_id("list-total").filter(has_text="2 leads").wait_for()
    page.get_by_role("button", name="Saved filters").click()
    page.get_by_role("button", name="Save current filters…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Save").click()
    dialog.get_by_role("alert").filter(has_text="Give the filter a name.").wait_for()
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Everyone").check()
    dialog.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"saved="))
    stored = _saved_filters(api)[name]
    assert stored["isOwn"] is True

    # the filter alone (no search in the bar) finds the same two leads, after a reload
    page.goto(f"/leads?saved={stored['id']}")
    page.get_by_test_id("list-total").filter(has_text="2 leads").wait_for()
    page.reload()
    page.get_by_test_id("saved-filter-current").filter(has_text=name).wait_for()
    page.get_by_role("button", name="Saved filters").click()
    page.get_by_role("menuitemradio", name=re.compile(name)).wait_for()

    page.get_by_role("button", name=f"Delete saved filter {name}").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    page.wait_for_url(lambda url: "saved=" not in url)
    assert name not in _saved_filters(api)


def test_export_follows_the_saved_filter_on_the_server(page: Any, api: Api, tmp_path: Any) -> None:
    saved = _saved_filters(api)["High value closing soon"]
    want = api.gql(
        "query($s: ID) { leads(savedFilter: $s, first: 100) { totalCount edges { node { title } } } }",
        {"s": saved["id"]},
    )["leads"]
    page.goto(f"/leads?saved={saved['id']}")
    page.get_by_test_id("list-total").filter(has_text=f"{want['totalCount']} lead").wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    url = urlparse(info.value.url)
    assert url.path == "/export/leads.csv" and parse_qs(url.query)["savedFilter"] == [saved["id"]]
    path = tmp_path / "saved.csv"
    info.value.save_as(path)
    import csv

    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r["Title"].lstrip("'") for r in rows) == sorted(e["node"]["title"] for e in want["edges"])


@pytest.fixture
def rep_page(browser: Any, server: str, api: Api) -> Iterator[Any]:
    users = api.gql("{ users(first: 100) { edges { node { email role { code } } } } }")["users"]["edges"]
    reps = [
        u["node"]["email"] for u in users if (u["node"]["role"] or {}).get("code") == "sales_rep" and u["node"]["email"]
    ]
    context = browser.new_context(base_url=server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    try:
        signed = [
            e for e in reps if context.request.post("/auth/sign-in", data={"email": e, "password": "demo-password"}).ok
        ]
        if not signed:
            pytest.skip("no sales rep with the demo password (seed-demo did not run)")
        me = context.request.get("/auth/me").json()
        assert me["role"] in ("sales_rep", "Sales rep", "Sales representative") or "rep" in json.dumps(me).lower()
        yield context.new_page()
    finally:
        context.close()


def test_sales_rep_sees_no_export_and_no_delete(rep_page: Any) -> None:
    page = rep_page
    page.goto("/leads")
    page.get_by_test_id("lead-row").first.wait_for()
    assert page.get_by_role("link", name="GraphiQL").is_visible()  # reps can view leads
    assert page.get_by_role("button", name="Export CSV").count() == 0
    page.get_by_test_id("lead-row").first.get_by_role("checkbox").check()
    page.get_by_role("region", name="Mass actions").wait_for()
    assert page.get_by_label("Assign selected to sales person").is_visible()
    assert page.get_by_role("button", name="Delete…").count() == 0
    # and the server agrees: the export is refused for this role
    assert page.request.get("/export/leads.csv").status == 403
