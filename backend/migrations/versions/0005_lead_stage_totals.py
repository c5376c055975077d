"""lead stage totals kept by triggers, an index for the list's filters

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 21:10:00

The board's column headers (count, value, weighted value per stage) used to be a GROUP BY over every lead of
the pipeline: hundreds of ms at 1M leads. `lead_stage_totals` holds one row per (stage, sales person) with the
count and the value in cents, so the headers read a few hundred rows whatever the number of leads.

The database keeps it exact, not the app: triggers run in the same transaction as every write to `leads`,
whoever makes it (the service, the importer's Core statements, the demo seeder, foreign-key actions such as a
deleted user's leads becoming unassigned, several app processes). An unassigned lead counts under sales
person key 0, so the key can be a primary key (user ids start at 1).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "lead_stage_totals"
KEY = "stage_id, sales_person_key"
TRIGGERS = ("lead_stage_totals_insert", "lead_stage_totals_update", "lead_stage_totals_delete")
BACKFILL = (
    f"INSERT INTO {TABLE} (stage_id, sales_person_key, lead_count, value_cents_sum)"
    " SELECT stage_id, coalesce(sales_person_id, 0), count(*), coalesce(sum(value), 0) FROM leads"
    " GROUP BY stage_id, coalesce(sales_person_id, 0)"
)


def _sqlite_add(row: str, sign: str) -> str:
    """Adds (sign '') or takes away (sign '-') one lead, OLD or NEW, from its cell."""
    return (
        f"INSERT INTO {TABLE} (stage_id, sales_person_key, lead_count, value_cents_sum)"
        f" VALUES ({row}.stage_id, coalesce({row}.sales_person_id, 0), {sign}1, {sign}coalesce({row}.value, 0))"
        f" ON CONFLICT ({KEY}) DO UPDATE SET lead_count = lead_count + excluded.lead_count,"
        " value_cents_sum = value_cents_sum + excluded.value_cents_sum;"
    )


def _sqlite_triggers() -> list[str]:
    # SQLite has row triggers only; one writer at a time, so no lock order to care about.
    changed = (
        "OLD.stage_id IS NOT NEW.stage_id OR OLD.sales_person_id IS NOT NEW.sales_person_id"
        " OR OLD.value IS NOT NEW.value"
    )
    return [
        f"CREATE TRIGGER lead_stage_totals_insert AFTER INSERT ON leads BEGIN {_sqlite_add('NEW', '')} END",
        f"CREATE TRIGGER lead_stage_totals_update AFTER UPDATE OF stage_id, sales_person_id, value ON leads"
        f" WHEN {changed} BEGIN {_sqlite_add('OLD', '-')} {_sqlite_add('NEW', '')} END",
        f"CREATE TRIGGER lead_stage_totals_delete AFTER DELETE ON leads BEGIN {_sqlite_add('OLD', '-')} END",
    ]


def _pg_apply(deltas: str) -> str:
    """One upsert per statement on leads, whatever its row count. Cells are written in key order, so two
    statements touching the same cells lock them in the same order instead of deadlocking."""
    return (
        f"INSERT INTO {TABLE} AS t (stage_id, sales_person_key, lead_count, value_cents_sum)"
        f" SELECT stage_id, coalesce(sales_person_id, 0), sum(n), sum(v) FROM ({deltas}) d"
        " GROUP BY 1, 2 HAVING sum(n) <> 0 OR sum(v) <> 0 ORDER BY 1, 2"
        f" ON CONFLICT ({KEY}) DO UPDATE SET lead_count = t.lead_count + excluded.lead_count,"
        " value_cents_sum = t.value_cents_sum + excluded.value_cents_sum;"
    )


NEW_ROWS = "SELECT stage_id, sales_person_id, 1 AS n, coalesce(value, 0) AS v FROM new_leads"
OLD_ROWS = "SELECT stage_id, sales_person_id, -1 AS n, -coalesce(value, 0) AS v FROM old_leads"


def _pg_triggers() -> list[str]:
    # Statement triggers with transition tables: a bulk write (an import batch, a mass move) costs one upsert of
    # the cells it changed, not one per row. An UPDATE that changes none of the three columns nets out to no row.
    # PostgreSQL allows transition tables only on single-event triggers without column lists: three triggers.
    function = f"""
CREATE FUNCTION lead_stage_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_pg_apply(NEW_ROWS)}
  ELSIF TG_OP = 'DELETE' THEN
    {_pg_apply(OLD_ROWS)}
  ELSIF TG_OP = 'UPDATE' THEN
    {_pg_apply(f"{NEW_ROWS} UNION ALL {OLD_ROWS}")}
  ELSE
    DELETE FROM {TABLE};
  END IF;
  RETURN NULL;
END
$$"""
    each = "FOR EACH STATEMENT EXECUTE FUNCTION lead_stage_totals_apply()"
    return [
        function,
        f"CREATE TRIGGER lead_stage_totals_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_leads {each}",
        "CREATE TRIGGER lead_stage_totals_update AFTER UPDATE ON leads"
        f" REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads {each}",
        f"CREATE TRIGGER lead_stage_totals_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_leads {each}",
        f"CREATE TRIGGER lead_stage_totals_truncate AFTER TRUNCATE ON leads {each}",
    ]


def upgrade() -> None:
    op.create_table(TABLE,
    sa.Column('stage_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sales_person_key', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('lead_count', sa.BigInteger(), nullable=False),
    sa.Column('value_cents_sum', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('stage_id', 'sales_person_key', name=op.f('pk_lead_stage_totals'))
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    # Triggers first, then the backfill: on PostgreSQL CREATE TRIGGER locks out writers to leads until this
    # transaction commits, so no write falls between the backfill and the first trigger.
    for statement in _pg_triggers() if postgres else _sqlite_triggers():
        op.execute(statement)
    op.execute(BACKFILL)
    # The list's filters at 1M leads (open, two sources, value >= 5,000, two tags): a page by value 2.6 ms, a
    # count capped at 501 about 9 ms; without it the page walked every open lead and sorted them (420 ms).
    # (op.create_index, not a batch: a batch may rebuild the table on SQLite, which would drop the triggers.)
    op.create_index('ix_leads_status_source_value', 'leads', ['status', 'source_id', 'value'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_leads_status_source_value', table_name='leads')
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in (*TRIGGERS, "lead_stage_totals_truncate") if postgres else TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON leads" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS lead_stage_totals_apply()")
    op.drop_table(TABLE)
