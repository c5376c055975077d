"""Runs the scenarios against the app under uvicorn: GraphQL and the plain SQL baseline, same run, same database.

For each scenario: both sides must return the same JSON (checked first), then requests alternate between the
two sides one at a time (latency, not throughput), and one more GraphQL request is captured to replay its exact
SQL on the raw driver. A load run then puts 50 concurrent clients on the board and the list.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from graphql import build_schema, execute, parse

from bench.scenarios import BOARD, DETAIL, LIST, Scenario, scenarios

REPO = Path(__file__).resolve().parent.parent
SDL = REPO / "schema.graphql"


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    headers: dict[str, str]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def bench_token(database_url: str) -> str | None:
    """An administrator's API token (created once per database): GraphQL answers anonymous requests with 401."""
    try:
        from backend.auth.service import create_token, create_user
    except ImportError:  # a checkout from before sign-in existed
        return None
    from sqlalchemy import select

    from backend.auth.models import User
    from backend.db import create_engine, create_session_factory, write_transaction
    from backend.settings import Settings

    async def create() -> str:
        engine = create_engine(Settings(database_url=database_url))
        try:
            async with write_transaction(create_session_factory(engine)) as session:
                email = "bench.admin@example.com"
                user = await session.scalar(select(User).where(User.email == email))
                if user is None:
                    user = await create_user(session, "Bench Admin", email, None, "administrator", ())
                _, secret = await create_token(session, user.id, "bench", ["read", "write"], None)
                return secret
        finally:
            await engine.dispose()

    return asyncio.run(create())


def start_server(db_path: Path, workers: int = 1) -> Server:
    port = free_port()
    database_url = f"sqlite+aiosqlite:///{db_path.resolve()}"
    token = bench_token(database_url)
    headers = {"authorization": f"Bearer {token}"} if token else {}
    # Latency and load runs are bursts by design: no rate limit.
    env = {**os.environ, "DATABASE_URL": database_url, "ENTERPRISTORE_RATE_LIMIT_PER_MINUTE": str(10**9)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "bench.server:create_bench_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += ["--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(command, cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return Server(process, base, headers)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("uvicorn did not start within 60 s")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def count_fields(value: Any) -> int:
    """Resolved fields in a response: every key of every object (a list's items each count)."""
    if isinstance(value, dict):
        return sum(1 + count_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_fields(v) for v in value)
    return 0


def first_difference(a: Any, b: Any, path: str = "data") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: only on the {'baseline' if key in b else 'GraphQL'} side"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items in GraphQL, {len(b)} in the baseline"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: GraphQL {a!r} != baseline {b!r}"


class Sides:
    def __init__(self, server: Server, scenario: Scenario) -> None:
        headers = {"accept": "application/json", **server.headers}
        self.client = httpx.Client(base_url=server.base, timeout=120, headers=headers)
        self.scenario = scenario
        self.payload = {"query": scenario.query, "variables": scenario.variables}

    def graphql(self, capture: bool = False) -> tuple[float, dict[str, Any], httpx.Response]:
        headers = {"x-bench-capture": "1"} if capture else {}
        started = time.perf_counter()
        response = self.client.post("/graphql", json=self.payload, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, json.loads(response.headers["x-bench"]), response

    def baseline(self) -> tuple[float, dict[str, Any], httpx.Response]:
        started = time.perf_counter()
        response = self.client.get(self.scenario.baseline_path, params=self.scenario.baseline_params)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, json.loads(response.headers["x-bench"]), response


def replay_sql(db_path: Path, statements: list[list[Any]], rounds: int = 15) -> float:
    """The captured statements run on the stdlib sqlite3 driver, synchronously: the engine's own time, in ms."""
    db = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True)
    try:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            for sql, params in statements:
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):  # the sign-in gate also writes
                    db.execute(sql, params or ()).fetchall()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)
    finally:
        db.close()


_FLOOR_SCHEMA: Any = None


def graphql_core_floor(query: str, variables: dict[str, Any], data: dict[str, Any], rounds: int = 30) -> float:
    """Stock graphql-core executing the same document over the finished response held in memory (default
    resolvers, no database, no DataLoaders, no async): the framework's own cost, in ms."""
    global _FLOOR_SCHEMA
    if _FLOOR_SCHEMA is None:
        _FLOOR_SCHEMA = build_schema(SDL.read_text())
    document = parse(query)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = execute(_FLOOR_SCHEMA, document, root_value=data, variable_values=variables)
        times.append((time.perf_counter() - started) * 1000)
        assert not result.errors, result.errors  # type: ignore[union-attr]
    return statistics.median(times)


def run_scenario(server: Server, db_path: Path, scenario: Scenario, requests: int, budget_s: float) -> dict[str, Any]:
    sides = Sides(server, scenario)
    _, _, graphql_response = sides.graphql()
    _, _, baseline_response = sides.baseline()
    graphql_body, baseline_body = graphql_response.json(), baseline_response.json()
    assert "errors" not in graphql_body, graphql_body["errors"]
    difference = first_difference(graphql_body["data"], baseline_body["data"])
    for _ in range(5):  # warm both sides: connection pool, caches, SQLite's page cache
        sides.graphql()
        sides.baseline()
    samples: dict[str, list[float]] = {"graphql": [], "baseline": []}
    stats: dict[str, list[dict[str, Any]]] = {"graphql": [], "baseline": []}
    deadline = time.monotonic() + budget_s
    while len(samples["graphql"]) < requests and (time.monotonic() < deadline or len(samples["graphql"]) < 10):
        for side in ("graphql", "baseline"):
            elapsed, report, _ = getattr(sides, side)()
            samples[side].append(elapsed)
            stats[side].append(report)
    sides.graphql(capture=True)
    captured = sides.client.get("/bench/_captured").json()
    fields = count_fields(graphql_body["data"])
    floor = None
    if scenario.query in (BOARD, LIST, DETAIL):
        floor = graphql_core_floor(scenario.query, scenario.variables, graphql_body["data"])
    result: dict[str, Any] = {
        "scenario": scenario.name,
        "title": scenario.title,
        "same_json": difference is None,
        "difference": difference,
        "requests": len(samples["graphql"]),
        "fields": fields,
        "response_bytes": {"graphql": len(graphql_response.content), "baseline": len(baseline_response.content)},
        "sql_replay_ms": replay_sql(db_path, captured),
        "graphql_core_floor_ms": floor,
    }
    for side in ("graphql", "baseline"):
        med = {key: statistics.median(r.get(key, 0.0) for r in stats[side]) for key in stats[side][0]}
        result[side] = {
            "p50": percentile(samples[side], 50),
            "p95": percentile(samples[side], 95),
            "statements": stats[side][-1]["sql_count"],
            "median": med,
        }
    result["ratio_p50"] = result["graphql"]["p50"] / result["baseline"]["p50"]
    result["ratio_p95"] = result["graphql"]["p95"] / result["baseline"]["p95"]
    return result


# --- load ----------------------------------------------------------------------------------------------------


async def _load(server: Server, mix: list[Scenario], clients: int, seconds: float, side: str) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=server.base, timeout=60, limits=limits, headers=server.headers) as client:
        deadline = time.monotonic() + seconds

        async def one_client(index: int) -> None:
            turn = index
            while time.monotonic() < deadline:
                scenario = mix[turn % len(mix)]
                turn += 1
                started = time.perf_counter()
                try:
                    if side == "graphql":
                        payload = {"query": scenario.query, "variables": scenario.variables}
                        response = await client.post("/graphql", json=payload)
                    else:
                        response = await client.get(scenario.baseline_path, params=scenario.baseline_params)
                    if response.status_code != 200 or "errors" in response.json():
                        errors.append(f"{response.status_code} {response.text[:200]}")
                except httpx.HTTPError as error:
                    errors.append(repr(error))
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.monotonic()
        await asyncio.gather(*(one_client(i) for i in range(clients)))
        elapsed = time.monotonic() - started
    return {
        "side": side,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "errors": len(errors),
        "error_samples": errors[:5],
    }


def load_run(server: Server, mix: list[Scenario], clients: int, seconds: float, side: str) -> dict[str, Any]:
    return asyncio.run(_load(server, mix, clients, seconds, side))


# --- import --------------------------------------------------------------------------------------------------


def import_run(rows: int, workdir: Path) -> dict[str, Any]:
    """`enterpristore import` of a generated CSV into a fresh database, once the importer exists."""
    if not (REPO / "backend" / "imports" / "service.py").exists():
        return {"status": "pending", "reason": "backend/imports/service.py (the import service) is not there yet"}
    from bench.csvgen import write_maven_csv

    csv_path = write_maven_csv(workdir / f"import-{rows}.csv", rows)
    db_path = workdir / "import.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db_path.resolve()}"}
    exe = shutil.which("enterpristore", path=str(Path(sys.executable).parent)) or "enterpristore"
    subprocess.run([exe, "migrate"], env=env, check=True, capture_output=True)
    report = workdir / "import-report.json"
    started = time.perf_counter()
    done = subprocess.run(
        [
            exe,
            "import",
            str(csv_path),
            "--mapping",
            "maven-crm",
            "--no-progress",
            "--skip-invalid",
            "--report",
            str(report),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    db = sqlite3.connect(db_path)
    try:
        (leads,) = db.execute("SELECT count(*) FROM leads").fetchone()
    finally:
        db.close()
    return {
        "status": "ok" if done.returncode == 0 else f"exit {done.returncode}",
        "rows": rows,
        "seconds": seconds,
        "leads_imported": leads,
        "stderr_tail": done.stderr[-800:],
    }


def run_size(
    db_path: Path,
    detail_lead_id: int,
    requests: int,
    budget_s: float,
    load_seconds: float,
    clients: int,
    only: set[str] | None = None,
) -> dict[str, Any]:
    server = start_server(db_path)
    try:
        all_scenarios = scenarios(db_path, detail_lead_id)
        results = []
        for scenario in all_scenarios:
            if only and scenario.name not in only:
                continue
            print(f"  {scenario.name} ...", flush=True)
            results.append(run_scenario(server, db_path, scenario, requests, budget_s))
        loads = []
        if load_seconds > 0:
            mix = [s for s in all_scenarios if s.name in ("board", "list")]
            for side in ("graphql", "baseline"):
                print(f"  load {side}: {clients} clients × {load_seconds:.0f} s ...", flush=True)
                loads.append(load_run(server, mix, clients, load_seconds, side))
    finally:
        server.stop()
    return {"scenarios": results, "load": loads}


def workdir() -> Path:
    path = Path(tempfile.gettempdir()) / "enterpristore-bench"
    path.mkdir(exist_ok=True)
    return path
