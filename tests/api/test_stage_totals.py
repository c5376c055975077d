"""The board's column totals come from lead_stage_totals, which database triggers keep: after every kind of write
(API mutations, the importer's bulk statements, a foreign-key action) the table holds exactly what a fresh
GROUP BY over the leads says. Runs on SQLite and PostgreSQL (the api fixtures are parametrized over both)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, text

from backend.api.relay import to_global_id
from backend.auth.models import User
from backend.auth.service import create_user
from backend.db import write_transaction
from backend.imports.service import ImportOptions, run_import
from backend.settings import Settings
from tests.api.conftest import Leads
from tests.conftest import Api, sign_in_as
from tests.imports.conftest import mapping_for, row, write_csv

FRESH = text(
    "SELECT stage_id, coalesce(sales_person_id, 0), count(*), coalesce(sum(value), 0) FROM leads"
    " GROUP BY stage_id, coalesce(sales_person_id, 0)"
)
# A cell whose leads all left holds zeros: the same as no row.
KEPT = text(
    "SELECT stage_id, sales_person_key, lead_count, value_cents_sum FROM lead_stage_totals"
    " WHERE lead_count <> 0 OR value_cents_sum <> 0"
)
Cells = dict[tuple[int, int], tuple[int, int]]

BOARD = """query($filter: LeadFilter) {
  defaultPipeline { stages { name leads(first: 2, filter: $filter) { totalCount totalValue weightedValue } } }
}"""


async def _cells(api: Api) -> tuple[Cells, Cells]:
    """(kept, fresh): the triggers' table and a GROUP BY over the leads, as {(stage, owner): (count, cents)}."""

    def as_cells(rows: Any) -> Cells:
        return {(int(s), int(o)): (int(n), int(v)) for s, o, n, v in rows}

    async with api.session_factory() as session:
        return as_cells((await session.execute(KEPT)).all()), as_cells((await session.execute(FRESH)).all())


async def _assert_exact(api: Api) -> Cells:
    kept, fresh = await _cells(api)
    assert kept == fresh
    return kept


async def _users(api: Api, *names: str) -> dict[str, str]:
    """Sales reps by name -> their global ids."""
    async with write_transaction(api.session_factory) as session:
        for name in names:
            await create_user(session, name, f"{name.split()[0].lower()}@example.com", None, "sales_rep")
    data = await api.ok("{ users { edges { node { id name } } } }")
    return {e["node"]["name"]: e["node"]["id"] for e in data["users"]["edges"]}


async def test_create_move_reassign_revalue_and_delete_keep_the_totals_exact(api: Api, leads: Leads) -> None:
    users = await _users(api, "Ann Rep", "Bob Rep")
    ann, bob = users["Ann Rep"], users["Bob Rep"]

    first = await leads.in_stage("New", value="100.10", salesPersonId=ann)
    second = await leads.in_stage("New", value="0.05", salesPersonId=ann)
    unvalued = await leads.in_stage("Contacted", salesPersonId=bob)
    unassigned = await leads.in_stage("Contacted", value="7.00", salesPersonId=None)
    kept = await _assert_exact(api)
    assert sum(n for n, _ in kept.values()) == 4

    moved = (await leads.move(first, "Qualified"))["lead"]
    await _assert_exact(api)
    reassigned = (await leads.update(id=second["id"], version=second["version"], salesPersonId=bob))["lead"]
    await leads.update(id=unassigned["id"], version=unassigned["version"], salesPersonId=ann)
    await _assert_exact(api)
    await leads.update(id=moved["id"], version=moved["version"], value="250.99")
    await leads.update(id=unvalued["id"], version=unvalued["version"], value="3.33")
    await leads.update(id=reassigned["id"], version=reassigned["version"], value=None)
    await _assert_exact(api)

    product = await leads.product("SKU-1", "40.00")
    await api.ok(
        "mutation($input: AddLeadProductInput!) { addLeadProduct(input: $input) { errors { code } } }",
        {"input": {"leadId": unvalued["id"], "productId": product["id"], "quantity": "3"}},
    )
    await _assert_exact(api)
    await api.ok("mutation($id: ID!) { deleteLead(input: {id: $id}) { deletedId } }", {"id": moved["id"]})
    kept = await _assert_exact(api)
    assert sum(n for n, _ in kept.values()) == 3


async def test_an_import_and_its_second_run_keep_the_totals_exact(api: Api, settings: Settings, tmp_path: Path) -> None:
    first = write_csv(
        tmp_path / "first.csv",
        [row(str(i), amount=f"{i}.5{i}", stage="Open" if i % 2 else "Won", owner=f"Rep {i % 3}") for i in range(9)],
    )
    report = await run_import(settings, first, mapping_for(), ImportOptions(batch_size=4))
    assert report.created == 9, report.problems
    await _assert_exact(api)

    # The same leads again, moved, revalued and handed to other owners: the importer's bulk UPDATE path.
    second = write_csv(
        tmp_path / "second.csv",
        [row(str(i), amount=f"{i * 3}.01", stage="Talking", owner=f"Rep {i % 2}") for i in range(9)],
    )
    report = await run_import(settings, second, mapping_for(), ImportOptions(batch_size=4))
    assert report.updated == 9, report.problems
    kept = await _assert_exact(api)
    assert sum(n for n, _ in kept.values()) == 9


async def test_a_deleted_users_leads_count_as_unassigned(api: Api, leads: Leads) -> None:
    users = await _users(api, "Gone Rep")
    await leads.in_stage("New", value="10.00", salesPersonId=users["Gone Rep"])
    await leads.in_stage("New", value="2.50", salesPersonId=None)

    async with write_transaction(api.session_factory) as session:
        await session.execute(delete(User).where(User.name == "Gone Rep"))  # the foreign key sets NULL

    kept = await _assert_exact(api)
    new_stage = next(stage for stage, owner in kept)
    assert kept == {(new_stage, 0): (2, 1250)}


async def test_the_board_reads_its_totals_from_the_kept_table_unless_the_user_filters(api: Api, leads: Leads) -> None:
    users = await _users(api, "Ann Rep")
    for value, stage in [("10.01", "New"), ("20.02", "New"), (None, "Won"), ("0.07", "Negotiation")]:
        await leads.in_stage(stage, value=value, salesPersonId=users["Ann Rep"])
    everything = {"or": [{"status": {"in": ["OPEN", "WON", "LOST"]}}]}  # matches all: only the path differs

    with api.sql as sql:
        kept = await api.ok(BOARD)
    kept_path = list(sql.statements)  # the counter is cleared by the next `with`
    with api.sql as sql:
        counted = await api.ok(BOARD, {"filter": everything})
    counted_path = list(sql.statements)

    assert kept == counted
    columns = {s["name"]: s["leads"] for s in kept["defaultPipeline"]["stages"]}
    assert columns["New"] == {"totalCount": 2, "totalValue": "30.03", "weightedValue": "3.00"}
    assert columns["Negotiation"]["weightedValue"] == "0.06"  # 0.07 × 80 % = 0.056, rounded half up once
    assert len([s for s in kept_path if "lead_stage_totals" in s]) == 1
    assert not [s for s in kept_path if "GROUP BY leads.stage_id" in s]
    assert not [s for s in counted_path if "lead_stage_totals" in s]
    assert len([s for s in counted_path if "GROUP BY leads.stage_id" in s]) == 1


async def test_a_reps_board_totals_cover_exactly_their_own_leads(api: Api, leads: Leads) -> None:
    users = await _users(api, "Ann Rep", "Bob Rep")
    await leads.in_stage("New", value="1.00", salesPersonId=users["Ann Rep"])
    await leads.in_stage("New", value="2.00", salesPersonId=users["Bob Rep"])
    await leads.in_stage("New", value="4.00", salesPersonId=None)
    cy = to_global_id("User", await sign_in_as(api, "Cy Rep", "sales_rep"))
    await api.ok(
        "mutation($input: CreateLeadInput!) { createLead(input: $input) { errors { code } } }",
        {"input": {"title": "Mine", "value": "8.00", "salesPersonId": cy}},
    )

    board = await api.ok(BOARD)

    new = next(s["leads"] for s in board["defaultPipeline"]["stages"] if s["name"] == "New")
    assert (new["totalCount"], Decimal(new["totalValue"])) == (1, Decimal("8.00"))
