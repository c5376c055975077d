"""FastExecutionContext answers every operation exactly as Strawberry's stock execution context does.

A differential test: on one realistic database (two pipelines, leads with and without contact person,
organization, sales person, value, tags, products, competitors and timeline, a rotting lead, won and lost deals,
saved filters) each operation below runs through the app twice, once per execution context, and the two answers
must be the same: `data` (values and field order) and the errors (message, path, locations, extensions).
Mutations run on twin leads created identically, one twin per context.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import strawberry
from sqlalchemy import update
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from backend.api.execution import FastExecutionContext
from backend.api.relay import to_global_id
from backend.auth.http import COOKIE
from backend.auth.service import create_user, start_session
from backend.db import write_transaction
from backend.leads.models import Lead
from backend.schema import schema
from tests.api.conftest import Leads
from tests.conftest import Api

# --- the two execution contexts ---------------------------------------------------------------------------------


class CountedStock(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's stock context, counting the operations it runs (so a swap that did not take shows)."""

    made = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        CountedStock.made += 1


class CountedFast(FastExecutionContext):
    """The fast context, counting likewise."""

    made = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        CountedFast.made += 1


@pytest.fixture
def restore_execution_context() -> Iterator[None]:
    """Whatever a test swaps in, the schema gets its own execution context back."""
    original = schema.execution_context_class
    yield
    schema.execution_context_class = original


# --- operations -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    name: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    # Whether the answer must carry errors: a check that the operation tests what its name says.
    fails: bool = False
    fails_for_rep: bool | None = None  # None: as for the administrator


CARD = """fragment Card on Lead {
  __typename id title value currency status weightedValue isRotting daysInStage expectedCloseDate score temperature
  contactPerson { __typename id name organization { __typename name } }
  organization { __typename id name industry country }
  salesPerson { __typename id name initials }
  tags { __typename id name color }
}"""

DETAIL = """fragment Detail on Lead {
  __typename id title description value currency status lostReason closedAt expectedCloseDate score temperature
  stageEnteredAt createdAt updatedAt version externalId winLossFactors weightedValue isRotting daysInStage
  source { __typename name category } leadType { name }
  stage { __typename id name kind probability pipeline { name rottingDays } }
  pipeline { name stages { name } }
  contactPerson { name jobTitle emails { label value } phones { label value } decisionRole preferredChannel }
  organization { name employeeCount annualRevenue website }
  salesPerson { name email isActive initials role { code leadVisibility } }
  tags { name color }
  products {
    __typename id quantity unitPrice discountPercent discountAmount isCustomPrice termMonths amount
    monthlyValue annualValue totalContractValue product { sku name listPrice billingTerm unit } lead { title }
  }
  competitors { __typename id competitor product price strengths weaknesses notes wonTheDeal }
  timeline(first: 10) {
    totalCount pageInfo { hasNextPage hasPreviousPage }
    edges { node { __typename kind title body data actor { name } } }
  }
}"""

BOARD = (
    """query Board($first: Int, $filter: LeadFilter) {
  __typename
  defaultPipeline {
    __typename id name rottingDays isDefault position
    stages {
      __typename id code name position probability kind expectedDays
      leads(first: $first, filter: $filter) {
        __typename totalCount totalValue weightedValue
        pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
        edges { __typename cursor node { ...Card } }
      }
    }
  }
}
"""
    + CARD
)

LIST = (
    """query List($first: Int, $after: String, $filter: LeadFilter, $orderBy: [LeadOrder!], $saved: ID) {
  leads(first: $first, after: $after, filter: $filter, orderBy: $orderBy, savedFilter: $saved) {
    totalCount totalValue weightedValue
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ...Card stage { name } pipeline { name } source { name } leadType { name } } }
  }
}
"""
    + CARD
)

NODE_FIELDS = """__typename id
  ... on Lead { title stage { name } contactPerson { name } tags { name } }
  ... on Person { name organization { name } leads(first: 5) { totalCount edges { node { title } } } }
  ... on Organization { name industry }
  ... on User { name initials teams { name } }
  ... on Tag { name color }
  ... on Stage { name kind pipeline { name } }
  ... on Pipeline { name stages { name } }
  ... on Product { sku listPrice priceTiers { minQuantity unitPrice } }
  ... on LeadProduct { amount product { sku } lead { title } }
  ... on LeadCompetitor { competitor price }
  ... on SavedFilter { name filter isOwn }
  ... on Source { name category }
  ... on LeadType { name }"""


def _nodes(ids: dict[str, str]) -> str:
    """One aliased node(id:) per entry, each selecting every type's fields through inline fragments."""
    fields = "\n".join(
        f"  {alias}: node(id: {json.dumps(global_id)}) {{ {NODE_FIELDS} }}" for alias, global_id in ids.items()
    )
    return "{\n" + fields + "\n}"


@dataclass
class World:
    """The global ids of what the database holds, by a short name."""

    ids: dict[str, str]
    cursors: dict[str, str]
    rep_secret: str  # signs the client in as Rita Rep, a sales rep who sees only her own leads


def operations(w: World) -> list[Operation]:
    i = w.ids
    big_first = [{"field": "VALUE", "direction": "DESC", "nulls": "LAST"}]
    return [
        # The board, the page every rep lives on.
        Operation("board", BOARD, {"first": 20}),
        Operation("board, two cards a column", BOARD, {"first": 2}),
        Operation("board, filtered by tag", BOARD, {"first": 5, "filter": {"tags": {"anyOf": [i["tag hot"]]}}}),
        Operation("board, no card", BOARD, {"first": 0}),
        Operation(
            "the other pipeline's board",
            """query($id: ID!) { pipeline(id: $id) { name rottingDays stages { name leads { totalCount
              edges { node { title isRotting weightedValue contactPerson { name } salesPerson { name } } } } } } }""",
            {"id": i["pipeline partners"]},
        ),
        # The list: filters, sorts, pages.
        Operation("list, default order", LIST),
        Operation("list, by value, first page", LIST, {"first": 3, "orderBy": big_first}),
        Operation(
            "list, by value, after a cursor", LIST, {"first": 3, "after": w.cursors["by value"], "orderBy": big_first}
        ),
        Operation(
            "list, by sales person then title",
            LIST,
            {"orderBy": [{"field": "SALES_PERSON", "nulls": "FIRST"}, {"field": "TITLE", "direction": "DESC"}]},
        ),
        Operation(
            "list, open leads without a value", LIST, {"filter": {"status": {"eq": "OPEN"}, "value": {"isNull": True}}}
        ),
        Operation(
            "list, tagged hot or unassigned",
            LIST,
            {
                "filter": {"or": [{"tags": {"anyOf": [i["tag hot"]]}}, {"salesPerson": {"isNull": True}}]},
                "orderBy": [{"field": "TITLE"}],
            },
        ),
        Operation("list, rotting", LIST, {"filter": {"isRotting": True}}),
        Operation("list, search", LIST, {"filter": {"search": "acme"}}),
        Operation("list, a saved filter", LIST, {"saved": i["saved big deals"]}),
        Operation("list, a built-in saved filter", LIST, {"saved": i["saved my open leads"]}),
        Operation(  # Sam's lead: a rep who may not see it gets BAD_USER_INPUT
            "list, by one lead's id", LIST, {"filter": {"id": {"eq": i["lead rotting"]}}}, fails_for_rep=True
        ),
        Operation(
            "list, capped count and an empty page",
            "{ leads(first: 0) { capped: totalCount(atMost: 2) exact: totalCount pageInfo { hasNextPage endCursor } edges { cursor } } }",
        ),
        # One lead, everything about it.
        Operation(
            "lead detail, with products and competitors",
            "query($id: ID!) { lead(id: $id) { ...Detail } }\n" + DETAIL,
            {"id": i["lead acme"]},
        ),
        Operation(
            "lead detail, bare", "query($id: ID!) { lead(id: $id) { ...Detail } }\n" + DETAIL, {"id": i["lead bare"]}
        ),
        Operation(
            "won and lost leads, aliased",
            "query($won: ID!, $lost: ID!) { won: lead(id: $won) { ...Detail } lost: lead(id: $lost) { ...Detail } }\n"
            + DETAIL,
            {"won": i["lead won"], "lost": i["lead lost"]},
        ),
        Operation(
            "the same field aliased with different arguments",
            """query($id: ID!, $after: String) { lead(id: $id) {
              newest: timeline(first: 1) { totalCount edges { cursor node { kind } } pageInfo { hasNextPage } }
              older: timeline(first: 2, after: $after) { edges { node { kind title } } pageInfo { hasPreviousPage } }
              all: timeline { totalCount edges { node { kind } } }
              t1: title t2: title
            } few: leads(first: 1) { edges { node { title } } } many: leads(first: 4) { edges { node { title } } } }""",
            {"id": i["lead acme"], "after": w.cursors["acme timeline"]},
        ),
        # node(id:) through the interface, for every kind of object.
        Operation(
            "node, sales objects",
            _nodes(
                {
                    k.replace(" ", "_"): i[k]
                    for k in ("lead acme", "lead bare", "person ada", "person bob", "org acme", "user rita", "tag hot")
                }
            ),
        ),
        Operation(
            "node, catalogue and configuration",
            _nodes(
                {
                    k.replace(" ", "_"): i[k]
                    for k in (
                        "stage new",
                        "pipeline partners",
                        "product crm",
                        "line acme crm",
                        "competitor acme",
                        "saved big deals",
                        "source web",
                        "lead type new",
                    )
                }
            ),
        ),
        Operation(
            "node, ids that name nothing",
            _nodes(
                {
                    "garbage": "not an id",
                    "unknown_type": to_global_id("Nope", 1),
                    "missing_lead": to_global_id("Lead", 999_999),
                    "activity": to_global_id("Activity", 1),
                }
            ),
        ),
        # Named fragments, nested fragments, fragments on the interface.
        Operation(
            "named fragments",
            """query($id: ID!) { lead(id: $id) { ...Ident ...Money contactPerson { ...Ident ...PersonBits } }
              leads(first: 3) { edges { node { ...Ident ...Money } } } }
            fragment Ident on Node { __typename id }
            fragment Money on Lead { value weightedValue currency ...Ident }
            fragment PersonBits on Person { name organization { ...Ident name } }""",
            {"id": i["lead acme"]},
        ),
        # Directives.
        *(
            Operation(
                f"@include {people} / @skip {no_tags}",
                """query($people: Boolean!, $noTags: Boolean!) { leads(first: 10, orderBy: [{field: TITLE}]) {
                  edges { node { title
                    contactPerson @include(if: $people) { name }
                    tags @skip(if: $noTags) { name }
                    ... on Lead @include(if: $people) { organization { name } }
                    ... @skip(if: $noTags) { salesPerson { name } }
                    weightedValue @skip(if: $people) @include(if: $noTags)
                  } } } }""",
                {"people": people, "noTags": no_tags},
            )
            for people, no_tags in ((True, False), (False, True))
        ),
        # Contacts and their leads.
        Operation(
            "a person's leads",
            """query($id: ID!) { person(id: $id) { __typename name jobTitle department decisionRole preferredChannel
              bestContactHours emails { label value } phones { label value } organization { name }
              leads(first: 5, orderBy: [{field: VALUE, direction: DESC}]) { totalCount totalValue weightedValue
                edges { node { title value contactPerson { name leads { totalCount } } tags { name } } } } } }""",
            {"id": i["person ada"]},
        ),
        Operation(
            "persons and organizations",
            """{ persons(first: 10) { totalCount edges { cursor node { name organization { name }
                 leads(first: 3) { totalCount edges { node { title salesPerson { name } } } } } } }
               organizations { totalCount edges { node { __typename name industry country city } } } }""",
        ),
        Operation(
            "reference data",
            """{ tags { totalCount edges { node { name color } } } sources(first: 3) { edges { node { name category } } }
               leadTypes { edges { node { name } } } pipelines { edges { node { name isDefault rottingDays
               stages { name kind } } } } products { edges { node { sku name listPrice billingTerm termMonths } } } }""",
        ),
        # Aggregates and saved filters.
        Operation(
            "lead aggregate",
            """{ byStage: leadAggregate(groupBy: [STAGE, SALES_PERSON]) { groups { keys { dimension id value } count
                 valueCount sum average minimum maximum weightedValue } total { count sum average weightedValue } }
               byTag: leadAggregate(groupBy: [TAG], filter: {status: {eq: OPEN}}) { groups { keys { id value } count sum } }
               byStatus: leadAggregate(groupBy: [STATUS, SOURCE_CATEGORY]) { groups { keys { dimension value } count } } }""",
        ),
        Operation(
            "saved filters",
            """{ savedFilters { __typename id name filter orderBy view scope isBuiltin isOwn }
               board: savedFilters(view: BOARD) { name } }""",
        ),
        Operation(
            "introspection and root typename", '{ __typename __type(name: "Lead") { name kind interfaces { name } } }'
        ),
        # Errors: located, coded, propagated as far as the types make them.
        Operation("error: a malformed lead id", '{ lead(id: "no-such-id") { title } }', fails=True),
        Operation(
            "error: a filter naming an id of the wrong type",
            LIST,
            {"filter": {"and": [{"status": {"eq": "OPEN"}}, {"stage": {"eq": i["pipeline partners"]}}]}},
            fails=True,
        ),
        Operation(
            "error: a filter naming a tag that does not exist",
            LIST,
            {"filter": {"tags": {"anyOf": [i["tag hot"], to_global_id("Tag", 999_999)]}}},
            fails=True,
        ),
        Operation("error: an inverted range", LIST, {"filter": {"value": {"gt": "10", "lt": "5"}}}, fails=True),
        Operation(
            "error: a saved filter that does not exist",
            LIST,
            {"saved": to_global_id("SavedFilter", 999_999)},
            fails=True,
        ),
        Operation("error: a page too large", LIST, {"first": 101}, fails=True),
        Operation("error: a malformed cursor", LIST, {"after": "not-a-cursor"}, fails=True),
        Operation(
            "error: a non-null count nulls the whole response",
            "{ leads(first: 2) { totalCount(atMost: -1) edges { node { title } } } }",
            fails=True,
        ),
        Operation(
            "error: a column that fails nulls the pipeline",
            "{ defaultPipeline { name stages { name leads(first: -1) { totalCount } } } pipelines { totalCount } }",
            fails=True,
        ),
        Operation(
            "error: a card's field that fails nulls its lead only",
            """query($a: ID!, $b: ID!) { a: lead(id: $a) { title tags { name } timeline(first: -1) { totalCount } }
               b: lead(id: $b) { title tags { name } contactPerson { name } } }""",
            {"a": i["lead acme"], "b": i["lead rotting"]},  # the rep may not see b: null without an error
            fails=True,
        ),
        Operation(
            "error: several nullable fields fail",
            """{ a: lead(id: "x") { title } b: person(id: "y") { name } c: pipeline(id: "z") { name }
               ok: leads(first: 2) { totalCount edges { node { title } } } d: organization(id: "w") { name } }""",
            fails=True,
        ),
        Operation(
            "error: every card's contact person fails",
            """{ leads(first: 12, orderBy: [{field: TITLE}]) { totalCount edges { node { title
                 contactPerson { name leads(first: -1) { totalCount } } organization { name } tags { name } } } } }""",
            fails=True,
        ),
        Operation(
            "error: failing cards on a board",
            """{ defaultPipeline { stages { name leads(first: 3) { edges { node { title contactPerson { name }
                 timeline(first: -1) { totalCount } } } } } } tags { totalCount } }""",
            fails=True,
        ),
        Operation(
            "error: failing contact leads inside a persons page",
            "{ persons { edges { node { name leads(first: -5) { totalCount } } } } }",
            fails=True,
        ),
    ]


# --- mutations, on twins ----------------------------------------------------------------------------------------

PAYLOAD_LEAD = """lead { __typename title value currency status version stage { name kind } weightedValue isRotting
  daysInStage tags { name } contactPerson { name } organization { name } salesPerson { name }
  products { quantity amount product { sku } } timeline(first: 5) { totalCount edges { node { kind title data } } } }
errors { field code message }"""


@dataclass(frozen=True)
class Mutation:
    name: str
    query: str
    variables: Callable[[str], dict[str, Any]]  # the twin lead's global id -> the variables


def mutations(w: World) -> list[Mutation]:
    i = w.ids
    return [
        Mutation(
            "updateLead: value, tags, contact person",
            f"mutation($input: UpdateLeadInput!) {{ updateLead(input: $input) {{ {PAYLOAD_LEAD} }} }}",
            lambda lead: {
                "input": {
                    "id": lead,
                    "version": 1,
                    "value": "4321.10",
                    "tagIds": [i["tag hot"], i["tag renewal"]],
                    "contactPersonId": i["person ada"],
                }
            },
        ),
        Mutation(
            "updateLead: clearing value and tags",
            f"mutation($input: UpdateLeadInput!) {{ updateLead(input: $input) {{ {PAYLOAD_LEAD} }} }}",
            lambda lead: {"input": {"id": lead, "version": 1, "value": None, "tagIds": [], "salesPersonId": None}},
        ),
        Mutation(
            "updateLead: a stale version",
            f"mutation($input: UpdateLeadInput!) {{ updateLead(input: $input) {{ {PAYLOAD_LEAD} }} }}",
            lambda lead: {"input": {"id": lead, "version": 7, "title": "Too late"}},
        ),
        Mutation(
            "moveLead: to negotiation",
            f"mutation($input: MoveLeadInput!) {{ moveLead(input: $input) {{ {PAYLOAD_LEAD} }} }}",
            lambda lead: {
                "input": {"id": lead, "version": 1, "stageId": i["stage negotiation"], "reason": "Demo went well"}
            },
        ),
        Mutation(
            "moveLead: won",
            f"mutation($input: MoveLeadInput!) {{ moveLead(input: $input) {{ {PAYLOAD_LEAD} }} }}",
            lambda lead: {"input": {"id": lead, "version": 1, "stageId": i["stage won"], "wonValue": "999.99"}},
        ),
        Mutation(
            "moveLead: lost without a reason",
            f"mutation($input: MoveLeadInput!) {{ moveLead(input: $input) {{ {PAYLOAD_LEAD} }} }}",
            lambda lead: {"input": {"id": lead, "version": 1, "stageId": i["stage lost"]}},
        ),
        Mutation(
            "addLeadProduct",
            """mutation($input: AddLeadProductInput!) { addLeadProduct(input: $input) {
              line { quantity unitPrice amount monthlyValue totalContractValue product { sku } }
              lead { value weightedValue products { amount product { sku } } stage { name } }
              errors { field code message } } }""",
            lambda lead: {
                "input": {"leadId": lead, "productId": i["product support"], "quantity": "3", "termMonths": 24}
            },
        ),
        Mutation(
            "addLeadCompetitor and addActivity",
            """mutation($competitor: AddLeadCompetitorInput!, $note: AddActivityInput!) {
              addLeadCompetitor(input: $competitor) { competitor { competitor product price wonTheDeal } errors { code } }
              addActivity(input: $note) { activity { kind title body actor { name } } errors { code } } }""",
            lambda lead: {
                "competitor": {"leadId": lead, "competitor": "Rival Inc", "price": "10.50"},
                "note": {"leadId": lead, "kind": "CALL", "title": "Called", "body": "They are keen"},
            },
        ),
    ]


# --- comparing --------------------------------------------------------------------------------------------------


def _ordered(value: Any) -> Any:
    """The value with every object as a list of (key, value): field order counts too."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def _errors(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (e.get("message"), e.get("path"), e.get("locations"), json.dumps(e.get("extensions"), sort_keys=True))
        for e in body.get("errors") or []
    ]


async def _run(api: Api, context: type, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    original = schema.execution_context_class
    schema.execution_context_class = context
    try:
        return await api.post(query, variables)
    finally:
        schema.execution_context_class = original


@dataclass
class Comparison:
    compared: int = 0
    differences: list[str] = field(default_factory=list)
    expectation_misses: list[str] = field(default_factory=list)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def check(self, name: str, stock: dict[str, Any], fast: dict[str, Any]) -> None:
        self.compared += 1
        self.answers[name] = fast
        if _ordered(stock.get("data")) != _ordered(fast.get("data")) or _errors(stock) != _errors(fast):
            self.differences.append(
                f"{name}\n  stock: {json.dumps(stock, sort_keys=False)}\n  fast:  {json.dumps(fast, sort_keys=False)}"
            )

    def expect(self, name: str, fails: bool) -> None:
        has_errors = bool(self.answers[name].get("errors"))
        if has_errors != fails:
            self.expectation_misses.append(f"{name}: errors expected {fails}, got {self.answers[name]}")


async def _compare_operations(api: Api, world: World, comparison: Comparison, as_rep: bool) -> None:
    for op in operations(world):
        stock = await _run(api, CountedStock, op.query, op.variables)
        fast = await _run(api, CountedFast, op.query, op.variables)
        name = f"{'rep' if as_rep else 'admin'}: {op.name}"
        comparison.check(name, stock, fast)
        fails = op.fails_for_rep if as_rep and op.fails_for_rep is not None else op.fails
        comparison.expect(name, fails)


async def _compare_mutations(api: Api, leads: Leads, world: World, comparison: Comparison, who: str) -> None:
    for mutation in mutations(world):
        stock_twin, fast_twin = [await _twin(leads, world, who) for _ in range(2)]
        stock = await _run(api, CountedStock, mutation.query, mutation.variables(stock_twin))
        fast = await _run(api, CountedFast, mutation.query, mutation.variables(fast_twin))
        name = f"{who}: {mutation.name}"
        # The twins differ only by their ids, which the payloads do not select.
        comparison.check(name, stock, fast)


# --- the world --------------------------------------------------------------------------------------------------


async def _ok(api: Api, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The single payload of a mutation that must succeed."""
    data = await api.ok(query, variables)
    (payload,) = data.values()
    assert payload.get("errors", []) == [], payload
    result: dict[str, Any] = payload
    return result


async def _sales_rep(api: Api, name: str) -> tuple[int, str]:
    """A sales rep (who sees only their own leads) and a session secret to act as them."""
    async with write_transaction(api.session_factory) as session:
        user = await create_user(session, name, f"{name.lower().replace(' ', '.')}@example.com", None, "sales_rep")
        secret = await start_session(session, user, "pytest")
        return user.id, secret


async def _twin(leads: Leads, world: World, who: str) -> str:
    """A lead as the mutations start from: in New, with a value, a tag, a contact person, a source and Rita."""
    i = world.ids
    lead = await leads.create(
        title=f"Twin of {who}",
        value="250.00",
        stageId=i["stage new"],
        tagIds=[i["tag enterprise"]],
        contactPersonId=i["person bob"],
        salesPersonId=i["user rita"],
        sourceId=i["source web"],
    )
    global_id: str = lead["id"]
    return global_id


async def _given_a_realistic_crm(api: Api, leads: Leads) -> World:
    rita_id, rep_secret = await _sales_rep(api, "Rita Rep")
    sam_id, _ = await _sales_rep(api, "Sam Seller")
    ids: dict[str, str] = {"user rita": to_global_id("User", rita_id), "user sam": to_global_id("User", sam_id)}
    reference = await api.ok(
        """{ defaultPipeline { id stages { id code } } sources { edges { node { id name } } }
             leadTypes { edges { node { id name } } } }"""
    )
    ids["pipeline sales"] = reference["defaultPipeline"]["id"]
    ids |= {f"stage {s['code']}": s["id"] for s in reference["defaultPipeline"]["stages"]}
    ids["source web"] = next(
        e["node"]["id"] for e in reference["sources"]["edges"] if e["node"]["name"] == "Website form"
    )
    ids["lead type new"] = reference["leadTypes"]["edges"][0]["node"]["id"]

    partners = await _ok(
        api,
        """mutation($input: CreatePipelineInput!) { createPipeline(input: $input) {
             pipeline { id stages { id name } } errors { field code message } } }""",
        {
            "input": {
                "name": "Partners",
                "stages": [
                    {"name": "Prospect", "probability": 25},
                    {"name": "Signed", "probability": 100, "kind": "WON"},
                    {"name": "Dropped", "probability": 0, "kind": "LOST"},
                ],
            }
        },
    )
    ids["pipeline partners"] = partners["pipeline"]["id"]
    ids["stage prospect"] = partners["pipeline"]["stages"][0]["id"]

    for key, org in {
        "org acme": {
            "name": "Acme Corp",
            "industry": "Software",
            "country": "DE",
            "city": "Berlin",
            "employeeCount": 250,
        },
        "org globex": {
            "name": "Globex",
            "industry": "Retail",
            "annualRevenue": "1200000.00",
            "website": "https://globex.example",
        },
    }.items():
        created = await _ok(
            api,
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } errors { code } } }",
            {"input": org},
        )
        ids[key] = created["organization"]["id"]
    for key, person in {
        "person ada": {
            "name": "Ada Lovelace",
            "jobTitle": "CTO",
            "organizationId": ids["org acme"],
            "emails": [{"value": "ada@acme.example"}, {"value": "ada@home.example", "label": "home"}],
            "phones": [{"value": "+49 30 123456", "label": "mobile"}],
            "decisionRole": "DECISION_MAKER",
            "preferredChannel": "EMAIL",
        },
        "person bob": {"name": "Bob Builder"},
    }.items():
        created = await _ok(
            api,
            "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } errors { code } } }",
            {"input": person},
        )
        ids[key] = created["person"]["id"]
    for name, color in (("hot", "#e53935"), ("enterprise", "#1e88e5"), ("renewal", "#43a047")):
        ids[f"tag {name}"] = (await leads.tag(name, color))["id"]
    ids["product crm"] = (await leads.product("CRM-PRO", "1200.00", category="Software / CRM"))["id"]
    ids["product support"] = (
        await leads.product(
            "SUP-M",
            "50.00",
            billingTerm="MONTHLY",
            termMonths=12,
            priceTiers=[{"minQuantity": "10", "unitPrice": "40.00"}],
        )
    )["id"]

    acme = await leads.create(
        title="Acme rollout",
        description="Company-wide CRM",
        stageId=ids["stage qualified"],
        contactPersonId=ids["person ada"],
        salesPersonId=ids["user rita"],
        sourceId=ids["source web"],
        leadTypeId=ids["lead type new"],
        expectedCloseDate="2031-03-31",
        score=85,
        tagIds=[ids["tag hot"], ids["tag enterprise"]],
    )
    ids["lead acme"] = acme["id"]
    line = await _ok(
        api,
        "mutation($input: AddLeadProductInput!) { addLeadProduct(input: $input) { line { id } errors { code } } }",
        {"input": {"leadId": acme["id"], "productId": ids["product crm"], "quantity": "2", "discountPercent": "10"}},
    )
    ids["line acme crm"] = line["line"]["id"]
    await _ok(
        api,
        "mutation($input: AddLeadProductInput!) { addLeadProduct(input: $input) { line { id } errors { code } } }",
        {"input": {"leadId": acme["id"], "productId": ids["product support"], "quantity": "12"}},
    )
    competitor = await _ok(
        api,
        "mutation($input: AddLeadCompetitorInput!) { addLeadCompetitor(input: $input) { competitor { id } errors { code } } }",
        {
            "input": {
                "leadId": acme["id"],
                "competitor": "Rival Inc",
                "product": "RivalCRM",
                "price": "2000",
                "strengths": "Cheap",
            }
        },
    )
    ids["competitor acme"] = competitor["competitor"]["id"]
    for kind, title in (("NOTE", "Kick-off"), ("CALL", "Pricing call"), ("MEETING", "Workshop")):
        await _ok(
            api,
            "mutation($input: AddActivityInput!) { addActivity(input: $input) { activity { id } errors { code } } }",
            {"input": {"leadId": acme["id"], "kind": kind, "title": title, "body": f"{title} notes"}},
        )

    ids["lead bare"] = (await leads.create(title="Bare lead", salesPersonId=None))["id"]
    rotting = await leads.create(
        title="Rotting deal", value="100.00", stageId=ids["stage new"], salesPersonId=ids["user sam"]
    )
    ids["lead rotting"] = rotting["id"]
    won = await leads.create(
        title="Won deal",
        value="3000.00",
        stageId=ids["stage negotiation"],
        organizationId=ids["org globex"],
        salesPersonId=ids["user rita"],
    )
    ids["lead won"] = won["id"]
    await _ok(
        api,
        "mutation($input: MoveLeadInput!) { moveLead(input: $input) { lead { id } errors { code } } }",
        {
            "input": {
                "id": won["id"],
                "version": won["version"],
                "stageId": ids["stage won"],
                "winLossFactors": ["Price"],
            }
        },
    )
    lost = await leads.create(
        title="Lost deal", value="800.00", salesPersonId=ids["user sam"], tagIds=[ids["tag renewal"]]
    )
    ids["lead lost"] = lost["id"]
    await _ok(
        api,
        "mutation($input: MoveLeadInput!) { moveLead(input: $input) { lead { id } errors { code } } }",
        {
            "input": {
                "id": lost["id"],
                "version": lost["version"],
                "stageId": ids["stage lost"],
                "lostReason": "Too expensive",
            }
        },
    )
    await leads.create(
        title="Partner lead",
        value="750.50",
        stageId=ids["stage prospect"],
        contactPersonId=ids["person bob"],
        salesPersonId=ids["user rita"],
    )
    stages = ["new", "contacted", "qualified", "demo", "negotiation"]
    for n in range(8):
        await leads.create(
            title=f"Filler {n}",
            value=f"{(n + 1) * 111}.{n:02d}" if n % 3 else None,
            stageId=ids[f"stage {stages[n % 5]}"],
            salesPersonId=[ids["user rita"], ids["user sam"], None][n % 3],
            contactPersonId=ids["person ada"] if n % 2 else None,
            tagIds=[ids["tag hot"]] if n % 4 == 0 else [],
        )
    async with write_transaction(api.session_factory) as session:  # 45 days in New: past the 30 rotting days
        await session.execute(
            update(Lead)
            .where(Lead.title == "Rotting deal")
            .values(stage_entered_at=datetime.now(UTC) - timedelta(days=45))
        )

    saved = await _ok(
        api,
        """mutation($input: CreateSavedFilterInput!) { createSavedFilter(input: $input) {
             savedFilter { id } errors { field code message } } }""",
        {
            "input": {
                "name": "Big deals",
                "filter": {"value": {"gte": "500"}},
                "orderBy": [{"field": "VALUE", "direction": "DESC"}],
                "scope": "EVERYONE",
            }
        },
    )
    ids["saved big deals"] = saved["savedFilter"]["id"]
    builtins = await api.ok("{ savedFilters { id name } }")
    ids["saved my open leads"] = next(f["id"] for f in builtins["savedFilters"] if f["name"] == "My open leads")

    pages = await api.ok(
        """query($id: ID!) { leads(first: 3, orderBy: [{field: VALUE, direction: DESC, nulls: LAST}]) {
             pageInfo { endCursor } } lead(id: $id) { timeline(first: 1) { pageInfo { endCursor } } } }""",
        {"id": ids["lead acme"]},
    )
    cursors = {
        "by value": pages["leads"]["pageInfo"]["endCursor"],
        "acme timeline": pages["lead"]["timeline"]["pageInfo"]["endCursor"],
    }
    return World(ids=ids, cursors=cursors, rep_secret=rep_secret)


# --- the test ---------------------------------------------------------------------------------------------------


async def test_the_fast_execution_context_answers_exactly_like_strawberrys_stock_one(
    api: Api, leads: Leads, restore_execution_context: None
) -> None:
    # Given a CRM with realistic data
    world = await _given_a_realistic_crm(api, leads)
    comparison = Comparison()
    CountedStock.made = CountedFast.made = 0

    # When every operation runs through both execution contexts, as an administrator and as a sales rep
    await _compare_operations(api, world, comparison, as_rep=False)
    await _compare_mutations(api, leads, world, comparison, "admin")
    api.client.cookies.set(COOKIE, world.rep_secret)
    await _compare_operations(api, world, comparison, as_rep=True)
    await _compare_mutations(api, leads, world, comparison, "rep")

    # Then the answers are the same, operation for operation
    assert comparison.differences == [], "\n\n".join(comparison.differences)
    # and each context did run what it was given, and the operations do exercise what they are named after
    per_run = len(operations(world)) * 2 + len(mutations(world)) * 2
    assert (CountedStock.made, CountedFast.made) == (per_run, per_run)
    assert comparison.compared == per_run >= 25 * 2
    assert comparison.expectation_misses == [], "\n".join(comparison.expectation_misses)
    _then_the_board_shows_every_kind_of_card(comparison.answers["admin: board"])
    _then_a_rep_sees_only_their_own_leads(comparison.answers["rep: list, default order"], world)
    _then_the_mutations_changed_the_twins(comparison.answers)


def _then_the_board_shows_every_kind_of_card(board: dict[str, Any]) -> None:
    cards = [e["node"] for s in board["data"]["defaultPipeline"]["stages"] for e in s["leads"]["edges"]]
    assert any(c["isRotting"] for c in cards) and not all(c["isRotting"] for c in cards)
    assert any(c["contactPerson"] is None for c in cards) and any(c["contactPerson"] for c in cards)
    assert any(c["organization"] is None for c in cards) and any(c["organization"] for c in cards)
    assert any(c["salesPerson"] is None for c in cards) and any(c["salesPerson"] for c in cards)
    assert any(c["value"] is None and c["weightedValue"] is None for c in cards)
    assert any(c["tags"] == [] for c in cards) and any(len(c["tags"]) == 2 for c in cards)


def _then_a_rep_sees_only_their_own_leads(answer: dict[str, Any], world: World) -> None:
    owners = {e["node"]["salesPerson"]["id"] for e in answer["data"]["leads"]["edges"]}
    assert owners == {world.ids["user rita"]}


def _then_the_mutations_changed_the_twins(answers: dict[str, dict[str, Any]]) -> None:
    updated = answers["admin: updateLead: value, tags, contact person"]["data"]["updateLead"]["lead"]
    assert (updated["value"], updated["version"], [t["name"] for t in updated["tags"]]) == (
        "4321.10",
        2,
        ["hot", "renewal"],
    )
    won = answers["admin: moveLead: won"]["data"]["moveLead"]["lead"]
    assert (won["stage"]["name"], won["status"], won["weightedValue"]) == ("Won", "WON", "999.99")
    assert answers["rep: updateLead: clearing value and tags"]["data"]["updateLead"]["errors"][0]["code"] == "FORBIDDEN"


# --- what the responses cannot show: work left pending when a list item fails -------------------------------------


@strawberry.type
class Card:
    number: int
    settled: strawberry.Private[asyncio.Event]

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        self.settled.set()
        return "done"

    @strawberry.field
    def broken(self) -> str:
        if self.number == 1:
            raise ValueError("broken card")
        return "fine"


@strawberry.type
class Column:
    cards: list[Card]


@pytest.mark.parametrize("context", [StrawberryGraphQLCoreExecutionContext, FastExecutionContext])
async def test_a_card_failing_at_once_leaves_no_earlier_card_unsettled(context: type) -> None:
    # Given a column whose first card resolves a field later and whose second card fails at once (non-null)
    first_card_settled = asyncio.Event()

    @strawberry.type
    class Query:
        @strawberry.field
        def column(self) -> Column | None:
            return Column(
                cards=[Card(number=n, settled=first_card_settled if n == 0 else asyncio.Event()) for n in (0, 1)]
            )

    # When the column is asked for
    result = await strawberry.Schema(query=Query, execution_context_class=context).execute(
        "{ column { cards { later broken } } }"
    )

    # Then the failure nulls the column, and the first card's pending field still runs to its end (graphql-core
    # settles sibling work in the background rather than dropping it unawaited)
    assert result.data == {"column": None}
    assert [(e.message, e.path) for e in result.errors or []] == [("broken card", ["column", "cards", 1, "broken"])]
    await asyncio.wait_for(first_card_settled.wait(), timeout=1)
