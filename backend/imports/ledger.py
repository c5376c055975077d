"""The external ids one pass over a file has met, and on which line: for reporting duplicates.

Kept in a private scratch SQLite database (an empty file name: on disk, deleted when closed) rather than in a
dict, so a file of millions of rows needs no more memory than one of thousands. It is not the CRM's database:
the strict validation pass still writes nothing there.
"""

from __future__ import annotations

import sqlite3
from types import TracebackType

from backend.imports.refcache import chunks


class SeenIds:
    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._db.execute("PRAGMA cache_size = -1024")  # 1 MB: the lookups are by primary key
        self._db.execute("CREATE TABLE seen (external_id TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")

    def __enter__(self) -> SeenIds:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._db.close()

    def duplicates(self, items: list[tuple[str, int]]) -> dict[int, int]:
        """For a batch of (external id, line): line -> first line, for each id met before. Records the rest."""
        first: dict[str, int] = {}
        for part in chunks([external_id for external_id, _ in items]):
            marks = ",".join("?" * len(part))
            first.update(self._db.execute(f"SELECT external_id, line FROM seen WHERE external_id IN ({marks})", part))
        repeated: dict[int, int] = {}
        new: list[tuple[str, int]] = []
        for external_id, line in items:
            if external_id in first:
                repeated[line] = first[external_id]
            else:
                first[external_id] = line
                new.append((external_id, line))
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", new)
        return repeated
