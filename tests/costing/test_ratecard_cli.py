"""``python -m app.costing rate-card [ID]``: a card with every value's status, basis and date."""
from __future__ import annotations

import json

import pytest

from app.costing import RateCard
from app.costing.ratecard_fields import FIELDS
from tests.costing.test_cli_and_isolation import assert_invalid, run


@pytest.mark.parametrize("args, card_id", [((), "uk-2026-12"), (("uk-2026",), "uk-2026")])
def test_rate_card_prints_a_card_with_every_values_source(args, card_id):
    result = run("rate-card", *args)
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["id"] == card_id
    assert RateCard.from_dict(card).to_dict() == card  # a document the engine reads back
    for field in FIELDS:
        entry = card["sources"][field.path]
        assert entry["status"] in ("published", "derived", "assumed")
        assert entry["basis"] and entry["checked"]


def test_an_unknown_card_exits_2_naming_the_cards_held():
    [error] = assert_invalid(run("rate-card", "acme-2027"))
    assert error["field"] == "ID" and "uk-2026, uk-2026-12" in error["message"]
