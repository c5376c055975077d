"""GET /export/leads.csv: the filtered, visible leads as CSV, formulas neutralised, for those who may export."""

from __future__ import annotations

import csv
import io
import json

from backend.auth.http import COOKIE
from backend.auth.service import create_user, start_session
from backend.db import write_transaction
from tests.api.conftest import Leads
from tests.conftest import Api


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_export_has_the_filtered_rows_with_formulas_neutralised(api: Api, leads: Leads) -> None:
    tag = await leads.tag("vip")
    await leads.create(title='=HYPERLINK("http://evil")', value="10.00", tagIds=[tag["id"]])
    await leads.create(title="@SUM(A1)", value="2000.00")
    await leads.create(title="Plain", value="500.00", tagIds=[tag["id"]])

    everything = await api.client.get("/export/leads.csv")
    filtered = await api.client.get(
        "/export/leads.csv",
        params={
            "filter": json.dumps({"value": {"gte": "100"}}),
            "orderBy": json.dumps([{"field": "VALUE", "direction": "DESC"}]),
        },
    )

    assert everything.status_code == 200
    assert everything.headers["content-type"].startswith("text/csv")
    rows = _rows(everything.text)
    assert sorted(r["Title"] for r in rows) == ['\'=HYPERLINK("http://evil")', "'@SUM(A1)", "Plain"]
    assert {r["Title"]: r["Tags"] for r in rows}["Plain"] == "vip"
    assert [(r["Title"], r["Value"], r["Stage"]) for r in _rows(filtered.text)] == [
        ("'@SUM(A1)", "2000.00", "New"),
        ("Plain", "500.00", "New"),
    ]


async def test_the_export_follows_visibility_and_the_export_permission(api: Api, leads: Leads) -> None:
    await leads.create(title="Admin's")
    async with write_transaction(api.session_factory) as session:
        rep = await create_user(session, "Rae Rep", "rae@example.com", None, "sales_rep")
        manager = await create_user(session, "Meg Manager", "meg@example.com", None, "sales_manager", ("North",))
        rep_secret = await start_session(session, rep, "pytest")
        manager_secret = await start_session(session, manager, "pytest")

    api.client.cookies.set(COOKIE, rep_secret)
    refused = await api.client.get("/export/leads.csv")
    api.client.cookies.set(COOKIE, manager_secret)
    own_team_only = await api.client.get("/export/leads.csv")
    api.client.cookies.clear()
    anonymous = await api.client.get("/export/leads.csv")

    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert own_team_only.status_code == 200 and _rows(own_team_only.text) == []
    assert anonymous.status_code == 401


async def test_a_bad_filter_is_a_400_not_a_500(api: Api) -> None:
    broken = await api.client.get("/export/leads.csv", params={"filter": "{not json"})
    unknown = await api.client.get("/export/leads.csv", params={"filter": json.dumps({"colour": "red"})})
    inverted = await api.client.get(
        "/export/leads.csv", params={"filter": json.dumps({"value": {"gte": "5", "lte": "1"}})}
    )

    assert [r.status_code for r in (broken, unknown, inverted)] == [400, 400, 400]
    assert all(r.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" for r in (broken, unknown, inverted))
