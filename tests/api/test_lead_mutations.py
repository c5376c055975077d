"""Creating, editing and deleting leads: validation, partial updates, optimistic locking, the timeline."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.activities.models import Activity
from backend.leads.models import Lead
from tests.api.conftest import Leads
from tests.conftest import Api

TIMELINE = "query($id: ID!) { lead(id: $id) { timeline(first: 50) { totalCount edges { node { kind data } } } } }"


async def test_create_lead_defaults_to_the_first_stage_and_records_the_creation(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="  Acme – 50 seats  ", value="12500.50")

    assert lead["title"] == "Acme – 50 seats"
    assert lead["value"] == "12500.50"
    assert lead["stage"]["name"] == "New"
    assert lead["status"] == "OPEN"
    assert lead["version"] == 1
    timeline = (await api.ok(TIMELINE, {"id": lead["id"]}))["lead"]["timeline"]
    assert timeline["totalCount"] == 1
    assert timeline["edges"][0]["node"]["kind"] == "LEAD_CREATED"


async def test_create_lead_reports_every_invalid_field_and_writes_nothing(api: Api) -> None:
    data = await api.ok(
        """mutation { createLead(input: {title: " ", value: "-5", currency: "dollars", score: 140,
             salesPersonId: "VXNlcjo5OTk"}) { lead { id } errors { field code message } } }"""
    )

    errors = {(e["field"], e["code"]) for e in data["createLead"]["errors"]}
    assert errors == {
        ("title", "BAD_USER_INPUT"),
        ("value", "BAD_USER_INPUT"),
        ("currency", "BAD_USER_INPUT"),
        ("score", "BAD_USER_INPUT"),
        ("salesPersonId", "NOT_FOUND"),
    }
    assert data["createLead"]["lead"] is None
    async with api.session_factory() as session:
        assert (await session.execute(select(func.count()).select_from(Lead))).scalar_one() == 0
        assert (await session.execute(select(func.count()).select_from(Activity))).scalar_one() == 0


async def test_money_keeps_every_cent_and_refuses_fractions_of_one(api: Api, leads: Leads) -> None:
    lead = await leads.create(value="0.10")
    again = await leads.create(value="9999999999999.99")
    refused = await api.ok('mutation { createLead(input: {title: "x", value: "10.005"}) { errors { field code } } }')

    assert lead["value"] == "0.10"
    assert again["value"] == "9999999999999.99"
    assert refused["createLead"]["errors"] == [{"field": "value", "code": "BAD_USER_INPUT"}]


async def test_update_changes_only_the_fields_sent_and_null_clears(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Original", value="100.00", description="keep me", expectedCloseDate="2027-01-31")

    payload = await leads.update(id=lead["id"], version=1, value=None, expectedCloseDate="2027-02-28")

    assert payload["errors"] == []
    updated = payload["lead"]
    assert updated["title"] == "Original"
    assert updated["value"] is None
    assert updated["expectedCloseDate"] == "2027-02-28"
    assert updated["version"] == 2
    detail = await api.ok("query($id: ID!) { lead(id: $id) { description } }", {"id": lead["id"]})
    assert detail["lead"]["description"] == "keep me"


async def test_null_for_a_required_field_is_bad_user_input(leads: Leads) -> None:
    lead = await leads.create(title="Must keep a title")

    payload = await leads.update(id=lead["id"], version=1, title=None)

    assert payload["lead"] is None
    assert payload["errors"] == [
        {"field": "title", "code": "BAD_USER_INPUT", "message": "title is required and cannot be cleared"}
    ]


async def test_a_stale_version_is_a_conflict_and_changes_nothing(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Contested", value="10.00")
    first = await leads.update(id=lead["id"], version=1, value="20.00")
    assert first["errors"] == []

    stale = await leads.update(id=lead["id"], version=1, value="30.00", title="Overwritten")

    assert stale["lead"] is None
    assert [e["code"] for e in stale["errors"]] == ["CONFLICT"]
    assert stale["errors"][0]["field"] == "version"
    current = await api.ok("query($id: ID!) { lead(id: $id) { title value version } }", {"id": lead["id"]})
    assert current["lead"] == {"title": "Contested", "value": "20.00", "version": 2}


async def test_field_changes_are_recorded_with_old_and_new_values(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Before", value="1.00")
    tag = await leads.tag("vip")

    await leads.update(id=lead["id"], version=1, title="After", value="2.50", tagIds=[tag["id"]])

    edges = (await api.ok(TIMELINE, {"id": lead["id"]}))["lead"]["timeline"]["edges"]
    assert edges[0]["node"]["kind"] == "FIELDS_CHANGED"
    changes = {c["field"]: (c["old"], c["new"]) for c in edges[0]["node"]["data"]["changes"]}
    assert changes == {"title": ("Before", "After"), "value": ("1.00", "2.50"), "tags": ([], ["vip"])}


async def test_an_update_that_changes_nothing_keeps_the_version(leads: Leads) -> None:
    lead = await leads.create(title="Same", value="5.00")

    payload = await leads.update(id=lead["id"], version=1, title="Same", value="5.00")

    assert payload["lead"]["version"] == 1


async def test_delete_lead_removes_it_and_its_timeline(api: Api, leads: Leads) -> None:
    lead = await leads.create(title="Goner")

    data = await api.ok(
        "mutation($id: ID!) { deleteLead(input: {id: $id}) { deletedId errors { code } } }", {"id": lead["id"]}
    )
    again = await api.ok(
        "mutation($id: ID!) { deleteLead(input: {id: $id}) { deletedId errors { field code } } }", {"id": lead["id"]}
    )

    assert data["deleteLead"] == {"deletedId": lead["id"], "errors": []}
    assert again["deleteLead"] == {"deletedId": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
    assert (await api.ok("query($id: ID!) { lead(id: $id) { id } }", {"id": lead["id"]}))["lead"] is None
    async with api.session_factory() as session:
        assert (await session.execute(select(func.count()).select_from(Activity))).scalar_one() == 0


async def test_contact_person_brings_their_organization(api: Api, leads: Leads) -> None:
    org = await api.ok(
        'mutation { createOrganization(input: {name: "Initech", industry: "Software"}) { organization { id } } }'
    )
    org_id = org["createOrganization"]["organization"]["id"]
    person = await api.ok(
        'mutation($org: ID!) { createPerson(input: {name: "Peter Gibbons", organizationId: $org}) { person { id } } }',
        {"org": org_id},
    )
    person_id = person["createPerson"]["person"]["id"]

    lead = await leads.create(title="TPS reports", contactPersonId=person_id)

    detail = await api.ok(
        "query($id: ID!) { lead(id: $id) { contactPerson { name organization { name } } organization { name } } }",
        {"id": lead["id"]},
    )
    assert detail["lead"] == {
        "contactPerson": {"name": "Peter Gibbons", "organization": {"name": "Initech"}},
        "organization": {"name": "Initech"},
    }
    leads_of_person = await api.ok(
        "query($id: ID!) { person(id: $id) { leads { totalCount edges { node { title } } } } }", {"id": person_id}
    )
    assert leads_of_person["person"]["leads"] == {"totalCount": 1, "edges": [{"node": {"title": "TPS reports"}}]}


async def test_a_global_id_of_the_wrong_type_is_a_payload_error(api: Api, leads: Leads) -> None:
    lead = await leads.create()

    data = await api.ok(
        'mutation($id: ID!) { createLead(input: {title: "x", salesPersonId: $id}) { errors { field code } } }',
        {"id": lead["id"]},
    )

    assert data["createLead"]["errors"] == [{"field": "salesPersonId", "code": "BAD_USER_INPUT"}]
