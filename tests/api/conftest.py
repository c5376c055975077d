"""Helpers to set up leads through the public API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Api, sqlite_copy

LEAD_FIELDS = "id title value currency status version lostReason closedAt expectedCloseDate stage { id name kind }"


class Leads:
    """Given-steps for API tests: create and look up objects through GraphQL."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self._stages: dict[str, str] | None = None

    async def stages(self) -> dict[str, str]:
        """Stage name -> global id, for the default pipeline."""
        if self._stages is None:
            data = await self.api.ok("{ defaultPipeline { stages { id name } } }")
            self._stages = {s["name"]: s["id"] for s in data["defaultPipeline"]["stages"]}
        return self._stages

    async def create(self, **fields: Any) -> dict[str, Any]:
        data = await self.api.ok(
            f"mutation($input: CreateLeadInput!) {{ createLead(input: $input) {{ lead {{ {LEAD_FIELDS} }}"
            " errors { field code message } } }",
            {"input": {"title": "A lead", **fields}},
        )
        payload = data["createLead"]
        assert payload["errors"] == [], payload["errors"]
        lead: dict[str, Any] = payload["lead"]
        return lead

    async def in_stage(self, stage_name: str, **fields: Any) -> dict[str, Any]:
        stages = await self.stages()
        return await self.create(stageId=stages[stage_name], **fields)

    async def move(self, lead: dict[str, Any], stage_name: str, **extra: Any) -> dict[str, Any]:
        stages = await self.stages()
        data = await self.api.ok(
            f"mutation($input: MoveLeadInput!) {{ moveLead(input: $input) {{ lead {{ {LEAD_FIELDS} }}"
            " errors { field code message } } }",
            {"input": {"id": lead["id"], "version": lead["version"], "stageId": stages[stage_name], **extra}},
        )
        payload: dict[str, Any] = data["moveLead"]
        return payload

    async def update(self, **fields: Any) -> dict[str, Any]:
        data = await self.api.ok(
            f"mutation($input: UpdateLeadInput!) {{ updateLead(input: $input) {{ lead {{ {LEAD_FIELDS} }}"
            " errors { field code message } } }",
            {"input": fields},
        )
        payload: dict[str, Any] = data["updateLead"]
        return payload

    async def product(self, sku: str, price: str, currency: str = "USD", **fields: Any) -> dict[str, Any]:
        data = await self.api.ok(
            "mutation($input: CreateProductInput!) { createProduct(input: $input) {"
            " product { id sku listPrice currency } errors { field code message } } }",
            {"input": {"sku": sku, "name": f"Product {sku}", "listPrice": price, "currency": currency, **fields}},
        )
        assert data["createProduct"]["errors"] == []
        product: dict[str, Any] = data["createProduct"]["product"]
        return product

    async def tag(self, name: str, color: str = "#1e88e5") -> dict[str, Any]:
        data = await self.api.ok(
            "mutation($input: CreateTagInput!) { createTag(input: $input) { tag { id name color } errors { code } } }",
            {"input": {"name": name, "color": color}},
        )
        tag: dict[str, Any] = data["createTag"]["tag"]
        return tag


@pytest.fixture
def leads(api: Api) -> Leads:
    return Leads(api)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, migrated_template: Path, tmp_path: Path) -> str:
    """The API suite runs on both backends: SQLite (the default) and PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_copy(migrated_template, tmp_path)
    url: str = request.getfixturevalue("postgres_url")
    return url
