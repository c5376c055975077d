"""Synthetic CRM data at benchmark scale: 10k, 100k or 1M leads with realistic distributions.

Written straight into a migrated SQLite file with the stdlib driver (no ORM): the migration's own secondary
indexes and triggers on the big tables are dropped, the rows go in in primary-key order, and the very same DDL is
replayed afterwards, which is several times faster than maintaining the indexes row by row (the stage totals the
triggers keep are filled with one GROUP BY). The file ends in WAL mode, as the app runs it. Deterministic for a
seed.
"""

from __future__ import annotations

import json
import math
import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from backend.migrations import upgrade

BIG_TABLES = ("leads", "lead_tags", "lead_products", "activities")
BATCH = 50_000

# The default pipeline's stages, as a funnel: many new leads, few in negotiation, a share closed either way.
STAGE_WEIGHTS = {"new": 25, "contacted": 18, "qualified": 14, "demo": 9, "negotiation": 6, "won": 12, "lost": 16}
# Sources: digital channels bring most leads, referrals fewer but bigger ones.
SOURCE_WEIGHTS = [22, 9, 14, 8, 7, 5, 1, 2, 3, 1, 6, 5, 2, 3, 5, 2, 3, 2]
INDUSTRIES = ["Software", "Manufacturing", "Retail", "Healthcare", "Finance", "Education", "Logistics", "Energy"]
COUNTRIES = [("United States", 40), ("Germany", 12), ("United Kingdom", 10), ("France", 8), ("Brazil", 6)]
COUNTRIES += [("India", 8), ("Japan", 5), ("Canada", 6), ("Spain", 5)]
LOST_REASONS = ["Too expensive", "Went with a competitor", "No budget", "No decision", "Bad timing"]
TAG_NAMES = ["vip", "renewal", "upsell", "inbound", "outbound", "partner", "trial", "enterprise", "smb", "urgent"]
TAG_NAMES += [f"campaign-{i:02d}" for i in range(30)]
FIRST = ["Ada", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mo", "Nia"]
LAST = ["Smith", "Garcia", "Müller", "Rossi", "Tanaka", "Okafor", "Silva", "Novak", "Kim", "Dubois", "Khan"]
CATEGORIES = ["Platform", "Analytics", "Support", "Training", "Hardware", "Consulting"]
UNITS = ["license", "seat", "hour", "unit"]
TERMS = ["one_time", "monthly", "annual", "multi_year"]
DETAIL_TIMELINE = 150  # entries on the lead the detail scenario opens (it shows the last 50)
STAGE_TOTALS = (
    "INSERT INTO lead_stage_totals (stage_id, sales_person_key, lead_count, value_cents_sum)"
    " SELECT stage_id, coalesce(sales_person_id, 0), count(*), coalesce(sum(value), 0) FROM leads"
    " GROUP BY stage_id, coalesce(sales_person_id, 0)"
)


@dataclass(frozen=True)
class Generated:
    path: Path
    leads: int
    seconds: float
    rows: dict[str, int]
    detail_lead_id: int


def _ts(value: datetime) -> str:
    """How SQLAlchemy's SQLite dialect stores our UtcDateTime: naive UTC text that sorts correctly."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sizes(leads: int) -> dict[str, int]:
    return {
        "users": max(10, min(500, leads // 2000)),
        "organizations": max(50, leads // 8),
        "persons": max(100, leads // 3),
        "products": 200,
    }


def _zipf_weights(count: int, s: float = 1.1) -> list[float]:
    return [1 / (rank**s) for rank in range(1, count + 1)]


def _batches(rows: Iterator[tuple[Any, ...]], size: int = BATCH) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(db: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterator[tuple[Any, ...]]) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    count = 0
    for batch in _batches(rows):
        db.executemany(sql, batch)
        count += len(batch)
    return count


def generate(path: Path, leads: int, seed: int = 7, now: datetime | None = None) -> Generated:
    """Creates `path` (replacing it) with `leads` leads and everything around them."""
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(f"sqlite+aiosqlite:///{path}")

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1000000")
    db.execute("PRAGMA temp_store=MEMORY")
    placeholders = ",".join("?" * len(BIG_TABLES))
    index_ddl = [
        sql
        for (sql,) in db.execute(
            f"SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({placeholders})",
            BIG_TABLES,
        )
    ]
    for (name,) in db.execute(
        f"SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({placeholders})",
        BIG_TABLES,
    ).fetchall():
        db.execute(f"DROP INDEX {name}")
    # The triggers that keep lead_stage_totals would cost an upsert per lead: off while the rows go in, then the
    # table is filled with one GROUP BY (what the migration's backfill does) and the same triggers come back.
    triggers = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})", BIG_TABLES
    ).fetchall()
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")

    db.execute("BEGIN")
    sizes = _sizes(leads)
    stamp = _ts(now - timedelta(days=1200))
    stages = db.execute("SELECT id, code, probability, kind, position FROM stages ORDER BY position").fetchall()
    source_ids = [row[0] for row in db.execute("SELECT id FROM sources ORDER BY id")]
    lead_type_ids = [row[0] for row in db.execute("SELECT id FROM lead_types ORDER BY id")]
    rows: dict[str, int] = {}

    rows["users"] = _insert(
        db,
        "users",
        ("id", "name", "email", "is_active", "created_at", "updated_at"),
        (
            (
                i,
                f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]} {i}",
                f"rep{i}@example.com",
                1,
                stamp,
                stamp,
            )
            for i in range(1, sizes["users"] + 1)
        ),
    )
    rows["tags"] = _insert(
        db,
        "tags",
        ("id", "name", "color", "created_at", "updated_at"),
        ((i, name, f"#{rng.randrange(0x1000000):06x}", stamp, stamp) for i, name in enumerate(TAG_NAMES, 1)),
    )
    countries = [c for c, _ in COUNTRIES]
    country_weights = [w for _, w in COUNTRIES]
    org_count = sizes["organizations"]
    rows["organizations"] = _insert(
        db,
        "organizations",
        ("id", "name", "industry", "employee_count", "annual_revenue", "country", "city", "created_at", "updated_at"),
        (
            (
                i,
                f"{LAST[i % len(LAST)]} {rng.choice(['Labs', 'Group', 'GmbH', 'Inc', 'Systems', 'Partners'])} {i}",
                rng.choice(INDUSTRIES),
                int(rng.lognormvariate(4.5, 1.6)) + 1,
                int(rng.lognormvariate(15, 1.5)) * 100,
                rng.choices(countries, country_weights)[0],
                None,
                stamp,
                stamp,
            )
            for i in range(1, org_count + 1)
        ),
    )
    person_count = sizes["persons"]
    person_org = [0] + [rng.randrange(1, org_count + 1) for _ in range(person_count)]
    rows["persons"] = _insert(
        db,
        "persons",
        ("id", "name", "job_title", "organization_id", "emails", "phones", "decision_role", "created_at", "updated_at"),
        (
            (
                i,
                f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}",
                rng.choice(["CTO", "Head of Sales", "Buyer", "CFO", "Engineer", "Office manager"]),
                person_org[i],
                json.dumps([{"label": "work", "value": f"person{i}@example.org"}]),
                json.dumps([{"label": "work", "value": f"+1555{i:07d}"}]),
                rng.choice(["decision_maker", "influencer", "user", "gatekeeper"]),
                stamp,
                stamp,
            )
            for i in range(1, person_count + 1)
        ),
    )
    product_prices = [0] + [int(rng.lognormvariate(7.5, 1.2)) * 100 for _ in range(sizes["products"])]
    rows["products"] = _insert(
        db,
        "products",
        (
            "id",
            "sku",
            "name",
            "category",
            "list_price",
            "currency",
            "unit",
            "billing_term",
            "is_active",
            "created_at",
            "updated_at",
        ),
        (
            (
                i,
                f"SKU-{i:04d}",
                f"{rng.choice(CATEGORIES)} product {i}",
                rng.choice(CATEGORIES),
                product_prices[i],
                "USD",
                rng.choice(UNITS),
                rng.choice(TERMS),
                1,
                stamp,
                stamp,
            )
            for i in range(1, sizes["products"] + 1)
        ),
    )

    # --- leads -----------------------------------------------------------------------------------------------
    stage_rows = [s for s in stages if s[1] in STAGE_WEIGHTS]
    stage_of = rng.choices(stage_rows, [STAGE_WEIGHTS[s[1]] for s in stage_rows], k=leads)
    source_of = rng.choices([*source_ids, None], [*SOURCE_WEIGHTS[: len(source_ids)], 4], k=leads)
    user_weights = _zipf_weights(sizes["users"], 0.6)
    owner_of = rng.choices([*range(1, sizes["users"] + 1), None], [*user_weights, sum(user_weights) * 0.05], k=leads)
    tag_weights = _zipf_weights(len(TAG_NAMES))
    tag_ids = list(range(1, len(TAG_NAMES) + 1))
    product_weights = _zipf_weights(sizes["products"], 0.8)
    product_ids = list(range(1, sizes["products"] + 1))
    span = 3 * 365 * 86400
    now_ts = now.timestamp()
    detail_lead_id = leads // 2 + 1

    lead_rows: list[tuple[Any, ...]] = []
    tag_rows: list[tuple[int, int]] = []
    line_rows: list[tuple[Any, ...]] = []
    activity_rows: list[tuple[Any, ...]] = []
    counts = {"leads": 0, "lead_tags": 0, "lead_products": 0, "activities": 0}
    line_id = activity_id = 0
    lead_columns = [
        "id",
        "title",
        "description",
        "value",
        "currency",
        "status",
        "lost_reason",
        "closed_at",
        "source_id",
        "lead_type_id",
        "sales_person_id",
        "person_id",
        "organization_id",
        "pipeline_id",
        "stage_id",
        "stage_entered_at",
        "expected_close_date",
        "score",
        "temperature",
        "version",
        "created_at",
        "updated_at",
    ]

    def flush(final: bool = False) -> None:
        for table, columns, buffer in (
            ("leads", lead_columns, lead_rows),
            ("lead_tags", ("lead_id", "tag_id"), tag_rows),
            (
                "lead_products",
                [
                    "id",
                    "lead_id",
                    "product_id",
                    "position",
                    "quantity",
                    "unit_price",
                    "discount_percent",
                    "amount",
                    "created_at",
                    "updated_at",
                ],
                line_rows,
            ),
            ("activities", ["id", "lead_id", "kind", "title", "body", "data", "actor_id", "created_at"], activity_rows),
        ):
            if buffer and (final or len(buffer) >= BATCH):
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                db.executemany(sql, buffer)
                counts[table] += len(buffer)
                buffer.clear()

    # Leads arrive at a growing rate: created_at skews towards the recent past (sqrt of a uniform).
    for lead_id in range(1, leads + 1):
        stage_id, _stage_code, _probability, kind, position = stage_of[lead_id - 1]
        created_ts = now_ts - span * (1 - math.sqrt(rng.random()))
        entered_ts = created_ts + (now_ts - created_ts) * rng.random() ** 2
        updated_ts = entered_ts + (now_ts - entered_ts) * rng.random() * 0.3
        created, entered, updated = (
            datetime.fromtimestamp(created_ts, UTC),
            datetime.fromtimestamp(entered_ts, UTC),
            datetime.fromtimestamp(updated_ts, UTC),
        )
        person_id = rng.randrange(1, person_count + 1) if rng.random() < 0.9 else None
        org_id = (
            person_org[person_id] if person_id else (rng.randrange(1, org_count + 1) if rng.random() < 0.5 else None)
        )
        status = {"open": "open", "won": "won", "lost": "lost"}[kind]
        n_lines = 0 if rng.random() < 0.45 else min(5, int(rng.expovariate(0.8)) + 1)
        if lead_id == detail_lead_id:
            n_lines = 3
        value: int | None
        if n_lines:
            value = 0
            for position_in_lead, product_id in enumerate(rng.choices(product_ids, product_weights, k=n_lines)):
                line_id += 1
                quantity = rng.choice([1, 1, 1, 2, 5, 10, 25])
                discount = rng.choice([None, None, None, 500, 1000, 2000])  # 5-20 %, scale 2
                gross = quantity * product_prices[product_id]
                amount = gross if discount is None else round(gross * (10000 - discount) / 10000)
                value += amount
                line_rows.append(
                    (
                        line_id,
                        lead_id,
                        product_id,
                        position_in_lead,
                        quantity * 1000,
                        product_prices[product_id],
                        discount,
                        amount,
                        _ts(created),
                        _ts(created),
                    )
                )
        else:
            value = int(rng.lognormvariate(8.8, 1.3)) * 100 if rng.random() < 0.88 else None
        score = min(100, max(0, int(rng.triangular(0, 100, 45))))
        temperature = "hot" if score >= 80 else "warm" if score >= 50 else "cold" if score >= 25 else "unqualified"
        close_date = (created + timedelta(days=rng.randrange(30, 180))).date().isoformat()
        if rng.random() < 0.15 and status == "open":
            close_date = None
        title = f"{rng.choice(CATEGORIES)} deal #{lead_id}"
        lead_rows.append(
            (
                lead_id,
                title,
                None,
                value,
                "USD",
                status,
                rng.choice(LOST_REASONS) if status == "lost" else None,
                _ts(entered) if status != "open" else None,
                source_of[lead_id - 1],
                lead_type_ids[0] if rng.random() < 0.7 else lead_type_ids[-1],
                owner_of[lead_id - 1],
                person_id,
                org_id,
                1,
                stage_id,
                _ts(entered),
                close_date,
                score,
                temperature,
                1,
                _ts(created),
                _ts(updated),
            )
        )
        n_tags = rng.choices((0, 1, 2, 3, 4), (30, 35, 20, 10, 5))[0]
        for tag_id in sorted(set(rng.choices(tag_ids, tag_weights, k=n_tags))):
            tag_rows.append((lead_id, tag_id))
        # The timeline: created, one entry per stage passed, and a few notes and calls.
        entries = [("lead_created", None, None, {"stage": "New"}, created)]
        for step in range(1, position + 1):
            at = created + (entered - created) * (step / (position + 1))
            entries.append(("stage_changed", None, None, {"to_stage_id": stages[step][0]}, at))
        extra = DETAIL_TIMELINE if lead_id == detail_lead_id else int(rng.expovariate(1.0))
        for _ in range(extra):
            at = created + (updated - created) * rng.random()
            entries.append(
                (rng.choice(["note", "call", "email", "meeting"]), "Follow-up", "Talked about pricing.", {}, at)
            )
        for kind_, a_title, body, data, at in entries:
            activity_id += 1
            activity_rows.append(
                (activity_id, lead_id, kind_, a_title, body, json.dumps(data), owner_of[lead_id - 1], _ts(at))
            )
        if len(lead_rows) >= BATCH:
            flush()
    flush(final=True)
    rows.update(counts)
    db.execute("COMMIT")

    for ddl in index_ddl:
        db.execute(ddl)
    db.execute("DELETE FROM lead_stage_totals")
    db.execute(STAGE_TOTALS)
    for _, ddl in triggers:
        db.execute(ddl)
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return Generated(path, leads, time.perf_counter() - started, rows, detail_lead_id)


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def size_label(leads: int) -> str:
    if leads >= 1_000_000 and leads % 1_000_000 == 0:
        return f"{leads // 1_000_000}M"
    if leads >= 1_000 and leads % 1_000 == 0:
        return f"{leads // 1_000}k"
    return str(leads)
