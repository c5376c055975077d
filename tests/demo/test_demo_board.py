"""The board and the lead list over the demo data, through the GraphQL app."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import Api
from tests.demo.conftest import LEADS, Seeded

BOARD = """{ defaultPipeline { stages { name leads(first: 5) { totalCount totalValue edges { node {
  title value isRotting contactPerson { name organization { name } } salesPerson { name } tags { name } } } } } } }"""


@pytest.fixture
def database_url(seeded: Seeded, tmp_path: Path) -> str:
    """The api fixture serves a copy of the seeded database."""
    return seeded.copy_to(tmp_path)


def stage_totals(seeded: Seeded) -> dict[str, tuple[int, Decimal]]:
    """Per stage name: how many leads and their value, straight from SQL (values are stored in cents)."""
    connection = sqlite3.connect(seeded.path)
    try:
        rows = connection.execute(
            "SELECT s.name, count(l.id), coalesce(sum(l.value), 0) FROM stages s"
            " LEFT JOIN leads l ON l.stage_id = s.id GROUP BY s.id"
        ).fetchall()
    finally:
        connection.close()
    return {name: (n, Decimal(cents).scaleb(-2)) for name, n, cents in rows}


async def test_the_board_shows_every_stage_with_totals_that_match_sql(api: Api, seeded: Seeded) -> None:
    data = await api.ok(BOARD)
    expected = stage_totals(seeded)
    stages = data["defaultPipeline"]["stages"]
    assert [s["name"] for s in stages] == list(expected)
    for stage in stages:
        connection = stage["leads"]
        count, value = expected[stage["name"]]
        assert (connection["totalCount"], Decimal(connection["totalValue"])) == (count, value)
        assert count > 0 and len(connection["edges"]) == 5
        for edge in connection["edges"]:
            node = edge["node"]
            assert node["title"] and node["salesPerson"]["name"]
            if node["contactPerson"]:
                assert node["contactPerson"]["name"] and node["contactPerson"]["organization"]["name"]
    assert sum(s["leads"]["totalCount"] for s in stages) == LEADS


async def test_rotting_leads_show_on_the_board(api: Api) -> None:
    """The API measures days in stage against the real clock, so only "some, and flagged" is stable here."""
    data = await api.ok(
        "{ leads(first: 50, filter: { status: { eq: OPEN }, daysInStage: { gt: 30 } }) {"
        " totalCount edges { node { isRotting daysInStage } } } }"
    )
    assert data["leads"]["totalCount"] >= 50
    assert all(edge["node"]["isRotting"] for edge in data["leads"]["edges"])
