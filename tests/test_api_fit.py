"""POST /api/v1/fit: the engine's fit over HTTP, described in full by the OpenAPI document."""
import json

import jsonschema
import pytest

from app import costing
from tests.test_api import WORKED_EXAMPLE, token_for, writer  # noqa: F401 (fixture)


def validator(client, name):
    """A JSON Schema validator for one of the OpenAPI document's component schemas."""
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {**document["components"]["schemas"][name],
              "components": document["components"]}
    return jsonschema.Draft202012Validator(schema)


def test_fit_matches_the_engine_and_its_schema(client, writer):  # noqa: F811
    body = {"plan": WORKED_EXAMPLE, "budget_percent": 5}
    validator(client, "FitRequest").validate(body)
    response = client.post("/api/v1/fit", json=body, headers=token_for(writer))
    assert response.status_code == 200
    result = response.get_json()
    assert result == costing.fit(WORKED_EXAMPLE, budget_percent=5)
    assert result["budget_gbp"] == 6000.0 and result["estimate"]["total_gbp"] <= 6000.0
    assert result["bound"] == "budget" and result["changes"]
    validator(client, "FitResult").validate(result)


def test_fit_over_http_names_the_bad_fields(client, writer):  # noqa: F811
    headers = token_for(writer)
    bad = json.loads(json.dumps(WORKED_EXAMPLE))
    bad["activities"][0]["people"] = 0
    response = client.post("/api/v1/fit", json={"plan": bad, "budget_gbp": "lots"},
                           headers=headers)
    fields = {error["field"] for error in response.get_json()["errors"]}
    assert response.status_code == 400
    assert fields == {"plan.activities[0].people", "budget_gbp"}
    both = {"plan": WORKED_EXAMPLE, "budget_gbp": 10, "budget_percent": 1}
    response = client.post("/api/v1/fit", json=both, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "budget_gbp"
    for body in ("not json", "[1, 2]", '{"budget_gbp": 5}'):
        response = client.post("/api/v1/fit", data=body, headers=headers,
                               content_type="application/json")
        assert response.status_code == 400
        assert response.get_json()["errors"][0]["field"] == "plan"
    unknown_card = {"plan": dict(WORKED_EXAMPLE, rate_card="made-up"), "budget_gbp": 10}
    response = client.post("/api/v1/fit", json=unknown_card, headers=headers)
    assert response.get_json()["errors"][0]["field"] == "plan.rate_card"


@pytest.mark.parametrize("schema", ["Plan", "Estimate"])
def test_the_worked_example_matches_the_plan_and_estimate_schemas(client, schema):
    document = WORKED_EXAMPLE if schema == "Plan" else costing.estimate(WORKED_EXAMPLE)
    validator(client, schema).validate(document)
