"""The import streams: its memory does not follow the size of the file."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

from backend.imports.service import ImportOptions, run_import
from backend.settings import Settings
from tests.imports.conftest import HEADER, mapping_for, row, write_csv

BATCH = 50
FILLER = "lorem ipsum " * 1000  # a wide column nobody imports: 12 kB a row, so the file dwarfs any per-row bookkeeping


def big_csv(path: Path, rows: int) -> Path:
    lines = [
        [*row(str(i), owner=f"Owner {i % 40}", company=f"Company {i % 300}", tags="a|b"), FILLER] for i in range(rows)
    ]
    return write_csv(path, lines, header=[*HEADER, "notes"])


async def peak_bytes(path: Path, database: Path) -> int:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}")
    tracemalloc.start()
    try:
        report = await run_import(settings, path, mapping_for(), ImportOptions(batch_size=BATCH))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.created == report.rows_read, report.problems[:3]
    return peak


async def test_peak_memory_stays_flat_as_the_file_grows(tmp_path: Path, database_url: str) -> None:
    template = Path(database_url.split("///", 1)[1])
    for name in ("warm.db", "small.db", "large.db"):
        shutil.copy(template, tmp_path / name)
    # Both files are many batches long; a first import warms the caches (compiled statements, parsed dates).
    await peak_bytes(big_csv(tmp_path / "warm.csv", 2 * BATCH), tmp_path / "warm.db")
    small, large = big_csv(tmp_path / "small.csv", 6 * BATCH), big_csv(tmp_path / "large.csv", 24 * BATCH)
    small_peak = await peak_bytes(small, tmp_path / "small.db")
    large_peak = await peak_bytes(large, tmp_path / "large.db")
    growth = large.stat().st_size - small.stat().st_size  # about 11 MB more file
    assert large_peak < 6_000_000, f"peak {large_peak / 1e6:.1f} MB for a {large.stat().st_size / 1e6:.0f} MB file"
    # Four times the rows, the same memory: even the external ids seen (for duplicates) live in a scratch file.
    assert large_peak - small_peak < growth / 20, (small_peak, large_peak, growth)  # 20: room for noise
