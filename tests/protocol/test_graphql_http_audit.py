"""The graphql-http server audits (GraphQL over HTTP spec): every MUST and every SHOULD passes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import require
from tests.protocol.conftest import LiveServer

HERE = Path(__file__).resolve().parent


def _node_modules() -> None:
    """Installs the pinned graphql-http and graphql from the committed lockfile the first time."""
    if (HERE / "node_modules" / "graphql-http").is_dir():
        return
    result = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"


def test_every_graphql_over_http_audit_is_ok(live_server: LiveServer) -> None:
    require(shutil.which("node") is not None and shutil.which("npm") is not None, "node and npm are not installed")
    _node_modules()

    run = subprocess.run(
        ["node", "audit.mjs", f"{live_server.base}/graphql"],
        cwd=HERE,
        env={**os.environ, "AUDIT_BEARER_TOKEN": live_server.token},
        capture_output=True,
        text=True,
        timeout=120,
    )

    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the audit printed nothing:\n{run.stdout}\n{run.stderr}"
    summary, results = lines[-1], lines[:-1]
    not_ok = [r for r in results if r["status"] != "ok"]
    assert not_ok == [], json.dumps(not_ok, indent=2)
    assert summary == {"total": len(results), "notOk": 0}
    # The audit covers the spec, MUSTs and SHOULDs both: a much shorter list means it did not run fully.
    assert len(results) >= 60
    assert run.returncode == 0, run.stderr
