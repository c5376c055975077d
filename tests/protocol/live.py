"""A real uvicorn serving the app on a free loopback port, for tests that speak HTTP from another process
(the graphql-http audit, the schemathesis fuzzer)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def admin_token(database_url: str) -> str:
    """An administrator with a read/write API token, written straight into the database: the secret, for
    `Authorization: Bearer` (every GraphQL request needs a principal)."""
    from backend.auth.service import create_token, create_user
    from backend.db import create_engine, create_session_factory, write_transaction
    from backend.settings import Settings

    async def create() -> str:
        engine = create_engine(Settings(database_url=database_url))
        try:
            async with write_transaction(create_session_factory(engine)) as session:
                user = await create_user(session, "Fuzz Admin", "fuzz.admin@example.com", None, "administrator", ())
                _, secret = await create_token(session, user.id, "tests", ["read", "write"], None)
                return secret
        finally:
            await engine.dispose()

    return asyncio.run(create())


def serve(database_url: str, log_path: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """Starts uvicorn on a free port and waits for /healthz; returns the process and its base URL."""
    port = free_port()
    # The fuzzer and the audit send bursts: the rate limit has a test of its own.
    env = {**os.environ, "DATABASE_URL": database_url, "ENTERPRISTORE_RATE_LIMIT_PER_MINUTE": str(10**6)}
    log = log_path.open("wb")
    command = [sys.executable, "-m", "uvicorn", "--factory", "backend.app:create_app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}: {log_path.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"uvicorn did not answer within 30 s: {log_path.read_text()}")


@contextmanager
def running(database_url: str, log_path: Path) -> Iterator[str]:
    """uvicorn for the duration of the block; yields the base URL."""
    process, base = serve(database_url, log_path)
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
