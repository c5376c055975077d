"""schema.graphql is generated from the code and checked in: it must not drift."""

from pathlib import Path

from backend.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_checked_in_schema_matches_the_code() -> None:
    # Given the SDL exported from the code, when compared with the checked-in file, then they are identical.
    exported = schema.as_str() + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == exported, "schema.graphql is stale: run `make schema`"
