"""format_gbp, exact rounding, and the vocabulary the contract fixes."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.costing import (
    CATEGORIES,
    LEVELS,
    MODES,
    ROLES,
    SCOPES,
    STAGES,
    TRAVEL,
    WORK_TYPES,
    format_gbp,
    vocabulary,
    vocabulary_document,
)
from app.costing.money import pounds, round_pence, to_decimal


@pytest.mark.parametrize("value, text", [
    (12345.67, "£12,345.67"), (Decimal("12345.675"), "£12,345.68"), (0, "£0.00"),
    (7419, "£7,419.00"), ("1234.5", "£1,234.50"), (-1, "-£1.00"), (Decimal("-0.004"), "£0.00"),
    (1_000_000_000, "£1,000,000,000.00"), (0.125, "£0.13"), (2.675, "£2.68"),
])
def test_format_gbp(value, text):
    assert format_gbp(value) == text


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "twelve", None, [1]])
def test_format_gbp_rejects_non_amounts(bad):
    with pytest.raises(ValueError):
        format_gbp(bad)


def test_half_up_not_bankers_rounding():
    assert round_pence(Decimal("28.325")) == Decimal("28.33")
    assert round_pence(Decimal("28.335")) == Decimal("28.34")
    assert round_pence(Decimal("-1.005")) == Decimal("-1.01")


def test_floats_are_read_as_their_decimal_text():
    assert to_decimal(0.1) == Decimal("0.1")
    assert pounds(Decimal("2640")) == 2640.0
    assert pounds(Decimal("1e400")) == 1e300  # clamped to a finite JSON number


def test_vocabulary_keys_are_the_contract():
    assert LEVELS == ("none", "limited", "good", "full")
    assert STAGES == ("setup", "scoping", "development", "delivery", "dissemination")
    assert SCOPES == ("local", "regional", "national")
    assert WORK_TYPES == ("research", "guidance", "training", "film", "consultancy", "events")
    assert TRAVEL == ("none", "local", "regional", "national")
    assert MODES == ("in_person", "remote")
    assert CATEGORIES == ("fees", "travel_subsistence", "accommodation", "access_support",
                          "accessible_formats", "venue_catering", "staff_coordination",
                          "training")
    assert len(ROLES) == 15


@pytest.mark.parametrize("key, label, hours, prep, multiplier, stage", [
    ("co_lead", "Co-lead with lived experience", "3.5", "1.0", "1.5", "setup"),
    ("advisory_group_chair", "Advisory group chair", "3.0", "2.0", "1.5", "scoping"),
    ("peer_researcher", "Peer researcher", "7.0", "1.0", "1.0", "development"),
    ("video_diarist", "Video diarist", "2.0", "0.5", "1.0", "development"),
    ("co_trainer", "Co-trainer (with a staff trainer)", "6.0", "2.0", "1.0", "delivery"),
    ("conference_speaker", "Conference speaker", "2.0", "3.0", "1.0", "dissemination"),
])
def test_role_catalogue(key, label, hours, prep, multiplier, stage):
    role = ROLES[key]
    assert (role.label, role.hours_per_session, role.prep_hours_per_session,
            role.fee_multiplier, role.stage) == (label, Decimal(hours), Decimal(prep),
                                                 Decimal(multiplier), stage)


def test_every_key_has_a_label():
    for keys, labels in ((LEVELS, vocabulary.LEVEL_LABELS), (STAGES, vocabulary.STAGE_LABELS),
                         (SCOPES, vocabulary.SCOPE_LABELS), (TRAVEL, vocabulary.TRAVEL_LABELS),
                         (WORK_TYPES, vocabulary.WORK_TYPE_LABELS),
                         (MODES, vocabulary.MODE_LABELS),
                         (CATEGORIES, vocabulary.CATEGORY_LABELS)):
        assert list(labels) == list(keys)
        assert all(labels.values())
    assert all(len(vocabulary.LEVEL_DESCRIPTIONS[level]) > 60 for level in LEVELS)


def test_vocabulary_document_is_json_in_order():
    document = json.loads(json.dumps(vocabulary_document()))
    assert [entry["key"] for entry in document["stages"]] == list(STAGES)
    assert document["levels"][0]["description"] == vocabulary.LEVEL_DESCRIPTIONS["none"]
    assert document["roles"][0] == {"key": "co_lead", "label": "Co-lead with lived experience",
                                    "hours_per_session": 3.5, "prep_hours_per_session": 1.0,
                                    "fee_multiplier": 1.5, "stage": "setup"}
