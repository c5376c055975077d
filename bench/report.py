"""Tables for the terminal and bench/RESULTS.md, from the JSON results in bench/out/."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.baseline import JSON_LIBRARY

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
SIZE_ORDER = ("10k", "100k", "1M")
TARGET_RATIO = 3.0
TARGET_SCALING = 2.0
TARGET_IMPORT_S = 20.0


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def scenario_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for r in results["scenarios"]:
        g, b = r["graphql"], r["baseline"]
        rows.append(
            [
                r["title"],
                _ms(g["p50"]),
                _ms(g["p95"]),
                _ms(b["p50"]),
                _ms(b["p95"]),
                f"{r['ratio_p50']:.1f}",
                f"{g['statements']:.0f} / {b['statements']:.0f}",
                "yes" if r["same_json"] else f"NO: {r['difference']}",
            ]
        )
    return rows


def breakdown_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for r in results["scenarios"]:
        m = r["graphql"]["median"]
        field_ms = max(0.0, m["execute_ms"] - m["sql_ms"])
        other = m["server_ms"] - m["parse_ms"] - m["validate_ms"] - m["execute_ms"] - m["encode_ms"]
        floor = r.get("graphql_core_floor_ms")
        rows.append(
            [
                r["scenario"],
                str(r["fields"]),
                _ms(r["graphql"]["p50"]),
                _ms(max(0.0, r["graphql"]["p50"] - m["server_ms"])),
                _ms(m["parse_ms"] + m["validate_ms"]),
                _ms(m["sql_ms"]),
                _ms(r["sql_replay_ms"]),
                _ms(field_ms),
                _ms(m["encode_ms"]),
                _ms(other),
                f"{field_ms * 1000 / r['fields']:.0f}" if r["fields"] else "–",
                f"{_ms(floor)} ({floor * 1000 / r['fields']:.0f})" if floor else "–",
                f"{_ms(r['baseline']['median']['server_ms'])} ({_ms(r['baseline']['median']['sql_ms'])})",
            ]
        )
    return rows


def load_rows(results: dict[str, Any]) -> list[list[str]]:
    return [
        [
            results["size"],
            run["side"],
            f"{run['clients']}",
            f"{run['seconds']:.0f}",
            f"{run['requests']}",
            f"{run['rps']:.1f}",
            _ms(run["p50"]),
            _ms(run["p99"]),
            f"{run['errors']}",
        ]
        for run in results["load"]
    ]


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


SCENARIO_HEADER = [
    "scenario",
    "GraphQL p50",
    "p95",
    "baseline p50",
    "p95",
    "ratio",
    "SQL stmts GQL / base",
    "same JSON",
]
BREAKDOWN_HEADER = ["scenario", "fields", "client p50", "HTTP + client", "parse + validate", "SQL in app"]
BREAKDOWN_HEADER += ["SQL replayed", "field execution", "JSON encode", "other server", "µs / field"]
BREAKDOWN_HEADER += ["graphql-core floor (µs/field)", "baseline server (SQL)"]
LOAD_HEADER = ["size", "side", "clients", "s", "requests", "req/s", "p50", "p99", "errors"]


def print_size(results: dict[str, Any]) -> None:
    print(f"\n== {results['size']} leads (ms) ==")
    print(markdown(SCENARIO_HEADER, scenario_rows(results)))
    print("\nwhere the GraphQL side's time goes (medians, ms):")
    print(markdown(BREAKDOWN_HEADER, breakdown_rows(results)))
    if results["load"]:
        print("\nload run (board and list alternating):")
        print(markdown(LOAD_HEADER, load_rows(results)))
    print(flush=True)


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("strawberry-graphql", "graphql-core", "starlette", "uvicorn", "sqlalchemy", "aiosqlite", "httpx")
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory}; {platform.system()} {platform.release()}",
        f"- Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; {versions}",
        f"- Baseline JSON: {JSON_LIBRARY}. Load average when each size started: see its section.",
        "- One uvicorn worker (no uvloop/httptools), client on the same machine over loopback (httpx, keep-alive).",
    ]


def _load_all(out: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for label in SIZE_ORDER:
        path = out / f"results-{label}.json"
        if path.exists():
            found[label] = json.loads(path.read_text())
    return found


def targets(by_size: dict[str, dict[str, Any]], imported: dict[str, Any] | None) -> list[list[str]]:
    rows = []
    for label, results in by_size.items():
        for r in results["scenarios"]:
            if r["scenario"] in ("board", "list"):
                ok = r["ratio_p50"] <= TARGET_RATIO
                rows.append(
                    [
                        f"ratio ≤ {TARGET_RATIO:.0f}, {r['scenario']}, {label}",
                        f"{r['ratio_p50']:.1f}",
                        "met" if ok else "MISSED",
                    ]
                )
    if "10k" in by_size and "1M" in by_size:
        small = {r["scenario"]: r for r in by_size["10k"]["scenarios"]}
        for r in by_size["1M"]["scenarios"]:
            if r["scenario"] in ("board", "list") and r["scenario"] in small:
                growth = r["graphql"]["p50"] / small[r["scenario"]]["graphql"]["p50"]
                ok = growth <= TARGET_SCALING
                rows.append(
                    [f"p50 1M ≤ 2 × p50 10k, {r['scenario']} (GraphQL)", f"{growth:.2f}×", "met" if ok else "MISSED"]
                )
    for label, results in by_size.items():
        for run in results.get("load", []):
            if run["side"] == "graphql":
                rows.append(
                    [
                        f"load run without errors, {label}",
                        f"{run['errors']} errors",
                        "met" if not run["errors"] else "MISSED",
                    ]
                )
    if imported is not None:
        if imported.get("status") == "pending":
            rows.append(["import of 100k rows < 20 s", "not run", f"PENDING: {imported['reason']}"])
        else:
            ok = imported.get("status") == "ok" and imported["seconds"] < TARGET_IMPORT_S
            rows.append(
                [f"import of {imported['rows']} rows < 20 s", f"{imported['seconds']:.1f} s", "met" if ok else "MISSED"]
            )
    return rows


def write_results(out: Path) -> None:
    by_size = _load_all(out)
    import_path = out / "results-import.json"
    imported = json.loads(import_path.read_text()) if import_path.exists() else None
    parts = [
        "# Benchmark results",
        "",
        "Written by `python -m bench` (see README.md for what each scenario does and how to read this). Times in ms.",
        f"Run finished {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "## Machine",
        *machine(),
        "",
        "## Targets",
        markdown(["target", "measured", "verdict"], targets(by_size, imported)),
    ]
    for label, results in by_size.items():
        generated = results.get("generated", {})
        parts += [
            "",
            f"## {label} leads",
            f"Generated in {generated.get('seconds', 0):.0f} s: {generated.get('rows', {})}.",
            f"Load average (1, 5, 15 min) at the start: {results.get('loadavg', '?')} on {os.cpu_count()} cores.",
            "",
            markdown(SCENARIO_HEADER, scenario_rows(results)),
            "",
            "Where the GraphQL side's time goes (medians; SQL in app = statement wall time as the app awaits it;"
            " SQL replayed = the same statements on the stdlib driver, synchronously; field execution = execution"
            " less SQL in app):",
            "",
            markdown(BREAKDOWN_HEADER, breakdown_rows(results)),
        ]
    loads = [row for results in by_size.values() for row in load_rows(results)]
    if loads:
        parts += [
            "",
            "## Load run: 50 concurrent clients, board and list alternating",
            "",
            markdown(LOAD_HEADER, loads),
        ]
    if len(by_size) > 1:
        names = [r["scenario"] for r in next(iter(by_size.values()))["scenarios"]]
        rows = []
        for name in names:
            row = [name]
            for label in by_size:
                found = [r for r in by_size[label]["scenarios"] if r["scenario"] == name]
                row.append(f"{_ms(found[0]['graphql']['p50'])} / {_ms(found[0]['baseline']['p50'])}" if found else "–")
            rows.append(row)
        parts += [
            "",
            "## Scaling: p50 GraphQL / baseline by size",
            "",
            markdown(["scenario", *by_size], rows),
        ]
    if imported is not None:
        parts += ["", "## Import", "", "```", json.dumps(imported, indent=2), "```"]
    RESULTS_MD.write_text("\n".join(parts) + "\n", encoding="utf-8")
