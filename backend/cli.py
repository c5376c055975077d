"""The `enterpristore` command: serve, migrate, seed-demo, import, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from backend.settings import PROJECT_ROOT, Settings


def _migrate(settings: Settings) -> None:
    from backend.migrations import upgrade

    upgrade(settings.database_url)


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    _migrate(settings)
    print(f"database is at the latest schema: {_safe_url(settings.database_url)}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    if args.migrate:
        _migrate(settings)
    if args.seed_if_empty:
        from backend.demo.seed import seed_if_empty

        asyncio.run(seed_if_empty(settings))
    print(f"Enterpristore CRM on http://{args.host}:{args.port}/  (GraphQL: http://{args.host}:{args.port}/graphql)")
    uvicorn.run(
        "backend.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
    )
    return 0


def cmd_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from backend.demo.seed import seed_demo

    _migrate(settings)
    summary = asyncio.run(seed_demo(settings, leads=args.leads, seed=args.seed))
    print(summary)
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("the passwords differ")
    return first


def cmd_create_user(args: argparse.Namespace, settings: Settings) -> int:
    from backend.auth.service import create_user
    from backend.db import create_engine, create_session_factory, write_transaction
    from backend.errors import DomainError

    _migrate(settings)
    password = _read_password(args)

    async def run() -> None:
        engine = create_engine(settings)
        try:
            async with write_transaction(create_session_factory(engine)) as session:
                await create_user(session, args.name, args.email, password, args.role, args.team)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except DomainError as error:
        print(f"not created: {error}", file=sys.stderr)
        return 2
    print(f"created {args.email} ({args.role}); sign in at http://{settings.host}:{settings.port}/")
    return 0


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy import func, select

    from backend.auth.models import User
    from backend.auth.service import create_token
    from backend.db import create_engine, create_session_factory, write_transaction
    from backend.errors import DomainError

    async def run() -> str | None:
        engine = create_engine(settings)
        try:
            async with write_transaction(create_session_factory(engine)) as session:
                user = await session.scalar(select(User).where(func.lower(User.email) == args.email.lower()))
                if user is None:
                    return None
                _, secret = await create_token(session, user.id, args.name, args.scopes.split(","), args.days or None)
                return secret
        finally:
            await engine.dispose()

    try:
        secret = asyncio.run(run())
    except DomainError as error:
        print(f"no token: {error}", file=sys.stderr)
        return 2
    if secret is None:
        print(f"no user with the email {args.email}", file=sys.stderr)
        return 2
    print(secret)
    print("Shown once. Use it as: curl -H 'Authorization: Bearer <token>' ... /graphql", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from backend.imports.cli import run_import_command

    _migrate(settings)
    return int(run_import_command(args, settings))


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from backend.schema import schema

    sdl = schema.as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="enterpristore", description="Enterpristore CRM")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the app and /graphql")
    serve.add_argument("--host", default=Settings.from_env().host)
    serve.add_argument("--port", type=int, default=Settings.from_env().port)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--migrate", action="store_true", help="run the migrations first")
    serve.add_argument("--seed-if-empty", action="store_true", help="load demo data into an empty database first")
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser("migrate", help="bring the database to the latest schema").set_defaults(handler=cmd_migrate)

    seed = commands.add_parser("seed-demo", help="generate demo data (deterministic for a seed)")
    seed.add_argument("--leads", type=int, default=3000)
    seed.add_argument("--seed", type=int, default=42)
    seed.set_defaults(handler=cmd_seed_demo)

    importer = commands.add_parser("import", help="import leads from a CSV export with a column mapping")
    from backend.imports.cli import add_import_arguments

    add_import_arguments(importer)
    importer.set_defaults(handler=cmd_import)

    user = commands.add_parser("create-user", help="add a user who can sign in (asks for the password)")
    user.add_argument("--name", required=True)
    user.add_argument("--email", required=True)
    user.add_argument("--role", default="sales_rep", choices=["administrator", "sales_manager", "sales_rep", "analyst"])
    user.add_argument("--team", action="append", default=[], help="a team to join (created if new); repeatable")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.set_defaults(handler=cmd_create_user)

    token = commands.add_parser("token", help="create a personal API token for a user (printed once)")
    token.add_argument("--email", required=True)
    token.add_argument("--name", default="cli")
    token.add_argument("--scopes", default="read", help="read, write or read,write")
    token.add_argument("--days", type=int, default=90, help="days until it expires; 0: never")
    token.set_defaults(handler=cmd_token)

    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", "-o", default=str(PROJECT_ROOT / "schema.graphql"), help="a path, or - for stdout")
    export.set_defaults(handler=cmd_export_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args, Settings.from_env()))


if __name__ == "__main__":
    raise SystemExit(main())
