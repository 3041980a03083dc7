"""Fuzzing POST /api/v1/estimate: valid plans mutated every which way, and raw bodies.

The contract: 200 with the engine's estimate (``total_gbp`` a finite number, the
same document the engine gives for that plan), or 400 with a non-empty list of
errors, each with a ``field`` and a message. Never a 500, never anything that is
not strict JSON (Python's json reads and writes NaN and Infinity; JSON does not).
"""
from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app import costing
from app.extensions import db
from app.models import AuditEvent, PlanVersion, RateCard
from app.versions.engine import default_rate_card
from tests.test_api import WORKED_EXAMPLE, token_for

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Values the engine knows, so mutated documents often stay valid but for one field.
VOCABULARY = ["none", "limited", "good", "full", "uk-2026", "in_person", "remote", "local",
              "regional", "national", "training", "research", "scoping", "delivery",
              "advisory_group_member", "2027-04-01", "2027-02-30", "10:30", "24:00", "9:5"]
NUMBER_LIKE = st.one_of(
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -1, 0.1, 0.25, 0.24, 12, 12.01, 40, 100, 500, 501, 1000, 200_000,
                     200_001, 2**63, 2**64, -2**63, 10**400, 1e308, 5e-324, -0.0, 1.5]),
    # what a client might send by mistake, as text: JSON itself cannot hold NaN or inf
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "12", "", " ", "1,000", "£5"]),
)
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8)
IN_BOUNDS = st.one_of(st.integers(0, 20), st.floats(0.25, 12), st.booleans())  # often valid
VALUES = st.one_of(IN_BOUNDS, NUMBER_LIKE, IN_BOUNDS, st.sampled_from(VOCABULARY),
                   st.text(max_size=60), JUNK)


def slots(node):
    """(container, key) for every value below ``node`` (dict keys and list indices)."""
    items = node.items() if isinstance(node, dict) else \
        enumerate(node) if isinstance(node, list) else ()
    for key, child in list(items):
        yield node, key
        yield from slots(child)


@st.composite
def plan_documents(draw):
    """The worked example with 1-3 activity lines, then 0-5 mutations: replace any value
    (wrong types, bounds, unicode, junk), delete any key or line, add an unknown key."""
    document = copy.deepcopy(WORKED_EXAMPLE)
    document["activities"] = [copy.deepcopy(document["activities"][0])
                              for _ in range(draw(st.integers(1, 3)))]
    for _ in range(draw(st.integers(0, 5))):
        places = list(slots(document))
        container, key = places[draw(st.integers(0, len(places) - 1))]
        action = draw(st.sampled_from(("replace", "replace", "delete", "add")))
        if action == "replace":
            container[key] = draw(VALUES)
        elif action == "delete":
            del container[key]
        else:
            target = container if isinstance(container, dict) else document
            target[draw(st.text(max_size=12))] = draw(JUNK)
    return document


SENTINEL = "__raw literal here__"
RAW_LITERALS = [
    "NaN", "Infinity", "-Infinity",  # Python's json accepts these; JSON does not
    "1e400", "-1e400", "1E-400", "-0", "1" + "0" * 5000,  # beyond float; beyond int digits
    '"\\u0000"', '"uk-2026\\u0000"', '"\\ud800"', '"\\udfff x"',  # NUL, lone surrogates
    "[" * 3000 + "]" * 3000, '{"a":' * 3000 + "1" + "}" * 3000,  # nesting beyond recursion
    "{}", "[]", "null", "true", '""']


@st.composite
def raw_bodies(draw):
    """A plan document's JSON text with one value swapped for a raw literal, or text that
    is not JSON at all (truncated documents, random text)."""
    document = draw(plan_documents())
    places = list(slots(document))
    container, key = places[draw(st.integers(0, len(places) - 1))]
    container[key] = SENTINEL
    text = json.dumps(document).replace(json.dumps(SENTINEL), draw(st.sampled_from(RAW_LITERALS)))
    return draw(st.one_of(st.just(text), st.just(text[:draw(st.integers(0, len(text)))]),
                          st.text(max_size=200)))


def _refuse_constant(name: str):
    raise ValueError(f"not strict JSON: {name}")


def check_answer(response, plan=None) -> dict:
    """The contract for any answer; with the plan sent, a 200 must be the engine's estimate."""
    assert response.status_code in (200, 400), (response.status_code,
                                                response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    body = json.loads(response.get_data(as_text=True), parse_constant=_refuse_constant)
    if response.status_code == 200:
        assert isinstance(body["total_gbp"], (int, float)) and math.isfinite(body["total_gbp"])
        assert body["total_gbp"] >= 0
        if plan is not None:
            card_id = plan.get("rate_card") or default_rate_card().id  # a plan may omit it
            assert body == costing.estimate(plan, db.session.get(RateCard, card_id).values)
    else:
        errors = body["errors"]
        assert isinstance(errors, list) and errors
        for error in errors:
            assert "field" in error, error
            assert isinstance(error["message"], str) and error["message"].strip(), error
            if isinstance(plan, dict):  # the body was an object: every error names its field
                assert isinstance(error["field"], str) and error["field"], error
    return body


def stored_rows() -> tuple[int, int]:
    """Estimating stores nothing: no plan versions, no audit entries."""
    return (db.session.scalar(db.select(db.func.count()).select_from(PlanVersion)),
            db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)))


@pytest.fixture
def headers(make_user):
    return token_for(make_user("api-fuzz@example.org", role="writer", team="Alpha"))


def test_the_unmutated_example_is_costed(client, headers):
    body = check_answer(client.post("/api/v1/estimate", json=WORKED_EXAMPLE, headers=headers),
                        WORKED_EXAMPLE)
    assert body["total_gbp"] == 7419.00


@FUZZ
@given(plan=plan_documents())
def test_mutated_plans_get_an_estimate_or_field_errors(client, headers, plan):
    before = stored_rows()
    response = client.post("/api/v1/estimate", json=plan, headers=headers)
    event(f"status {response.status_code}")
    check_answer(response, plan)
    assert stored_rows() == before


@FUZZ
@given(body=raw_bodies())
def test_raw_bodies_get_an_estimate_or_errors(client, headers, body):
    before = stored_rows()
    response = client.post("/api/v1/estimate", data=body.encode("utf-8", "surrogatepass"),
                           headers=headers, content_type="application/json")
    event(f"status {response.status_code}")
    check_answer(response)
    assert stored_rows() == before


def _with_raw(path: tuple, literal: str) -> str:
    document = copy.deepcopy(WORKED_EXAMPLE)
    container = document
    for key in path[:-1]:
        container = container[key]
    container[path[-1]] = SENTINEL
    return json.dumps(document).replace(json.dumps(SENTINEL), literal)


# Awkward bodies as plain examples (the fuzzers above found the nesting, NUL and surrogate
# ones), each tried on every run so a regression names itself.
KNOWN_BODIES = {
    "NaN bid value": _with_raw(("bid", "value_gbp"), "NaN"),
    "Infinity people": _with_raw(("activities", 0, "people"), "Infinity"),
    "-Infinity hours": _with_raw(("activities", 0, "hours_per_session"), "-Infinity"),
    "1e400 draws": _with_raw(("options", "draws"), "1e400"),
    "5000-digit seed": _with_raw(("options", "seed"), "1" + "0" * 5000),
    "arrays nested 3000 deep": "[" * 3000 + "]" * 3000,
    "objects nested 3000 deep inside the plan": _with_raw(("options",),
                                                          '{"a":' * 3000 + "1" + "}" * 3000),
    "NUL in the rate card id": _with_raw(("rate_card",), '"uk-2026\\u0000"'),
    "lone surrogate as the rate card id": _with_raw(("rate_card",), '"\\ud800"'),
    "lone surrogate as the level": _with_raw(("level",), '"\\ud800"'),
}


def test_known_awkward_bodies_get_a_400_not_a_500(client, headers):
    failures = []
    for name, body in KNOWN_BODIES.items():
        response = client.post("/api/v1/estimate", data=body, headers=headers,
                               content_type="application/json")
        try:
            check_answer(response)
            assert response.status_code == 400
        except AssertionError:
            answer = response.get_data(as_text=True).strip()[:120]
            failures.append(f"{name}: {response.status_code} {answer}")
    assert not failures, "\n".join(failures)
