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

    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", "-o", default=str(PROJECT_ROOT / "schema.graphql"), help="a path, or - for stdout")
    export.set_defaults(handler=cmd_export_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args, Settings.from_env()))


if __name__ == "__main__":
    raise SystemExit(main())
