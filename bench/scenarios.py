"""The benchmark's GraphQL documents and the variables each scenario sends, derived from the database at hand."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.api.relay import to_global_id

BOARD = """query Board($first: Int!) {
  defaultPipeline {
    id name rottingDays
    stages {
      id name probability kind
      leads(first: $first) {
        totalCount totalValue weightedValue
        pageInfo { hasNextPage endCursor }
        edges { node {
          id title value currency weightedValue isRotting daysInStage expectedCloseDate version
          contactPerson { id name }
          organization { id name }
          salesPerson { id name initials }
          tags { id name color }
        } }
      }
    }
  }
}"""

LIST = """query List($filter: LeadFilter!, $first: Int!, $countAtMost: Int!) {
  leads(filter: $filter, orderBy: [{field: VALUE, direction: DESC}], first: $first) {
    totalCount(atMost: $countAtMost)
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id title value currency status expectedCloseDate createdAt
      stage { id name }
      salesPerson { id name }
      contactPerson { id name }
      organization { id name }
      source { id name }
      tags { id name }
    } }
  }
}"""

DETAIL = """query Detail($id: ID!) {
  lead(id: $id) {
    id title description value currency status version expectedCloseDate createdAt updatedAt
    stage { id name }
    contactPerson { id name emails { label value } }
    organization { id name }
    salesPerson { id name }
    tags { id name }
    products { id quantity unitPrice discountPercent amount product { id sku name } }
    timeline(first: 50) {
      pageInfo { hasNextPage }
      edges { node { id kind title body data createdAt } }
    }
  }
}"""

# The four list filters: open, from two sources, worth at least 5,000, tagged inbound or enterprise.
LIST_SOURCES = ("Website form", "Search")
LIST_TAGS = ("inbound", "enterprise")
LIST_MIN_VALUE = "5000"
# The list screen counts this far and then says "500+" (frontend/src/leads/LeadsPage.tsx, COUNT_CAP).
LIST_COUNT_AT_MOST = 500


AGGREGATE = """query Aggregate {
  leadAggregate(filter: {status: {eq: OPEN}}, groupBy: [SOURCE, STAGE]) {
    groups { keys { dimension id value } count sum weightedValue }
    total { count sum weightedValue }
  }
}"""


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    query: str
    variables: dict[str, Any]
    baseline_path: str
    baseline_params: dict[str, Any] = field(default_factory=dict)


def scenarios(db_path: Path, detail_lead_id: int) -> list[Scenario]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        source_ids = {name: i for i, name in db.execute("SELECT id, name FROM sources")}
        tag_ids = {name: i for i, name in db.execute("SELECT id, name FROM tags")}
    finally:
        db.close()
    list_filter = {
        "status": {"eq": "OPEN"},
        "source": {"in": [to_global_id("Source", source_ids[n]) for n in LIST_SOURCES]},
        "value": {"gte": LIST_MIN_VALUE},
        "tags": {"anyOf": [to_global_id("Tag", tag_ids[n]) for n in LIST_TAGS]},
    }
    return [
        Scenario("board", "board: 7 stages × 20 cards + totals", BOARD, {"first": 20}, "/bench/board", {"first": 20}),
        Scenario(
            "list",
            "list: 4 filters, by value, first 50 + count to 500",
            LIST,
            {"filter": list_filter, "first": 50, "countAtMost": LIST_COUNT_AT_MOST},
            "/bench/list",
            {
                "sources": ",".join(str(source_ids[n]) for n in LIST_SOURCES),
                "tags": ",".join(str(tag_ids[n]) for n in LIST_TAGS),
                "min_value": LIST_MIN_VALUE,
                "first": 50,
                "count_at_most": LIST_COUNT_AT_MOST,
            },
        ),
        Scenario(
            "detail",
            "detail: lead + products + last 50 timeline",
            DETAIL,
            {"id": to_global_id("Lead", detail_lead_id)},
            "/bench/detail",
            {"id": detail_lead_id},
        ),
        Scenario("aggregate", "aggregate: open value by source × stage", AGGREGATE, {}, "/bench/aggregate"),
    ]
