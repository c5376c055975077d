"""The generator on its own, without a database: tiny data sets and pipelines other than the default."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from backend.demo.dataset import generate, sizes
from backend.demo.leads import Pipeline, allocate
from backend.leads.models import SourceCategory
from backend.pipelines.models import Stage, StageKind
from tests.demo.conftest import NOW, TODAY


def pipeline(*stages: tuple[str, StageKind, int | None], rotting_days: int = 30) -> Pipeline:
    return Pipeline(
        id=1,
        stages=[
            Stage(id=i + 1, code=code, name=code.title(), position=i, probability=50, kind=kind, expected_days=days)
            for i, (code, kind, days) in enumerate(stages)
        ],
        rotting_days=rotting_days,
        sources=[(1, "Website form", SourceCategory.DIGITAL), (2, "Cold call", SourceCategory.SALES_GENERATED)],
        lead_types={"New business": 1, "Existing business": 2},
    )


DEFAULT = pipeline(
    ("new", StageKind.OPEN, 3),
    ("contacted", StageKind.OPEN, 7),
    ("qualified", StageKind.OPEN, 14),
    ("demo", StageKind.OPEN, 14),
    ("negotiation", StageKind.OPEN, 21),
    ("won", StageKind.WON, None),
    ("lost", StageKind.LOST, None),
)


def test_allocation_is_exact_and_gives_every_stage_a_lead_when_it_can() -> None:
    assert allocate(3000, [19, 17, 12, 8, 6, 13, 25]) == [570, 510, 360, 240, 180, 390, 750]
    assert allocate(7, [19, 17, 12, 8, 6, 13, 25]) == [1] * 7
    assert sum(allocate(11, [5, 1, 1])) == 11


def test_seven_leads_fill_the_seven_stages() -> None:
    data = generate(DEFAULT, 7, seed=1, today=TODAY)
    assert sorted(lead.stage.code for lead in data.leads) == sorted(s.code for s in DEFAULT.stages)
    assert (len(data.users), len(data.orgs)) == sizes(7) == (3, 10)


def test_generating_is_pure() -> None:
    first, second = generate(DEFAULT, 200, seed=5, today=TODAY), generate(DEFAULT, 200, seed=5, today=TODAY)
    assert [lead.fields for lead in first.leads] == [lead.fields for lead in second.leads]
    assert [[a.data for a in lead.activities] for lead in first.leads] == [
        [a.data for a in lead.activities] for lead in second.leads
    ]
    later = generate(DEFAULT, 200, seed=5, today=TODAY + timedelta(days=1))
    assert later.leads[0].created_at != first.leads[0].created_at  # `today` anchors the history


def test_a_custom_pipeline_with_slow_rotting_stays_inside_the_year() -> None:
    custom = pipeline(
        ("lead", StageKind.OPEN, None),
        ("closing", StageKind.OPEN, 60),
        ("signed", StageKind.WON, None),
        ("dropped", StageKind.LOST, None),
        rotting_days=400,
    )
    data = generate(custom, 300, seed=2, today=TODAY)
    assert set(Counter(lead.stage.code for lead in data.leads)) == {"lead", "closing", "signed", "dropped"}
    for lead in data.leads:
        assert NOW - timedelta(days=366) <= lead.created_at <= lead.entered[-1] < NOW
        assert lead.entered == sorted(lead.entered) and len(set(lead.entered)) == len(lead.entered)
