"""Test data for the browser tests while `enterpristore seed-demo` is not available.

Users have no GraphQL mutation, so they go straight into the SQLite file; everything else is created through the
public GraphQL API, as a client would.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

USERS = [("Alice Martin", "alice@example.com"), ("Bob Chen", "bob@example.com"), ("Carla Diaz", "carla@example.com")]
TAGS = [("VIP", "#d946ef"), ("Hot", "#ef4444"), ("Enterprise", "#2563eb"), ("Renewal", "#16a34a")]
PRODUCTS = [
    ("CRM-SEAT", "CRM seat licence", "250.00", "SEAT"),
    ("ONBOARD", "Onboarding package", "1200.00", "UNIT"),
    ("SUPPORT", "Premium support", "99.00", "HOUR"),
]
ORGS = ["Acme Corp", "Globex", "Initech", "Umbrella", "Stark Industries", "Wayne Enterprises"]
PEOPLE = ["Dana Scully", "Fox Mulder", "Walter Skinner", "Monica Reyes", "John Doggett", "Jeffrey Spender"]


def insert_users(db_path: Path) -> None:
    now = datetime.now(UTC).isoformat(sep=" ")
    with sqlite3.connect(db_path) as conn:
        for name, email in USERS:
            conn.execute(
                "INSERT OR IGNORE INTO users (name, email, is_active, created_at, updated_at) VALUES (?, ?, 1, ?, ?)",
                (name, email, now, now),
            )


def gql(client: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": query, "variables": variables or {}}).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    for payload in data.values():
        if isinstance(payload, dict) and payload.get("errors"):
            raise AssertionError(f"{query}: {payload['errors']}")
    return data


def seed(base_url: str, db_path: Path, leads: int = 60, credentials: dict[str, str] | None = None) -> None:
    insert_users(db_path)
    rnd = random.Random(7)
    with httpx.Client(base_url=base_url, timeout=30) as c:
        if credentials and c.get("/auth/me").status_code == 401:
            assert c.post("/auth/sign-in", json=credentials).status_code == 200
        ref = gql(
            c,
            "{ users(first: 100) { edges { node { id } } } sources(first: 100) { edges { node { id } } }"
            " leadTypes(first: 100) { edges { node { id } } } defaultPipeline { stages { id kind } } }",
        )
        users = [e["node"]["id"] for e in ref["users"]["edges"]]
        sources = [e["node"]["id"] for e in ref["sources"]["edges"]]
        types = [e["node"]["id"] for e in ref["leadTypes"]["edges"]]
        open_stages = [s["id"] for s in ref["defaultPipeline"]["stages"] if s["kind"] == "OPEN"]
        tags = [
            gql(
                c,
                "mutation($i: CreateTagInput!) { createTag(input: $i) { tag { id } errors { field code message } } }",
                {"i": {"name": n, "color": col}},
            )["createTag"]["tag"]["id"]
            for n, col in TAGS
        ]
        for sku, name, price, unit in PRODUCTS:
            gql(
                c,
                "mutation($i: CreateProductInput!) { createProduct(input: $i) { errors { field code message } } }",
                {"i": {"sku": sku, "name": name, "listPrice": price, "unit": unit}},
            )
        orgs = [
            gql(
                c,
                "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } errors { field code message } } }",
                {"i": {"name": n, "industry": "Software"}},
            )["createOrganization"]["organization"]["id"]
            for n in ORGS
        ]
        persons = []
        for i, n in enumerate(PEOPLE):
            slug = n.split()[0].lower()
            # createPerson with emails/phones fails on this backend revision: create, then add them.
            pid = gql(
                c,
                "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } errors { field code message } } }",
                {"i": {"name": n, "jobTitle": "Head of Purchasing", "organizationId": orgs[i % len(orgs)]}},
            )["createPerson"]["person"]["id"]
            gql(
                c,
                "mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { errors { field code message } } }",
                {
                    "i": {
                        "id": pid,
                        "emails": [{"value": f"{slug}@example.com", "label": "work"}],
                        "phones": [{"value": f"+44 20 7946 09{50 + i}", "label": "mobile"}],
                    }
                },
            )
            persons.append(pid)
        today = date.today()
        for i in range(leads):
            gql(
                c,
                "mutation($i: CreateLeadInput!) { createLead(input: $i) { errors { field code message } } }",
                {
                    "i": {
                        "title": f"{rnd.choice(['CRM rollout', 'Support renewal', 'Seat expansion', 'Pilot'])} #{i + 1}",
                        "value": f"{rnd.randrange(5, 500) * 100}.00",
                        "stageId": open_stages[i % len(open_stages)],
                        "sourceId": rnd.choice(sources),
                        "leadTypeId": rnd.choice(types),
                        "salesPersonId": users[i % len(users)],
                        "contactPersonId": persons[i % len(persons)],
                        "expectedCloseDate": (today + timedelta(days=rnd.randrange(-20, 90))).isoformat(),
                        "tagIds": rnd.sample(tags, rnd.randrange(0, 3)),
                    }
                },
            )
