"""A large CSV in the shape of the maven-crm export, for the import scenario.

The real export (../shared/data/maven-crm, 8,800 opportunities, not part of the repository) is repeated with
fresh opportunity ids until the wanted row count, so the mix of stages, agents, products, accounts, dates and
values stays the real one. Its companion files (accounts, products, sales teams) are copied next to it, as the
mapping reads them from the same folder.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "maven-crm"
COMPANIONS = ("accounts.csv", "products.csv", "sales_teams.csv")


def write_maven_csv(path: Path, rows: int, source: Path = SHARED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    for name in COMPANIONS:
        shutil.copy(source / name, path.parent / name)
    with (source / "sales_pipeline.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        originals = list(reader)
    id_column = header.index("opportunity_id")
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for i in range(rows):
            row = list(originals[i % len(originals)])
            row[id_column] = f"{row[id_column]}-{i // len(originals)}"
            writer.writerow(row)
    return path
