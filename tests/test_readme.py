"""The README's curl examples are what a newcomer types first: their bodies must be valid JSON, and the GraphQL
ones must run on the demo data exactly as written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from backend.demo.seed import seed_demo
from backend.settings import Settings
from tests.conftest import REPO, Api

SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
BODY = re.compile(r"-d '(\{.*?\})'(?:\s|$)", re.S)


def _bodies() -> list[dict[str, Any]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = SHELL_BLOCK.findall(readme)
    bodies = [body for block in blocks for body in BODY.findall(block)]
    assert len(bodies) >= 5, "the README's curl examples were not found"
    return [json.loads(body) for body in bodies]  # a line break inside a JSON string would fail right here


def test_every_curl_body_in_the_readme_is_json() -> None:
    assert all(isinstance(body, dict) for body in _bodies())


async def test_the_readme_queries_run_on_the_demo_data(api: Api, settings: Settings, tmp_path: Path) -> None:
    await seed_demo(settings, leads=3000, seed=42)
    queries = [body for body in _bodies() if "query" in body]

    answers = [await api.post(body["query"], body.get("variables")) for body in queries]

    for body, answer in zip(queries, answers, strict=True):
        assert "errors" not in answer, (body["query"][:60], answer.get("errors"))
    moved = next(a for a in answers if "moveLead" in a.get("data", {}))
    assert moved["data"]["moveLead"] == {"lead": {"stage": {"name": "Qualified"}, "version": 2}, "errors": []}
    detail = next(a for a in answers if "lead" in a.get("data", {}))
    assert detail["data"]["lead"]["status"] == "OPEN"
