"""Writing parsed records in bulk: a few Core statements per batch, whatever the batch size.

Reference rows (users, organizations, persons, products, tags, sources) are cached by their natural key for the
whole import, so each is looked up once; leads are matched by external id, inserted with executemany, and
updated only when something differs, which makes a second import of the same file a no-op for the database.
In a dry run the same code runs against a read-only connection: it counts instead of writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

import backend.models  # noqa: F401  (registers every table on Base.metadata)
from backend.activities.models import ActivityKind
from backend.db import Base, utcnow
from backend.imports.bulk import BulkInsert
from backend.imports.catalog import DbCatalog
from backend.imports.mapping import Mapping
from backend.imports.problems import ImportFailure
from backend.imports.records import LeadRecord, OrganizationRecord, PersonRecord, ProductRecord, UserRecord
from backend.imports.refcache import RefCache, chunks
from backend.imports.references import References
from backend.leads.models import LeadStatus
from backend.leads.service import status_for

TABLES = Base.metadata.tables
LEADS: Table = TABLES["leads"]
LINES: Table = TABLES["lead_products"]
LEAD_TAGS: Table = TABLES["lead_tags"]
STAGE_FIELDS = frozenset({"stage_id", "status", "stage_entered_at", "closed_at"})  # told by the STAGE_CHANGED entry
LEAD_COLUMNS = (
    "title",
    "description",
    "value",
    "currency",
    "status",
    "lost_reason",
    "closed_at",
    "source_id",
    "sales_person_id",
    "person_id",
    "organization_id",
    "pipeline_id",
    "stage_id",
    "stage_entered_at",
    "expected_close_date",
    "created_at",
)
# The columns each bulk INSERT gives, in every row.
INSERTED = {
    "leads": (*LEAD_COLUMNS, "external_id", "version", "updated_at"),
    "lead_products": (
        "lead_id",
        "product_id",
        "position",
        "quantity",
        "unit_price",
        "amount",
        "created_at",
        "updated_at",
    ),
    "lead_tags": ("lead_id", "tag_id"),
    "activities": ("lead_id", "kind", "data", "created_at"),
}
LAST_LEAD_ID = select(func.coalesce(func.max(LEADS.c.id), 0))
WRITE_PART = 1000  # records per round of statements within a batch's transaction
# Built once: each lookup then only binds its part's keys (an expanding IN), instead of building a statement.
EXISTING_LEADS = select(LEADS.c.id, LEADS.c.external_id, LEADS.c.version, *(LEADS.c[n] for n in LEAD_COLUMNS)).where(
    LEADS.c.external_id.in_(bindparam("keys", expanding=True))
)
EXISTING_LINES = (
    select(LINES.c.lead_id, LINES.c.product_id, LINES.c.quantity, LINES.c.unit_price, LINES.c.amount)
    .where(LINES.c.lead_id.in_(bindparam("keys", expanding=True)))
    .order_by(LINES.c.position)
)
EXISTING_TAGS = select(LEAD_TAGS.c.lead_id, LEAD_TAGS.c.tag_id).where(
    LEAD_TAGS.c.lead_id.in_(bindparam("keys", expanding=True))
)


# --- leads -------------------------------------------------------------------------------------------------------


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Existing:
    """A lead of this batch that the database holds already, as it is now."""

    id: int
    version: int
    columns: dict[str, Any]
    lines: list[tuple[Any, ...]]
    tag_ids: set[int]


@dataclass
class _Update:
    record: LeadRecord
    have: _Existing
    wanted: dict[str, Any]
    changes: list[dict[str, Any]]


Ids = dict[str, dict[str, int]]  # reference kind -> natural key -> id


@dataclass(frozen=True, slots=True)
class _Stage:
    """What a lead needs of its stage, read once per import rather than from the ORM object for every row."""

    id: int
    name: str
    status: LeadStatus


class LeadWriter:
    def __init__(self, mapping: Mapping, catalog: DbCatalog, *, dry_run: bool, file_name: str) -> None:
        self.mapping = mapping
        self.catalog = catalog
        self.dry_run = dry_run
        self.file_name = file_name
        self.users = RefCache(TABLES["users"], "external_id", dry_run)
        self.organizations = RefCache(TABLES["organizations"], "external_id", dry_run)
        self.persons = RefCache(TABLES["persons"], "external_id", dry_run)
        self.products = RefCache(TABLES["products"], "sku", dry_run)
        self.tags = RefCache(TABLES["tags"], "name", dry_run, compare=False)
        self.sources = RefCache(TABLES["sources"], "name", dry_run, compare=False)
        self._mapped = self._mapped_fields()
        self._stages = {code: _Stage(s.id, s.name, status_for(s)) for code, s in catalog.stages.items()}
        self._inserts: dict[str, BulkInsert] = {}  # by table name, compiled for the connection's dialect

    def reference_counts(self) -> dict[str, dict[str, int]]:
        caches = {
            "users": self.users,
            "organizations": self.organizations,
            "persons": self.persons,
            "products": self.products,
            "tags": self.tags,
            "sources": self.sources,
        }
        return {name: {"created": c.created, "updated": c.updated} for name, c in caches.items()}

    def _mapped_fields(self) -> set[str]:
        c = self.mapping.columns
        present = {
            "description": bool(c.description),
            "value": c.value is not None or c.product is not None,
            "lost_reason": c.lost_reason is not None,
            "source_id": c.source is not None,
            "sales_person_id": c.sales_person is not None,
            "person_id": c.contact_person is not None,
            "organization_id": c.organization is not None,
            "expected_close_date": c.close_date is not None,
            "lines": c.product is not None,
            "tags": c.tags is not None,
        }
        return {name for name, mapped in present.items() if mapped}

    async def prepare(self, conn: AsyncConnection, refs: References) -> None:
        """Declared sources and every row of the reference files, before the first lead."""
        self._inserts = {name: BulkInsert(TABLES[name], columns, conn.dialect) for name, columns in INSERTED.items()}
        wanted = {name: {"name": name, "category": category} for name, category in self.catalog.new_sources.items()}
        self.catalog.sources.update(await self.sources.resolve(conn, wanted))
        await self.users.resolve(conn, {u.external_id: u.columns() for u in refs.sales_persons.values()})
        await self.organizations.resolve(conn, {o.external_id: o.columns() for o in refs.organizations.values()})
        await self.products.resolve(conn, {p.sku: p.columns() for p in refs.products.values()})

    async def write_batch(self, conn: AsyncConnection, records: list[LeadRecord]) -> BatchResult:
        """One batch, in one transaction (conn's), written a part at a time: the rows, dicts and tuples built
        for the statements exist for one part only, so a large batch costs the memory of its records alone."""
        now = utcnow()
        result = BatchResult()
        for part in chunks(records, WRITE_PART):
            written = await self._write_part(conn, list(part), now)
            result.created += written.created
            result.updated += written.updated
            result.unchanged += written.unchanged
        return result

    async def _write_part(self, conn: AsyncConnection, records: list[LeadRecord], now: datetime) -> BatchResult:
        ids = await self._reference_ids(conn, records)
        existing = await self._existing(conn, [r.external_id for r in records])
        result = BatchResult()
        new: list[tuple[LeadRecord, dict[str, Any]]] = []
        changed: list[_Update] = []
        for record in records:
            have = existing.get(record.external_id)
            wanted = self._lead_columns(record, have, ids, now)
            if have is None:
                new.append((record, wanted))
            elif changes := self._changes(record, have, wanted, ids):
                changed.append(_Update(record, have, wanted, changes))
            else:
                result.unchanged += 1
        result.created, result.updated = len(new), len(changed) + result.unchanged
        if not self.dry_run:
            await self._insert_leads(conn, new, ids, now)
            await self._update_leads(conn, changed, ids, now)
        return result

    # resolving the references of a batch

    async def _reference_ids(self, conn: AsyncConnection, records: list[LeadRecord]) -> Ids:
        users: dict[str, UserRecord] = {r.sales_person.external_id: r.sales_person for r in records if r.sales_person}
        orgs: dict[str, OrganizationRecord] = {
            r.organization.external_id: r.organization for r in records if r.organization
        }
        orgs.update(
            {
                r.person.organization.external_id: r.person.organization
                for r in records
                if r.person and r.person.organization
            }
        )
        persons: dict[str, PersonRecord] = {r.person.external_id: r.person for r in records if r.person}
        products: dict[str, ProductRecord] = {r.product.sku: r.product for r in records if r.product}
        tags = {t for r in records for t in r.tags}
        org_ids = await self.organizations.resolve(conn, {k: o.columns() for k, o in orgs.items()})
        person_rows = {
            k: p.columns() | {"organization_id": org_ids.get(p.organization.external_id) if p.organization else None}
            for k, p in persons.items()
        }
        return {
            "users": await self.users.resolve(conn, {k: u.columns() for k, u in users.items()}),
            "organizations": org_ids,
            "persons": await self.persons.resolve(conn, person_rows),
            "products": await self.products.resolve(conn, {k: p.columns() for k, p in products.items()}),
            "tags": await self.tags.resolve(conn, {t: {"name": t} for t in tags}),
        }

    async def _existing(self, conn: AsyncConnection, external_ids: list[str]) -> dict[str, _Existing]:
        found: dict[str, _Existing] = {}
        for part in chunks(external_ids):
            for row in (await conn.execute(EXISTING_LEADS, {"keys": list(part)})).mappings():
                found[row["external_id"]] = _Existing(
                    row["id"], row["version"], {n: row[n] for n in LEAD_COLUMNS}, [], set()
                )
        by_id = {e.id: e for e in found.values()}
        for lead_ids in chunks(list(by_id)):
            for line in await conn.execute(EXISTING_LINES, {"keys": list(lead_ids)}):
                by_id[line[0]].lines.append(tuple(line[1:]))
            for lead_id, tag_id in await conn.execute(EXISTING_TAGS, {"keys": list(lead_ids)}):
                by_id[lead_id].tag_ids.add(tag_id)
        return found

    # the lead's columns

    def _lead_columns(self, record: LeadRecord, have: _Existing | None, ids: Ids, now: datetime) -> dict[str, Any]:
        stage = self._stages[record.stage_code]
        status = stage.status
        old = have.columns if have else {}
        created_at = record.created_at or old.get("created_at") or now
        closed = status != LeadStatus.OPEN
        same_stage = have is not None and old["stage_id"] == stage.id
        if closed:
            still_closed = have is not None and old["status"] == status
            closed_at = record.closed_at or (old["closed_at"] if still_closed else None) or now
        else:
            closed_at = None
        # Entering a stage: when it closed, when it was created (a new open lead), or now (moved by this import).
        entered = old["stage_entered_at"] if same_stage else (closed_at if closed else (now if have else created_at))
        wanted: dict[str, Any] = {
            "title": record.title,
            "description": record.description,
            "value": record.value,
            "currency": record.currency,
            "status": status,
            "lost_reason": record.lost_reason if status == LeadStatus.LOST else None,
            "closed_at": closed_at,
            "source_id": self.catalog.sources.get(record.source) if record.source else None,
            "sales_person_id": ids["users"].get(record.sales_person.external_id) if record.sales_person else None,
            "person_id": ids["persons"].get(record.person.external_id) if record.person else None,
            "organization_id": _org_id(record, ids),
            "pipeline_id": self.catalog.pipeline_id,
            "stage_id": stage.id,
            "stage_entered_at": entered,
            "expected_close_date": record.expected_close_date,
            "created_at": created_at,
        }
        return self._keep_unmapped(wanted, have, status)

    def _keep_unmapped(self, wanted: dict[str, Any], have: _Existing | None, status: LeadStatus) -> dict[str, Any]:
        """Fields the mapping does not read keep what the CRM holds (a lost reason typed in by hand, say)."""
        if have is None:
            return wanted
        for name in ("description", "value", "source_id", "sales_person_id", "person_id", "organization_id"):
            if name not in self._mapped:
                wanted[name] = have.columns[name]
        if "expected_close_date" not in self._mapped:
            wanted["expected_close_date"] = have.columns["expected_close_date"]
        if "lost_reason" not in self._mapped and status == LeadStatus.LOST:
            wanted["lost_reason"] = have.columns["lost_reason"]
        if "lines" not in self._mapped and have.lines:
            wanted["value"] = have.columns["value"]  # the value of a lead with lines is theirs to say
        return wanted

    def _lines(self, record: LeadRecord, lead_id: int, ids: Ids) -> list[dict[str, Any]]:
        if record.product is None or record.unit_price is None or record.value is None:
            return []
        return [
            {
                "lead_id": lead_id,
                "product_id": ids["products"][record.product.sku],
                "position": 0,
                "quantity": Decimal(1),
                "unit_price": record.unit_price,
                "amount": record.value,
            }
        ]

    def _changes(self, record: LeadRecord, have: _Existing, wanted: dict[str, Any], ids: Ids) -> list[dict[str, Any]]:
        changes = [
            {"field": name, "old": _shown(have.columns[name]), "new": _shown(value)}
            for name, value in wanted.items()
            if have.columns[name] != value
        ]
        if "lines" in self._mapped:
            lines = [
                (ln["product_id"], ln["quantity"], ln["unit_price"], ln["amount"])
                for ln in self._lines(record, have.id, ids)
            ]
            if lines != have.lines:
                changes.append({"field": "products", "old": len(have.lines), "new": len(lines)})
        if "tags" in self._mapped:
            tag_ids = {ids["tags"][t] for t in record.tags}
            if tag_ids != have.tag_ids:
                changes.append({"field": "tags", "old": len(have.tag_ids), "new": list(record.tags)})
        return changes

    # writing

    def _imported(self, record: LeadRecord) -> dict[str, Any]:
        return {"mapping": self.mapping.name, "file": self.file_name, "line": record.line}

    async def _insert_leads(
        self,
        conn: AsyncConnection,
        new: list[tuple[LeadRecord, dict[str, Any]]],
        ids: Ids,
        now: datetime,
    ) -> None:
        if not new:
            return
        for record, wanted in new:
            wanted["external_id"] = record.external_id
        last_id = await conn.scalar(LAST_LEAD_ID)
        await self._inserts["leads"].execute(conn, [w for _, w in new], same={"version": 1, "updated_at": now})
        lead_ids = await self._new_ids(conn, last_id or 0, {r.external_id for r, _ in new})
        lines = [line for r, _ in new for line in self._lines(r, lead_ids[r.external_id], ids)]
        await self._inserts["lead_products"].execute(conn, lines, same={"created_at": now, "updated_at": now})
        tags = [{"lead_id": lead_ids[r.external_id], "tag_id": ids["tags"][t]} for r, _ in new for t in r.tags]
        activities = [
            {
                "lead_id": lead_ids[r.external_id],
                "data": {"stage": self._stages[r.stage_code].name, "imported": self._imported(r)},
                "created_at": wanted["created_at"],
            }
            for r, wanted in new
        ]
        await self._inserts["lead_tags"].execute(conn, tags)
        await self._inserts["activities"].execute(conn, activities, same={"kind": ActivityKind.LEAD_CREATED})

    async def _update_leads(self, conn: AsyncConnection, changed: list[_Update], ids: Ids, now: datetime) -> None:
        if not changed:
            return
        params = [{**u.wanted, "b_id": u.have.id, "b_version": u.have.version, "updated_at": now} for u in changed]
        stmt = (
            update(LEADS)
            .where(LEADS.c.id == bindparam("b_id"), LEADS.c.version == bindparam("b_version"))
            .values(version=LEADS.c.version + 1)
        )
        result = await conn.execute(stmt, params)
        # The version check: someone edited one of these leads meanwhile (asyncpg cannot count executemany rows).
        if conn.dialect.supports_sane_multi_rowcount and result.rowcount != len(params):
            raise ImportFailure("leads changed in the CRM while this batch was written; run the import again")
        lead_ids = [u.have.id for u in changed]
        if "lines" in self._mapped:
            lines = [line for u in changed for line in self._lines(u.record, u.have.id, ids)]
            await self._replace(conn, LINES, lead_ids, lines, same={"created_at": now, "updated_at": now})
        if "tags" in self._mapped:
            tags = [{"lead_id": u.have.id, "tag_id": ids["tags"][t]} for u in changed for t in u.record.tags]
            await self._replace(conn, LEAD_TAGS, lead_ids, tags)
        activities = [a for u in changed for a in self._change_activities(u, now)]
        await self._inserts["activities"].execute(conn, activities)

    def _change_activities(self, update: _Update, now: datetime) -> list[dict[str, Any]]:
        """The timeline entries a change makes: the stage move, and the other fields that changed."""
        record, have, wanted = update.record, update.have, update.wanted
        activities = []
        if have.columns["stage_id"] != wanted["stage_id"]:
            old = next((s for s in self.catalog.stages.values() if s.id == have.columns["stage_id"]), None)
            target = self._stages[record.stage_code]
            data = {
                "from_stage_id": have.columns["stage_id"],
                "from_stage": old.name if old else None,
                "to_stage_id": target.id,
                "to_stage": target.name,
                "reason": f"imported from {self.file_name}",
                "lost_reason": wanted["lost_reason"],
                "won_value": str(wanted["value"])
                if wanted["status"] == LeadStatus.WON and wanted["value"] is not None
                else None,
                "imported": self._imported(record),
            }
            activities.append({"lead_id": have.id, "kind": ActivityKind.STAGE_CHANGED, "data": data, "created_at": now})
        others = [
            c for c in update.changes if c["field"] not in ("stage_id", "status", "stage_entered_at", "closed_at")
        ]
        if others:
            data = {"changes": others, "imported": self._imported(record)}
            activities.append(
                {"lead_id": have.id, "kind": ActivityKind.FIELDS_CHANGED, "data": data, "created_at": now}
            )
        return activities

    async def _new_ids(self, conn: AsyncConnection, last_id: int, external_ids: set[str]) -> dict[str, int]:
        """The ids of the leads just inserted: a new row's id is above every existing one (SQLite takes the
        largest plus one, PostgreSQL a sequence), so one range read finds them, where looking them up by external
        id took IN lists of hundreds. Leads that another writer added meanwhile are left out."""
        stmt = select(LEADS.c.external_id, LEADS.c.id).where(LEADS.c.id > last_id)
        found = {external_id: id_ for external_id, id_ in await conn.execute(stmt) if external_id in external_ids}
        if len(found) < len(external_ids):  # a PostgreSQL sequence behind ids inserted by hand, say
            found.update(await self._ids_of(conn, [e for e in external_ids if e not in found]))
        return found

    async def _ids_of(self, conn: AsyncConnection, external_ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in chunks(external_ids):
            stmt = select(LEADS.c.external_id, LEADS.c.id).where(LEADS.c.external_id.in_(part))
            found.update({row[0]: row[1] for row in await conn.execute(stmt)})
        return found

    async def _replace(
        self,
        conn: AsyncConnection,
        table: Table,
        lead_ids: list[int],
        rows: list[dict[str, Any]],
        same: dict[str, Any] | None = None,
    ) -> None:
        for part in chunks(lead_ids):
            await conn.execute(delete(table).where(table.c.lead_id.in_(part)))
        await self._inserts[table.name].execute(conn, rows, same)


def _org_id(record: LeadRecord, ids: Ids) -> int | None:
    organization = record.organization or (record.person.organization if record.person else None)
    return ids["organizations"].get(organization.external_id) if organization else None


def _shown(value: Any) -> Any:
    """A JSON-friendly form of a column value for the timeline."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "value", value)
