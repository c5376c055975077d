"""Moving leads through stages: won, lost, reopening, and the timeline of moves."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.api.conftest import Leads
from tests.conftest import Api

MOVES = """query($id: ID!) { lead(id: $id) { timeline(first: 10) { edges { node { kind data } } } } }"""


async def test_moving_to_an_open_stage_records_from_to_and_reason(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Mover")

    payload = await leads.move(lead, "Qualified", reason="Budget confirmed on the call")

    assert payload["errors"] == []
    assert payload["lead"]["stage"]["name"] == "Qualified"
    assert payload["lead"]["version"] == 2
    entry = (await api.ok(MOVES, {"id": lead["id"]}))["lead"]["timeline"]["edges"][0]["node"]
    assert entry["kind"] == "STAGE_CHANGED"
    assert entry["data"]["from_stage"] == "New"
    assert entry["data"]["to_stage"] == "Qualified"
    assert entry["data"]["reason"] == "Budget confirmed on the call"


async def test_entering_a_won_stage_closes_the_lead_with_the_won_value_and_date(leads: Leads) -> None:
    lead = await leads.create(title="Big one", value="1000.00")

    payload = await leads.move(lead, "Won", wonValue="1250.00", closeDate="2026-11-30")

    won = payload["lead"]
    assert payload["errors"] == []
    assert won["status"] == "WON"
    assert won["value"] == "1250.00"
    assert won["expectedCloseDate"] == "2026-11-30"
    closed_at = datetime.fromisoformat(won["closedAt"])
    assert abs((datetime.now(UTC) - closed_at).total_seconds()) < 60


async def test_won_without_a_date_closes_today_and_keeps_the_value(leads: Leads) -> None:
    lead = await leads.create(title="Quick win", value="99.99")

    won = (await leads.move(lead, "Won"))["lead"]

    assert won["value"] == "99.99"
    assert won["expectedCloseDate"] == datetime.now(UTC).date().isoformat()


async def test_entering_a_lost_stage_requires_a_reason(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Wobbly")

    refused = await leads.move(lead, "Lost", lostReason="   ")
    lost = await leads.move(lead, "Lost", lostReason="Went with a competitor")

    assert refused["lead"] is None
    assert refused["errors"] == [
        {"field": "lostReason", "code": "BAD_USER_INPUT", "message": "lost reason is required and cannot be empty"}
    ]
    assert lost["lead"]["status"] == "LOST"
    assert lost["lead"]["lostReason"] == "Went with a competitor"
    assert lost["lead"]["version"] == 2  # the refused move changed nothing


async def test_moving_back_out_of_a_closed_stage_reopens_the_lead(leads: Leads) -> None:
    lead = await leads.create(title="Second chance")
    lost = (await leads.move(lead, "Lost", lostReason="No budget"))["lead"]

    reopened = (await leads.move(lost, "Negotiation", reason="Budget found"))["lead"]

    assert reopened["status"] == "OPEN"
    assert reopened["lostReason"] is None
    assert reopened["closedAt"] is None
    assert reopened["stage"]["name"] == "Negotiation"


async def test_a_stale_move_is_a_conflict_and_the_lead_stays(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Raced")
    await leads.move(lead, "Contacted")

    stale = await leads.move(lead, "Qualified")  # still carries version 1

    assert [e["code"] for e in stale["errors"]] == ["CONFLICT"]
    current = await api.ok("query($id: ID!) { lead(id: $id) { stage { name } version } }", {"id": lead["id"]})
    assert current["lead"] == {"stage": {"name": "Contacted"}, "version": 2}


async def test_won_and_lost_are_stage_kinds_not_names(api: Api, leads: Leads) -> None:
    stages = await leads.stages()
    renamed = await api.ok(
        'mutation($id: ID!) { updateStage(input: {id: $id, name: "Gewonnen"}) { stage { name kind } errors { code } } }',
        {"id": stages["Won"]},
    )
    assert renamed["updateStage"]["stage"] == {"name": "Gewonnen", "kind": "WON"}
    lead = await leads.create(title="Translated")

    data = await api.ok(
        "mutation($id: ID!, $stage: ID!) { moveLead(input: {id: $id, version: 1, stageId: $stage}) "
        "{ lead { status stage { name } } errors { code } } }",
        {"id": lead["id"], "stage": stages["Won"]},
    )

    assert data["moveLead"]["lead"] == {"status": "WON", "stage": {"name": "Gewonnen"}}


async def test_moving_to_an_unknown_stage_is_a_payload_error(api: Api, leads: Leads) -> None:
    lead = await leads.create()

    data = await api.ok(
        'mutation($id: ID!) { moveLead(input: {id: $id, version: 1, stageId: "U3RhZ2U6OTk5"}) '
        "{ lead { id } errors { field code } } }",
        {"id": lead["id"]},
    )

    assert data["moveLead"]["errors"] == [{"field": "stageId", "code": "NOT_FOUND"}]
