"""The import streams: its memory does not follow the size of the file."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

from backend.imports.service import ImportOptions, run_import
from backend.settings import Settings
from tests.imports.conftest import HEADER, mapping_for, row, write_csv

FILLER = "lorem ipsum " * 500  # a wide column nobody imports: 6 kB a row, so the file dwarfs any per-row bookkeeping


def big_csv(path: Path, rows: int) -> Path:
    lines = [
        [*row(str(i), owner=f"Owner {i % 40}", company=f"Company {i % 300}", tags="a|b"), FILLER] for i in range(rows)
    ]
    return write_csv(path, lines, header=[*HEADER, "notes"])


async def peak_bytes(path: Path, database: Path) -> int:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}")
    tracemalloc.start()
    try:
        report = await run_import(settings, path, mapping_for(), ImportOptions(batch_size=500))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.created == report.rows_read, report.problems[:3]
    return peak


async def test_peak_memory_stays_flat_as_the_file_grows(tmp_path: Path, database_url: str) -> None:
    template = Path(database_url.split("///", 1)[1])
    small, large = big_csv(tmp_path / "small.csv", 300), big_csv(tmp_path / "large.csv", 2_000)
    shutil.copy(template, tmp_path / "a.db")
    shutil.copy(template, tmp_path / "b.db")
    small_peak = await peak_bytes(small, tmp_path / "a.db")
    large_peak = await peak_bytes(large, tmp_path / "b.db")
    growth = large.stat().st_size - small.stat().st_size  # about 10 MB more file
    assert large_peak < 8_000_000, f"peak {large_peak / 1e6:.1f} MB for a {large.stat().st_size / 1e6:.0f} MB file"
    # What does grow is the set of external ids seen (duplicate detection): some 100 bytes a row, not 6 kB.
    assert large_peak - small_peak < growth / 10, (small_peak, large_peak, growth)
