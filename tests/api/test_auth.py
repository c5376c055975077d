"""Sign-in, sessions, API tokens, and who sees which leads: every request authorised."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from backend.auth.http import COOKIE
from backend.auth.models import ApiToken
from backend.auth.service import create_user, start_session
from backend.db import utcnow, write_transaction
from tests.conftest import Api

ME = "{ me { user { name } role permissions leadVisibility via scopes } }"
LEADS = "{ leads(first: 100) { totalCount edges { node { title } } } }"


async def _user_with_password(api: Api, email: str = "rep@example.com", role: str = "sales_rep") -> None:
    async with write_transaction(api.session_factory) as session:
        await create_user(session, "Rita Rep", email, "correct horse battery", role)


async def test_anonymous_requests_are_refused_except_health(anonymous_api: Api) -> None:
    graphql = await anonymous_api.client.post("/graphql", json={"query": "{ __typename }"})
    introspection = await anonymous_api.client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    health = await anonymous_api.client.get("/healthz")

    assert graphql.status_code == 401
    assert graphql.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert graphql.headers["www-authenticate"].startswith("Bearer")
    assert introspection.status_code == 401
    assert health.status_code == 200


async def test_sign_in_sets_an_http_only_same_site_cookie_and_sign_out_ends_it(anonymous_api: Api) -> None:
    api = anonymous_api
    await _user_with_password(api)

    wrong = await api.client.post("/auth/sign-in", json={"email": "rep@example.com", "password": "nope"})
    right = await api.client.post(
        "/auth/sign-in", json={"email": "REP@example.com", "password": "correct horse battery"}
    )

    assert wrong.status_code == 401
    assert right.status_code == 200
    cookie = right.headers["set-cookie"]
    assert f"{COOKIE}=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on localhost
    me = (await api.ok(ME))["me"]
    assert me == {
        "user": {"name": "Rita Rep"},
        "role": "Sales rep",
        "permissions": ["leads.create", "leads.edit", "leads.view"],
        "leadVisibility": "OWN",
        "via": "session",
        "scopes": ["read", "write"],
    }
    secret = api.client.cookies[COOKIE]

    out = await api.client.post("/auth/sign-out")

    assert out.status_code == 200
    api.client.cookies.set(COOKIE, secret)  # a stolen copy of the cookie no longer works either
    assert (await api.client.post("/graphql", json={"query": ME})).status_code == 401


async def test_the_cookie_is_secure_outside_localhost(anonymous_api: Api) -> None:
    await _user_with_password(anonymous_api)

    response = await anonymous_api.client.post(
        "https://crm.example.com/auth/sign-in", json={"email": "rep@example.com", "password": "correct horse battery"}
    )

    assert "Secure" in response.headers["set-cookie"]


async def test_repeated_failed_sign_ins_are_slowed_down(anonymous_api: Api) -> None:
    await _user_with_password(anonymous_api)
    attempts = [
        await anonymous_api.client.post("/auth/sign-in", json={"email": "rep@example.com", "password": f"guess {i}"})
        for i in range(6)
    ]

    right_but_late = await anonymous_api.client.post(
        "/auth/sign-in", json={"email": "rep@example.com", "password": "correct horse battery"}
    )

    assert [a.status_code for a in attempts] == [401] * 5 + [429]
    assert attempts[5].json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert 800 < int(attempts[5].headers["retry-after"]) <= 901
    assert right_but_late.status_code == 429


async def test_a_cross_site_form_cannot_post(api: Api) -> None:
    form_graphql = await api.client.post(
        "/graphql",
        content='query=mutation{createTag(input:{name:"x"}){tag{id}}}',
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    form_sign_in = await api.client.post(
        "/auth/sign-in", content="email=a&password=b", headers={"content-type": "application/x-www-form-urlencoded"}
    )

    assert form_graphql.status_code in (400, 415)
    assert form_sign_in.status_code == 415
    assert (await api.ok("{ tags { totalCount } }"))["tags"]["totalCount"] == 0


async def test_get_never_runs_a_mutation(api: Api) -> None:
    response = await api.client.get(
        "/graphql", params={"query": 'mutation { createTag(input: {name: "x"}) { tag { id } } }'}
    )

    assert response.status_code in (400, 405)
    assert (await api.ok("{ tags { totalCount } }"))["tags"]["totalCount"] == 0


CREATE_TOKEN = """mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  token apiToken { id name prefix scopes expiresAt } errors { field code message } } }"""


async def _token(api: Api, scopes: list[str], **extra: Any) -> dict[str, Any]:
    data = await api.ok(CREATE_TOKEN, {"input": {"name": "partner sync", "scopes": scopes, **extra}})
    payload: dict[str, Any] = data["createApiToken"]
    return payload


async def _as_token(api: Api, token: str, query: str) -> Any:
    response = await api.client.post("/graphql", json={"query": query}, headers={"authorization": f"Bearer {token}"})
    return response


async def test_api_tokens_are_shown_once_and_act_within_their_scopes(api: Api) -> None:
    read = await _token(api, ["read"])
    write = await _token(api, ["read", "write"], expiresInDays=None)
    api.client.cookies.clear()

    query = await _as_token(api, read["token"], "{ me { via scopes } leads { totalCount } }")
    refused = await _as_token(
        api, read["token"], 'mutation { createTag(input: {name: "x"}) { tag { id } errors { code message } } }'
    )
    accepted = await _as_token(
        api, write["token"], 'mutation { createTag(input: {name: "y"}) { tag { name } errors { code } } }'
    )
    mint = await _as_token(
        api, write["token"], 'mutation { createApiToken(input: {name: "more"}) { token errors { code } } }'
    )

    assert read["token"].startswith("esk_") and read["apiToken"]["prefix"] == read["token"][:12]
    assert read["apiToken"]["expiresAt"] is not None and write["apiToken"]["expiresAt"] is None
    assert query.json()["data"] == {"me": {"via": "token", "scopes": ["read"]}, "leads": {"totalCount": 0}}
    assert refused.json()["data"]["createTag"]["errors"][0]["code"] == "FORBIDDEN"
    assert accepted.json()["data"]["createTag"] == {"tag": {"name": "y"}, "errors": []}
    assert mint.json()["data"]["createApiToken"] == {"token": None, "errors": [{"code": "FORBIDDEN"}]}


async def test_revoked_and_expired_tokens_stop_at_once(api: Api) -> None:
    revoked = await _token(api, ["read"])
    expired = await _token(api, ["read"])
    await api.ok(
        "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { apiToken { revokedAt } errors { code } } }",
        {"id": revoked["apiToken"]["id"]},
    )
    async with write_transaction(api.session_factory) as session:
        await session.execute(
            update(ApiToken)
            .where(ApiToken.name == "partner sync", ApiToken.revoked_at.is_(None))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    listed = await api.ok("{ apiTokens { name prefix revokedAt lastUsedAt } }")
    api.client.cookies.clear()

    assert (await _as_token(api, revoked["token"], "{ leads { totalCount } }")).status_code == 401
    assert (await _as_token(api, expired["token"], "{ leads { totalCount } }")).status_code == 401
    assert (await _as_token(api, "esk_made_up", "{ leads { totalCount } }")).status_code == 401
    assert len(listed["apiTokens"]) == 2
    assert "token" not in str(listed).replace("apiTokens", "")


async def test_a_token_records_when_it_was_last_used(api: Api) -> None:
    token = await _token(api, ["read"])
    secret = api.client.cookies[COOKIE]
    api.client.cookies.clear()

    await _as_token(api, token["token"], "{ leads { totalCount } }")

    api.client.cookies.set(COOKIE, secret)
    listed = await api.ok("{ apiTokens { lastUsedAt } }")
    assert listed["apiTokens"][0]["lastUsedAt"] is not None


# --- who sees which leads ------------------------------------------------------------------------------------


async def _given_a_sales_team(api: Api) -> dict[str, Any]:
    """North: manager Mia and rep Ann; South: rep Bob; plus an analyst and the admin (api's own user)."""
    secrets: dict[str, str] = {"admin": api.client.cookies[COOKIE]}
    ids: dict[str, int] = {}
    async with write_transaction(api.session_factory) as session:
        for key, name, role, teams in [
            ("mia", "Mia Manager", "sales_manager", ("North",)),
            ("ann", "Ann Rep", "sales_rep", ("North",)),
            ("bob", "Bob Rep", "sales_rep", ("South",)),
            ("ana", "Ana Analyst", "analyst", ()),
        ]:
            user = await create_user(session, name, f"{key}@example.com", None, role, teams)
            secrets[key] = await start_session(session, user, "pytest")
            ids[key] = user.id
    users = {
        e["node"]["name"]: e["node"]["id"]
        for e in (await api.ok("{ users { edges { node { id name } } } }"))["users"]["edges"]
    }
    person = (await api.ok('mutation { createPerson(input: {name: "Pat Prospect"}) { person { id } } }'))[
        "createPerson"
    ]["person"]["id"]
    leads: dict[str, str] = {}
    for title, owner in [
        ("Ann 1", "Ann Rep"),
        ("Ann 2", "Ann Rep"),
        ("Bob 1", "Bob Rep"),
        ("Mia 1", "Mia Manager"),
        ("Nobody", None),
    ]:
        data = await api.ok(
            "mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } errors { code } } }",
            {
                "input": {
                    "title": title,
                    "value": "100.00",
                    "contactPersonId": person,
                    "salesPersonId": users[owner] if owner else None,
                }
            },
        )
        leads[title] = data["createLead"]["lead"]["id"]
    return {"secrets": secrets, "leads": leads, "users": users, "person": person}


VISIBLE = {
    "admin": ["Ann 1", "Ann 2", "Bob 1", "Mia 1", "Nobody"],
    "ana": ["Ann 1", "Ann 2", "Bob 1", "Mia 1", "Nobody"],
    "mia": ["Ann 1", "Ann 2", "Mia 1"],
    "ann": ["Ann 1", "Ann 2"],
    "bob": ["Bob 1"],
}


@pytest.mark.parametrize("who", list(VISIBLE))
async def test_each_role_sees_exactly_its_leads_everywhere(api: Api, who: str) -> None:
    team = await _given_a_sales_team(api)
    api.client.cookies.set(COOKIE, team["secrets"][who])
    expected = VISIBLE[who]

    listed = await api.ok(LEADS)
    board = await api.ok("{ defaultPipeline { stages { leads { totalCount totalValue } } } }")
    aggregate = await api.ok("{ leadAggregate(groupBy: [SALES_PERSON]) { total { count sum } } }")
    searched = await api.ok('{ leads(filter: {search: "1"}) { totalCount } }')
    person = await api.ok("query($id: ID!) { person(id: $id) { leads { totalCount } } }", {"id": team["person"]})
    by_id = {
        t: await api.ok("query($id: ID!) { lead(id: $id) { title } node(id: $id) { id } }", {"id": i})
        for t, i in team["leads"].items()
    }

    assert sorted(e["node"]["title"] for e in listed["leads"]["edges"]) == expected
    assert listed["leads"]["totalCount"] == len(expected)
    assert sum(s["leads"]["totalCount"] for s in board["defaultPipeline"]["stages"]) == len(expected)
    assert aggregate["leadAggregate"]["total"] == {"count": len(expected), "sum": f"{100 * len(expected)}.00"}
    assert searched["leads"]["totalCount"] == len([t for t in expected if "1" in t])
    assert person["person"]["leads"]["totalCount"] == len(expected)
    assert sorted(t for t, d in by_id.items() if d["lead"] is not None) == expected
    assert sorted(t for t, d in by_id.items() if d["node"] is not None) == expected


MUTATIONS = {
    "update": 'mutation($id: ID!) { updateLead(input: {id: $id, version: 1, title: "Mine now"}) { lead { title } errors { field code } } }',
    "move": "mutation($id: ID!, $stage: ID!) { moveLead(input: {id: $id, version: 1, stageId: $stage}) { lead { title } errors { field code } } }",
    "delete": "mutation($id: ID!) { deleteLead(input: {id: $id}) { deletedId errors { field code } } }",
    "note": 'mutation($id: ID!) { addActivity(input: {leadId: $id, body: "hello"}) { activity { id } errors { field code } } }',
}
# (who, lead, mutation) -> the error code, or None where it is allowed.
EXPECTED = [
    ("ann", "Bob 1", "update", "NOT_FOUND"),
    ("ann", "Bob 1", "move", "NOT_FOUND"),
    ("ann", "Bob 1", "note", "NOT_FOUND"),
    ("ann", "Ann 1", "update", None),
    ("ann", "Ann 1", "move", None),
    ("ann", "Ann 1", "delete", "FORBIDDEN"),
    ("mia", "Ann 1", "update", None),
    ("mia", "Ann 1", "delete", None),
    ("mia", "Bob 1", "delete", "NOT_FOUND"),
    ("ana", "Ann 1", "update", "FORBIDDEN"),
    ("ana", "Ann 1", "note", "FORBIDDEN"),
    ("admin", "Bob 1", "delete", None),
]


@pytest.mark.parametrize(("who", "title", "mutation", "code"), EXPECTED)
async def test_each_mutation_checks_permission_and_visibility(
    api: Api, who: str, title: str, mutation: str, code: str | None
) -> None:
    team = await _given_a_sales_team(api)
    stage = (await api.ok("{ defaultPipeline { stages { id } } }"))["defaultPipeline"]["stages"][2]["id"]
    api.client.cookies.set(COOKIE, team["secrets"][who])

    data = await api.ok(
        MUTATIONS[mutation],
        {"id": team["leads"][title], "stage": stage} if mutation == "move" else {"id": team["leads"][title]},
    )

    payload = next(iter(data.values()))
    assert [e["code"] for e in payload["errors"]] == ([code] if code else [])


async def test_reps_may_only_give_leads_to_users_they_see(api: Api) -> None:
    team = await _given_a_sales_team(api)
    api.client.cookies.set(COOKIE, team["secrets"]["ann"])

    own = await api.ok(
        'mutation { createLead(input: {title: "Self"}) { lead { salesPerson { name } } errors { code } } }'
    )
    other = await api.ok(
        'mutation($u: ID!) { createLead(input: {title: "Gift", salesPersonId: $u}) { lead { id } errors { field code } } }',
        {"u": team["users"]["Bob Rep"]},
    )
    picker = await api.ok("{ users(assignableOnly: true) { edges { node { name } } } }")

    assert own["createLead"] == {"lead": {"salesPerson": {"name": "Ann Rep"}}, "errors": []}
    assert other["createLead"]["errors"] == [{"field": "salesPersonId", "code": "FORBIDDEN"}]
    assert [e["node"]["name"] for e in picker["users"]["edges"]] == ["Ann Rep"]


async def test_every_change_records_who_made_it(api: Api) -> None:
    team = await _given_a_sales_team(api)
    api.client.cookies.set(COOKIE, team["secrets"]["ann"])
    await api.ok(
        'mutation($id: ID!) { updateLead(input: {id: $id, version: 1, title: "Renamed"}) { errors { code } } }',
        {"id": team["leads"]["Ann 1"]},
    )

    data = await api.ok(
        "query($id: ID!) { lead(id: $id) { timeline { edges { node { kind actor { name } } } } } }",
        {"id": team["leads"]["Ann 1"]},
    )

    kinds = [(e["node"]["kind"], e["node"]["actor"]["name"]) for e in data["lead"]["timeline"]["edges"]]
    assert kinds == [("FIELDS_CHANGED", "Ann Rep"), ("LEAD_CREATED", "Admin User")]


async def test_the_rate_limit_answers_rate_limited_with_retry_after(settings: Any) -> None:
    import dataclasses

    import httpx

    from backend.app import create_app
    from tests.conftest import StatementCounter, sign_in_as

    app = create_app(dataclasses.replace(settings, rate_limit_per_minute=3))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            api = Api(client=client, app=app, sql=StatementCounter())
            await sign_in_as(api, "Busy Bee")
            answers = [await client.post("/graphql", json={"query": "{ tags { totalCount } }"}) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[3].json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= int(answers[3].headers["retry-after"]) <= 60


async def test_a_custom_role_gives_exactly_its_permissions(api: Api) -> None:
    role = await api.ok(
        'mutation { createRole(input: {name: "Closer", permissions: [VIEW_LEADS, EDIT_LEADS], '
        "leadVisibility: ALL}) { role { id code permissions leadVisibility } errors { field code } } }"
    )
    role_id = role["createRole"]["role"]["id"]
    user = await api.ok(
        'mutation($r: ID!) { createUser(input: {name: "Cleo Closer", email: "cleo@example.com", '
        'password: "long enough password", roleId: $r, teams: ["North"]}) '
        "{ user { id name role { name } teams { name } } errors { field code } } }",
        {"r": role_id},
    )
    await api.ok('mutation { createLead(input: {title: "Somebody else\'s"}) { errors { code } } }')
    api.client.cookies.clear()
    signed = await api.client.post(
        "/auth/sign-in", json={"email": "cleo@example.com", "password": "long enough password"}
    )

    edit = await api.ok("{ leads { totalCount edges { node { id version } } } }")
    lead = edit["leads"]["edges"][0]["node"]
    renamed = await api.ok(
        'mutation($id: ID!) { updateLead(input: {id: $id, version: 1, title: "Closing"}) { errors { code } } }',
        {"id": lead["id"]},
    )
    created = await api.ok('mutation { createLead(input: {title: "New"}) { errors { code } } }')

    assert role["createRole"]["role"]["code"] is None
    assert role["createRole"]["role"]["permissions"] == ["leads.edit", "leads.view"]
    assert user["createUser"]["user"]["role"] == {"name": "Closer"}
    assert user["createUser"]["user"]["teams"] == [{"name": "North"}]
    assert signed.status_code == 200
    assert edit["leads"]["totalCount"] == 1
    assert renamed["updateLead"]["errors"] == []
    assert created["createLead"]["errors"] == [{"code": "FORBIDDEN"}]


async def test_deactivating_a_user_signs_them_out_and_stops_their_tokens(api: Api) -> None:
    people = await _given_a_sales_team(api)
    admin = api.client.cookies[COOKIE]
    api.client.cookies.set(COOKIE, people["secrets"]["bob"])
    token = (await _token(api, ["read"]))["token"]
    api.client.cookies.set(COOKIE, admin)

    await api.ok(
        "mutation($id: ID!) { updateUser(input: {id: $id, isActive: false}) { user { isActive } errors { code } } }",
        {"id": people["users"]["Bob Rep"]},
    )

    api.client.cookies.set(COOKIE, people["secrets"]["bob"])
    assert (await api.client.post("/graphql", json={"query": ME})).status_code == 401
    api.client.cookies.clear()
    assert (await _as_token(api, token, "{ leads { totalCount } }")).status_code == 401


async def test_only_user_managers_administer(api: Api) -> None:
    people = await _given_a_sales_team(api)
    api.client.cookies.set(COOKIE, people["secrets"]["mia"])

    data = await api.ok(
        'mutation { createRole(input: {name: "Sneaky", permissions: [MANAGE_USERS]}) { errors { code } } }'
    )

    assert data["createRole"]["errors"] == [{"code": "FORBIDDEN"}]
