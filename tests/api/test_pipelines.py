"""Pipelines and stages: the default pipeline, creating custom ones, editing stages safely."""

from __future__ import annotations

from tests.api.conftest import Leads
from tests.conftest import Api

CREATE = """mutation($input: CreatePipelineInput!) { createPipeline(input: $input) {
  pipeline { id name rottingDays isDefault stages { code name position probability kind } } errors { field code message } } }"""


async def test_the_default_pipeline_comes_with_the_migrations(api: Api) -> None:
    data = await api.ok("{ defaultPipeline { name isDefault stages { name probability kind } } }")

    assert data["defaultPipeline"]["isDefault"] is True
    assert [(s["name"], s["probability"], s["kind"]) for s in data["defaultPipeline"]["stages"]] == [
        ("New", 10, "OPEN"),
        ("Contacted", 20, "OPEN"),
        ("Qualified", 40, "OPEN"),
        ("Presentation/Demo", 60, "OPEN"),
        ("Negotiation", 80, "OPEN"),
        ("Won", 100, "WON"),
        ("Lost", 0, "LOST"),
    ]


async def test_a_custom_pipeline_keeps_its_stage_order(api: Api) -> None:
    stages = [
        {"name": "Inbound", "probability": 5},
        {"name": "Trial", "probability": 50, "expectedDays": 14},
        {"name": "Signed", "probability": 100, "kind": "WON"},
        {"name": "Churned", "probability": 0, "kind": "LOST"},
    ]

    data = await api.ok(CREATE, {"input": {"name": "Self-serve", "rottingDays": 10, "stages": stages}})

    pipeline = data["createPipeline"]["pipeline"]
    assert data["createPipeline"]["errors"] == []
    assert pipeline["rottingDays"] == 10
    assert [(s["code"], s["position"]) for s in pipeline["stages"]] == [
        ("inbound", 0),
        ("trial", 1),
        ("signed", 2),
        ("churned", 3),
    ]
    pipelines = await api.ok("{ pipelines { totalCount edges { node { name isDefault } } } }")
    assert pipelines["pipelines"]["totalCount"] == 2


async def test_a_pipeline_needs_open_won_and_lost_stages(api: Api) -> None:
    data = await api.ok(CREATE, {"input": {"name": "Broken", "stages": [{"name": "Only", "probability": 200}]}})

    errors = {(e["field"], e["code"]) for e in data["createPipeline"]["errors"]}
    assert errors == {("stages[0].probability", "BAD_USER_INPUT"), ("stages", "BAD_USER_INPUT")}


async def test_stages_can_be_added_and_reordered(api: Api) -> None:
    pipeline = (await api.ok("{ defaultPipeline { id } }"))["defaultPipeline"]["id"]
    created = await api.ok(
        'mutation($p: ID!) { createStage(input: {pipelineId: $p, name: "Proposal sent", probability: 70}) '
        "{ stage { id code position } errors { field code } } }",
        {"p": pipeline},
    )
    stage = created["createStage"]["stage"]
    assert stage["code"] == "proposal_sent"
    assert stage["position"] == 5  # after the last open stage, before Won and Lost

    await api.ok(
        "mutation($id: ID!) { updateStage(input: {id: $id, position: 0}) { errors { code } } }", {"id": stage["id"]}
    )

    names = [s["name"] for s in (await api.ok("{ defaultPipeline { stages { name } } }"))["defaultPipeline"]["stages"]]
    assert names == [
        "Proposal sent",
        "New",
        "Contacted",
        "Qualified",
        "Presentation/Demo",
        "Negotiation",
        "Won",
        "Lost",
    ]


async def test_a_stage_with_leads_cannot_be_deleted_or_change_kind(api: Api, leads: Leads) -> None:
    await leads.in_stage("Qualified", title="Sitting here")
    stages = await leads.stages()

    deleted = await api.ok(
        "mutation($id: ID!) { deleteStage(input: {id: $id}) { deletedId errors { field code message } } }",
        {"id": stages["Qualified"]},
    )
    rekinded = await api.ok(
        "mutation($id: ID!) { updateStage(input: {id: $id, kind: WON}) { errors { field code } } }",
        {"id": stages["Qualified"]},
    )
    empty = await api.ok(
        "mutation($id: ID!) { deleteStage(input: {id: $id}) { deletedId errors { code } } }",
        {"id": stages["Contacted"]},
    )

    assert deleted["deleteStage"]["deletedId"] is None
    assert deleted["deleteStage"]["errors"][0]["message"].startswith("1 leads are in this stage")
    assert rekinded["updateStage"]["errors"] == [{"field": "kind", "code": "BAD_USER_INPUT"}]
    assert empty["deleteStage"] == {"deletedId": stages["Contacted"], "errors": []}
