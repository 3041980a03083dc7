"""The JSON API: token auth, the access rules, the estimate contract, the OpenAPI document."""
import io
import json
from datetime import datetime, timedelta

import docx
import pytest

from app import costing
from app.extensions import db
from app.models import ApiToken
from tests.factories import make_bid
from tests.reports.plans import worked_example

WORKED_EXAMPLE = dict(worked_example(), options={"draws": 1000, "seed": 0})


def token_for(user) -> dict:
    row, clear = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {clear}"}


@pytest.fixture
def writer(make_user):
    return make_user("api-writer@example.org", role="writer", team="Alpha")


def test_requests_without_a_valid_token_get_401(client):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/bids", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["errors"][0]["field"] == "Authorization"


def test_session_cookies_do_not_authenticate_the_api(client, auth, writer):
    auth.sign_in(writer.email)
    assert client.get("/api/v1/bids").status_code == 401


def test_bids_list_only_shows_the_users_teams(client, writer):
    own = make_bid("Alpha", title="Ours")
    make_bid("Beta", title="Theirs")
    body = client.get("/api/v1/bids", headers=token_for(writer)).get_json()
    assert [bid["title"] for bid in body["bids"]] == ["Ours"]
    assert body["total"] == 1 and body["bids"][0]["id"] == own.id
    assert body["bids"][0]["value_gbp"] == 120000.0


def test_other_teams_bid_is_404_in_json(client, writer):
    theirs = make_bid("Beta")
    response = client.get(f"/api/v1/bids/{theirs.id}", headers=token_for(writer))
    assert response.status_code == 404
    assert response.get_json()["errors"]


def test_version_shows_inputs_estimate_and_status(client, auth, writer):
    bid = make_bid("Alpha", work_type="training")
    auth.sign_in(writer.email)
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    headers = token_for(writer)
    body = client.get(f"/api/v1/bids/{bid.id}/versions/1", headers=headers).get_json()
    assert body["status"] == "draft" and body["level"] == "good" and body["approval"] is None
    assert body["estimate"] == costing.estimate(body["inputs"])
    detail = client.get(f"/api/v1/bids/{bid.id}", headers=headers).get_json()
    assert detail["versions"][0]["total_gbp"] == body["estimate"]["total_gbp"]
    assert client.get(f"/api/v1/bids/{bid.id}/versions/9", headers=headers).status_code == 404


def test_api_times_are_utc_with_their_offset_and_dates_plain(client, auth, writer):
    """A client reads 21:54 as UTC only if the answer says so (RFC 3339), on every database."""
    bid = make_bid("Alpha", work_type="training")
    auth.sign_in(writer.email)
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    headers = token_for(writer)
    body = client.get(f"/api/v1/bids/{bid.id}/versions/1", headers=headers).get_json()
    detail = client.get(f"/api/v1/bids/{bid.id}", headers=headers).get_json()
    for moment in (body["created_at"], detail["versions"][0]["created_at"]):
        assert datetime.fromisoformat(moment).utcoffset() == timedelta(0), moment
    assert detail["start_date"] == bid.start_date.isoformat()  # a date stays a date


def test_version_plan_as_word_document(client, auth, writer):
    bid = make_bid("Alpha", work_type="training")
    auth.sign_in(writer.email)
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "good"})
    headers = token_for(writer)
    response = client.get(f"/api/v1/bids/{bid.id}/versions/1/plan.docx", headers=headers)
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.data))
    assert document.paragraphs[1].style.name == "Title"
    again = client.get(f"/api/v1/bids/{bid.id}/versions/1/plan.docx", headers=headers)
    assert again.data == response.data
    theirs = make_bid("Beta")
    assert client.get(f"/api/v1/bids/{theirs.id}/versions/1/plan.docx",
                      headers=headers).status_code == 404
    assert client.get(f"/api/v1/bids/{bid.id}/versions/1/plan.docx").status_code == 401


def test_post_estimate_matches_the_engine_and_the_worked_example(client, writer):
    response = client.post("/api/v1/estimate", json=WORKED_EXAMPLE, headers=token_for(writer))
    body = response.get_json()
    assert response.status_code == 200
    assert body == costing.estimate(WORKED_EXAMPLE)
    assert body["total_gbp"] == 7419.00 and body["percent_of_bid"] == 6.18


def test_post_estimate_reports_field_errors(client, writer):
    headers = token_for(writer)
    bad = json.loads(json.dumps(WORKED_EXAMPLE))
    bad["activities"][0]["people"] = 0
    bad["level"] = "lavish"
    response = client.post("/api/v1/estimate", json=bad, headers=headers)
    fields = {error["field"] for error in response.get_json()["errors"]}
    assert response.status_code == 400 and {"activities[0].people", "level"} <= fields
    for body in ("not json", "[1, 2]"):
        response = client.post("/api/v1/estimate", data=body, headers=headers,
                               content_type="application/json")
        assert response.status_code == 400 and response.get_json()["errors"]
    unknown_card = dict(WORKED_EXAMPLE, rate_card="made-up")
    response = client.post("/api/v1/estimate", json=unknown_card, headers=headers)
    assert response.get_json()["errors"][0]["field"] == "rate_card"


def test_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    described = {(path, method.upper()) for path, item in document["paths"].items()
                 for method in item}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
            routed |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert described == routed
