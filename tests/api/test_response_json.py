"""GraphQL responses are encoded with orjson, and with the stdlib for what orjson refuses."""

from __future__ import annotations

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
