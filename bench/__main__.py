"""`python -m bench`: generate the databases, run every scenario at every size, print the table, write RESULTS.md.

python -m bench                         # 10k, 100k and 1M (generates what is missing), then RESULTS.md
python -m bench --sizes 10k --quick     # a smoke run: fewer requests, a 5 s load run
python -m bench --report-only           # RESULTS.md from the last results in bench/out/
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.generate import generate, parse_size, size_label
from bench.report import print_size, write_results
from bench.run import import_run, run_size, workdir

OUT = Path(__file__).resolve().parent / "out"


def _at_head(path: Path) -> bool:
    """Whether a generated file has every migration of the code (an older one is generated again: upgrading
    100k-1M rows through SQLite's table rebuilds takes longer than generating them)."""
    from alembic.script import ScriptDirectory

    from backend.migrations import alembic_config

    heads = set(ScriptDirectory.from_config(alembic_config(f"sqlite+aiosqlite:///{path}")).get_heads())
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = {row[0] for row in db.execute("SELECT version_num FROM alembic_version")}
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return found == heads


def database(leads: int, regenerate: bool) -> tuple[Path, dict[str, Any]]:
    label = size_label(leads)
    path, meta_path = OUT / f"leads-{label}.db", OUT / f"leads-{label}.json"
    if regenerate or not path.exists() or not meta_path.exists() or not _at_head(path):
        print(f"generating {label} leads ...", flush=True)
        made = generate(path, leads)
        meta = {"leads": made.leads, "seconds": made.seconds, "rows": made.rows, "detail_lead_id": made.detail_lead_id}
        meta_path.write_text(json.dumps(meta))
        print(f"  {made.seconds:.0f} s: {made.rows}", flush=True)
    meta: dict[str, Any] = json.loads(meta_path.read_text())
    return path, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated lead counts (default 10k,100k,1M)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per side and scenario")
    parser.add_argument("--budget", type=float, default=25.0, help="seconds per scenario at most (at least 10 req)")
    parser.add_argument("--load-seconds", type=float, default=30.0, help="length of each load run (0: none)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients in the load run")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the import scenario (0: none)")
    parser.add_argument("--scenarios", help="only these scenarios (board,list,detail,aggregate)")
    parser.add_argument("--regenerate", action="store_true", help="generate the databases again")
    parser.add_argument("--quick", action="store_true", help="30 requests, 5 s load runs, 10k-row import")
    parser.add_argument("--report-only", action="store_true", help="only write RESULTS.md from bench/out/")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.budget, args.load_seconds, args.import_rows = 30, 10.0, 5.0, 10_000
    OUT.mkdir(exist_ok=True)
    only = set(args.scenarios.split(",")) if args.scenarios else None
    if not args.report_only:
        for leads in (parse_size(s) for s in args.sizes.split(",")):
            label = size_label(leads)
            path, meta = database(leads, args.regenerate)
            print(f"{label} leads: {path}", flush=True)
            started = time.time()
            loadavg = [round(x, 1) for x in os.getloadavg()]
            results = run_size(
                path, meta["detail_lead_id"], args.requests, args.budget, args.load_seconds, args.clients, only
            )
            results.update(size=label, leads=leads, generated=meta, started=started, loadavg=loadavg)
            (OUT / f"results-{label}.json").write_text(json.dumps(results, indent=2))
            print_size(results)
        if args.import_rows:
            print(f"import of {args.import_rows} CSV rows ...", flush=True)
            imported = import_run(args.import_rows, workdir())
            (OUT / "results-import.json").write_text(json.dumps(imported, indent=2))
            print(f"  {imported}", flush=True)
    write_results(OUT)
    print(f"wrote {Path(__file__).resolve().parent / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
