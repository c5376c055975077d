"""schemathesis fuzzes every query and mutation of the schema against the app under uvicorn.

A generated request may be nonsense, and the API may refuse it, but only in the ways it promises: a GraphQL error
with an `extensions.code` (BAD_USER_INPUT for an out-of-range `first` or a malformed global id...), or a payload
error. Never a 5xx, never an error without a code, never "Internal server error", and nothing unexpected in the
server's log. Derandomized, so a run is reproducible; about a minute on two cores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from backend.schema import schema as app_schema
from bench.generate import generate
from tests.protocol.live import admin_token, running

EXAMPLES_PER_OPERATION = 22
MIN_CASES = 1000


def _string_node(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return strategy.map(nodes.String)


# Our custom scalars: mostly well-formed values, some garbage to probe the error paths.
_text = st.text(max_size=12)
schemathesis.graphql.scalar(
    "Decimal",
    _string_node(
        st.one_of(
            st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9).map(str),
            st.sampled_from(["1e400", "-0", "NaN", "Infinity", "0.001", "12,5", "99999999999999999999.99"]),
            _text,
        )
    ),
)
schemathesis.graphql.scalar(
    "Date", _string_node(st.one_of(st.dates().map(lambda d: d.isoformat()), st.just("2026-02-30"), _text))
)
schemathesis.graphql.scalar(
    "DateTime",
    _string_node(
        st.one_of(
            st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
            st.datetimes().map(lambda d: d.isoformat()),  # naive: must be refused politely, or taken as UTC
            _text,
        )
    ),
)
schemathesis.graphql.scalar("JSON", _string_node(_text))


@dataclass
class Problem:
    operation: str
    what: str
    query: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.what}\n    {self.query[:600]}"


def _problems_of(operation: str, query: str, response: httpx.Response) -> list[Problem]:
    if response.status_code >= 500:
        return [Problem(operation, f"HTTP {response.status_code}: {response.text[:300]}", query)]
    try:
        body = response.json()
    except json.JSONDecodeError:
        return [Problem(operation, f"HTTP {response.status_code}, not JSON: {response.text[:300]}", query)]
    if not isinstance(body, dict) or not ({"data", "errors"} & set(body)):
        return [Problem(operation, f"not a GraphQL response: {str(body)[:300]}", query)]
    problems = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if not code:
            problems.append(Problem(operation, f"error without a code: {error}", query))
        elif code == "INTERNAL_SERVER_ERROR" or error.get("message") == "Internal server error":
            problems.append(Problem(operation, f"internal server error at {error.get('path')}", query))
    return problems


def _fuzz(operation: Any, client: httpx.Client, cases: dict[str, int], problems: list[Problem]) -> Any:
    """A hypothesis test over one operation's generated cases; problems are collected, not raised, so one run
    reports every kind of bad response at once."""
    label = operation.label

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run_case(case: Any) -> None:
        cases[label] = cases.get(label, 0) + 1
        query = case.body if isinstance(case.body, str) else case.body["query"]
        try:
            response = client.post("/graphql", json={"query": query})
        except httpx.TransportError as error:  # the server closed on us or is gone: never acceptable
            problems.append(Problem(label, f"transport error: {error!r}", query))
            return
        problems.extend(_problems_of(label, query, response))

    return run_case


def test_every_operation_survives_generated_input(tmp_path: Path) -> None:
    # given a database with some leads, contacts, products and timelines, served by uvicorn, and an admin's token
    database = tmp_path / "fuzz.db"
    generate(database, leads=60, seed=3)
    log = tmp_path / "uvicorn.log"
    token = admin_token(f"sqlite+aiosqlite:///{database}")  # signed in: every operation is reachable
    fuzz_schema = schemathesis.graphql.from_file(app_schema.as_str())
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    problems: list[Problem] = []
    cases: dict[str, int] = {}

    with (
        running(f"sqlite+aiosqlite:///{database}", log) as base,
        httpx.Client(base_url=base, timeout=30, headers={"authorization": f"Bearer {token}"}) as client,
    ):
        # when every query and mutation gets its generated cases
        for operation in operations:
            _fuzz(operation, client, cases, problems)()

    # then nothing failed in a way the API does not promise, and the server logged nothing unexpected
    print(f"fuzzed {len(operations)} operations with {sum(cases.values())} cases")
    unique = {(p.operation, p.what.split(":")[0]): p for p in problems}
    assert not unique, f"{len(problems)} bad responses, {len(unique)} kinds:\n" + "\n".join(map(str, unique.values()))
    server_log = log.read_text(errors="replace")
    assert "Traceback" not in server_log and "unexpected error" not in server_log, server_log[-4000:]
    assert len(operations) >= 30, [o.label for o in operations]  # every query and mutation, not a subset
    assert sum(cases.values()) >= MIN_CASES, cases
