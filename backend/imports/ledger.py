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
        # 8 MB, a bound: the ids arrive in no order, so with less each batch rereads most of the b-tree's pages.
        self._db.execute("PRAGMA cache_size = -8192")
        self._db.execute("CREATE TABLE seen (external_id TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")

    def __enter__(self) -> SeenIds:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._db.close()

    def duplicates(self, items: list[tuple[str, int]]) -> dict[int, int]:
        """For a batch of (external id, line): line -> first line, for each id met before. Records the rest."""
        # Insert first, look up only if some id was there already: most batches repeat none, and then this
        # is one statement instead of a lookup per id. A repeated id keeps the line it was first met on.
        changes = self._db.total_changes
        self._db.executemany("INSERT INTO seen VALUES (?, ?) ON CONFLICT DO NOTHING", items)
        if self._db.total_changes - changes == len(items):
            return {}
        first: dict[str, int] = {}
        for part in chunks([external_id for external_id, _ in items]):
            marks = ",".join("?" * len(part))
            first.update(self._db.execute(f"SELECT external_id, line FROM seen WHERE external_id IN ({marks})", part))
        return {line: first[external_id] for external_id, line in items if first[external_id] != line}
