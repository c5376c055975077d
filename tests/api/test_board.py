"""The board: one query for a whole pipeline, exact column totals, a constant number of SQL statements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from backend.auth.models import User
from backend.contacts.models import Organization, Person
from backend.leads.models import Lead, LeadStatus, Tag
from backend.pipelines.models import Stage
from tests.conftest import Api

BOARD = """query($first: Int, $filter: LeadFilter) {
  defaultPipeline {
    name rottingDays
    stages {
      name probability kind
      leads(first: $first, filter: $filter) {
        totalCount totalValue weightedValue
        pageInfo { hasNextPage endCursor }
        edges { node {
          title value weightedValue isRotting daysInStage expectedCloseDate
          contactPerson { name organization { name } }
          organization { name }
          salesPerson { name initials }
          tags { name color }
        } }
      }
    }
  }
}"""


async def _given_a_full_board(api: Api, per_stage: int) -> dict[str, list[Lead]]:
    """per_stage leads in every stage, each with a contact person, organization, sales person and two tags."""
    now = datetime.now(UTC)
    async with api.session_factory() as session:
        stages = list((await session.execute(select(Stage).order_by(Stage.position))).scalars())
        users = [User(name=f"Rep {i} Smith") for i in range(4)]
        tags = [Tag(name=f"tag-{i}", color=f"#00000{i}") for i in range(3)]
        orgs = [Organization(name=f"Org {i}") for i in range(10)]
        session.add_all([*users, *tags, *orgs])
        await session.flush()
        persons = [Person(name=f"Person {i}", organization_id=orgs[i % 10].id, emails=[], phones=[]) for i in range(20)]
        session.add_all(persons)
        await session.flush()
        by_stage: dict[str, list[Lead]] = {}
        for s_index, stage in enumerate(stages):
            status = {"open": LeadStatus.OPEN, "won": LeadStatus.WON, "lost": LeadStatus.LOST}[stage.kind.value]
            for i in range(per_stage):
                lead = Lead(
                    title=f"{stage.name} lead {i}",
                    value=Decimal(f"{100 + i}.{s_index:02d}") if i % 5 else None,
                    currency="USD",
                    status=status,
                    lost_reason="Too expensive" if status == LeadStatus.LOST else None,
                    pipeline_id=stage.pipeline_id,
                    stage_id=stage.id,
                    stage_entered_at=now - timedelta(days=i),
                    created_at=now - timedelta(minutes=i),
                    person_id=persons[i % 20].id,
                    organization_id=persons[i % 20].organization_id,
                    sales_person_id=users[i % 4].id,
                    tags=[tags[i % 3], tags[(i + 1) % 3]],
                    products=[],
                )
                session.add(lead)
                by_stage.setdefault(stage.name, []).append(lead)
        await session.commit()
    return by_stage


async def test_the_board_costs_the_same_statements_for_5_and_50_cards_per_stage(api: Api) -> None:
    await _given_a_full_board(api, per_stage=60)

    with api.sql as small:
        five = await api.ok(BOARD, {"first": 5})
    with api.sql as large:
        fifty = await api.ok(BOARD, {"first": 50})

    stages = fifty["defaultPipeline"]["stages"]
    assert [len(s["leads"]["edges"]) for s in five["defaultPipeline"]["stages"]] == [5] * 7
    assert [len(s["leads"]["edges"]) for s in stages] == [50] * 7
    assert small.count == large.count
    # who is asking (session with its user, role and teams), then pipeline, stages, cards, column totals, persons,
    # organizations, users, tags
    assert large.count == 1 + 8, large.statements


async def test_column_totals_cover_every_lead_not_just_the_loaded_cards(api: Api) -> None:
    by_stage = await _given_a_full_board(api, per_stage=12)

    data = await api.ok(BOARD, {"first": 3})

    for column in data["defaultPipeline"]["stages"]:
        leads = by_stage[column["name"]]
        total = sum((lead.value for lead in leads if lead.value is not None), Decimal("0.00"))
        assert column["leads"]["totalCount"] == 12
        assert Decimal(column["leads"]["totalValue"]) == total
        assert Decimal(column["leads"]["weightedValue"]) == (total * column["probability"] / 100).quantize(
            Decimal("0.01")
        )
        assert column["leads"]["pageInfo"]["hasNextPage"] is True


async def test_cards_carry_everything_the_board_shows(api: Api) -> None:
    await _given_a_full_board(api, per_stage=2)

    data = await api.ok(BOARD, {"first": 2})

    new = data["defaultPipeline"]["stages"][0]
    assert data["defaultPipeline"]["rottingDays"] == 30
    assert new["name"] == "New"
    first = new["leads"]["edges"][0]["node"]  # newest first: lead 0
    assert first["title"] == "New lead 0"
    assert first["contactPerson"] == {"name": "Person 0", "organization": {"name": "Org 0"}}
    assert first["salesPerson"] == {"name": "Rep 0 Smith", "initials": "RS"}
    assert [t["name"] for t in first["tags"]] == ["tag-0", "tag-1"]
    assert first["isRotting"] is False
    second = new["leads"]["edges"][1]["node"]
    assert second["value"] == "101.00"
    assert second["weightedValue"] == "10.10"


async def test_rotting_marks_open_leads_past_the_pipeline_threshold(api: Api) -> None:
    await _given_a_full_board(api, per_stage=40)

    data = await api.ok(BOARD, {"first": 40})

    columns = {c["name"]: c["leads"]["edges"] for c in data["defaultPipeline"]["stages"]}
    rotting = [e["node"]["daysInStage"] for e in columns["Qualified"] if e["node"]["isRotting"]]
    assert sorted(rotting) == list(range(31, 40))
    assert not any(e["node"]["isRotting"] for e in columns["Won"])


async def test_a_filter_narrows_cards_and_totals_alike(api: Api) -> None:
    await _given_a_full_board(api, per_stage=10)
    users = (await api.ok('{ users(search: "Rep 1") { edges { node { id } } } }'))["users"]["edges"]

    data = await api.ok(BOARD, {"first": 10, "filter": {"salesPerson": {"eq": users[0]["node"]["id"]}}})

    for column in data["defaultPipeline"]["stages"]:
        assert column["leads"]["totalCount"] == 3  # leads 1, 5 and 9 of every stage
        assert {e["node"]["salesPerson"]["name"] for e in column["leads"]["edges"]} == {"Rep 1 Smith"}
