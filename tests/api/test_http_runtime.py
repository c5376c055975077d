"""How the app serves responses: JSON encoding and the garbage collector settings of the running process."""

from __future__ import annotations

import gc
import json

from backend.app import GraphQLApp
from backend.settings import Settings


def test_responses_encode_to_the_same_json_as_the_stdlib() -> None:
    app = GraphQLApp(Settings(), {})
    data = {"data": {"lead": {"title": "Ünïcode ✓", "value": "12.50", "tags": [], "score": None, "open": True}}}

    assert json.loads(app.encode_json(data)) == data


def test_integers_past_64_bits_fall_back_to_the_stdlib() -> None:
    # Given a JSON scalar carrying an integer orjson cannot encode exactly
    app = GraphQLApp(Settings(), {})

    # Then the response is still exact JSON
    assert json.loads(app.encode_json({"data": {"n": 2**70}})) == {"data": {"n": 2**70}}


def test_the_app_collects_young_objects_less_often_once_started() -> None:
    # Given a started app (tune_garbage_collector runs in its lifespan)
    from backend.runtime import GC_THRESHOLD, tune_garbage_collector

    tune_garbage_collector()

    # Then startup objects are frozen and the gen-0 threshold is raised
    assert gc.get_threshold() == GC_THRESHOLD == (10_000, 10, 10)
    assert gc.get_freeze_count() > 1000
