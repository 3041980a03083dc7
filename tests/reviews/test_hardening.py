"""Inputs that used to give a 500, and the smaller leaks and gaps (issue 16, findings 8, 9).

Integers past 2^63 in URLs and ?page=, a CR/LF in next=, a 309-digit number in a
numeric field, a read-only database; sign-in that spends the same work for unknown
emails; rate limits counted in one place for every worker; no-store on private
responses; the CSV's content type; double posts; dates; search and money input.
"""
from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy.pool import NullPool

from app import create_app
from app.auth import routes as auth_routes
from app.extensions import db
from app.models import ApiToken, Bid, Comment, Team, User
from app.versions.engine import seed_rate_cards
from config import TestingConfig
from tests.conftest import PASSWORD
from tests.factories import form_for, make_bid
from tests.review_steps import url

HUGE = str(2**63)


@pytest.fixture
def token(team):
    row, clear = ApiToken.issue(team.writer)
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {clear}"}


def form_key(page: str) -> str:
    return re.search(r'name="form_key" value="([^"]+)"', page)[1]


# --- finding 8: inputs that gave a 500 -------------------------------------------------

def test_integers_past_64_bits_in_urls_and_pages_are_not_found_or_refused(
        bid, draft, team, as_user, token):
    client = as_user(team.admin)
    for address in (f"/bids/{HUGE}", f"/bids/{HUGE}/plan/level", f"/admin/users/{HUGE}/edit",
                    f"/bids/{bid.id}/review/versions/{HUGE}"):
        assert client.get(address).status_code == 404, address
    assert client.get(f"/bids/?page={HUGE}").status_code == 200
    for address in (f"/api/v1/bids/{HUGE}", f"/api/v1/bids/{bid.id}/versions/{HUGE}"):
        assert client.get(address, headers=token).status_code == 404, address
    refused = client.get(f"/api/v1/bids?page={HUGE}", headers=token)
    assert refused.status_code == 400 and refused.get_json()["errors"][0]["field"] == "page"


@pytest.mark.parametrize("target", ["/bids/\r\nSet-Cookie: x=1", "/bids/\n", "/bids/\r"])
def test_next_with_cr_or_lf_goes_to_the_bids_list(client, make_user, target):
    make_user("writer@example.org")
    response = client.post("/sign-in", query_string={"next": target},
                           data={"email": "writer@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/bids/"


@pytest.mark.parametrize("field, value", [("duration_months", "9" * 309),
                                          ("value_gbp", "9" * 309),
                                          ("value_gbp", "1_000"), ("value_gbp", "١٠٠٠"),
                                          ("duration_months", "1_2"), ("duration_months", "١٢")])
def test_numbers_people_do_not_type_get_a_message_naming_the_field(team, as_user, field, value):
    client = as_user(team.writer)
    response = client.post("/bids/new", data=form_for(team.writer.teams[0].id,
                                                      **{field: value}))
    assert response.status_code == 200
    messages = re.findall(r'govuk-error-message">(.*?)</p>', response.get_data(as_text=True),
                          re.S)
    named = {"value_gbp": "Bid value", "duration_months": "Duration"}[field]
    assert any(named in message for message in messages), messages  # names the field
    assert db.session.scalar(db.select(db.func.count(Bid.id))) == 0


def test_a_read_only_database_gives_the_try_again_page(tmp_path):
    path = tmp_path / "planner.db"
    writable = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with writable.app_context():
        db.create_all()
        seed_rate_cards()
        user = User(email="writer@example.org", role="writer", teams=[Team(name="Alpha")])
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        session_id = user.get_id()
        db.engine.dispose()
    read_only = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///file:{path}"
                           "?mode=ro&uri=true", SQLALCHEMY_ENGINE_OPTIONS={"poolclass": NullPool})
    with read_only.app_context():
        client = read_only.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        g.pop("_login_user", None)
        response = client.post("/bids/new", data=form_for(1))
        assert response.status_code == 503
        assert "Try again in a moment" in response.get_data(as_text=True)
        assert response.headers["Retry-After"].isdigit()
        db.engine.dispose()


# --- finding 9: smaller leaks and gaps -------------------------------------------------

def test_an_unknown_email_costs_the_same_password_check(client, make_user, monkeypatch):
    make_user("writer@example.org")
    checked = []
    real = auth_routes.check_password_hash
    monkeypatch.setattr(auth_routes, "check_password_hash",
                        lambda stored, given: checked.append(stored) or real(stored, given))
    client.post("/sign-in", data={"email": "nobody@example.org", "password": "a guess"})
    assert checked and checked[0].startswith("scrypt:16384:8:1$")  # the real method and cost


def test_two_workers_count_sign_in_failures_in_one_place(tmp_path):
    """A second app on the same database stands for another gunicorn worker (or machine):
    it starts with a rate-limit storage of its own, so only counts kept outside the first
    one's memory can refuse its attempt."""
    uri = f"sqlite:///{tmp_path / 'planner.db'}"

    def worker():
        return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=uri,
                          RATELIMIT_STORAGE_URI=None, LOGIN_RATE_LIMIT="3 per minute")

    def attempt(app) -> int:
        with app.app_context():
            status = app.test_client().post("/sign-in", data={
                "email": "nobody@example.org", "password": "a guess"}).status_code
            db.engine.dispose()
        return status

    first = worker()
    assert first.config["RATELIMIT_STORAGE_URI"].startswith("database+sqlite")
    with first.app_context():
        db.create_all()
    assert [attempt(first) for _ in range(3)] == [200, 200, 200]
    second = worker()  # its own storage object, nothing in memory
    assert attempt(second) == 429


def test_private_pages_api_answers_and_downloads_are_not_stored(bid, draft, team, as_user,
                                                                token):
    client = as_user(team.writer)
    for response in (client.get(f"/bids/{bid.id}"), client.get("/bids/"),
                     client.get(f"/bids/{bid.id}/plan/versions/1/csv"),
                     client.get(f"/bids/{bid.id}/plan/versions/1/pdf"),
                     client.get("/api/v1/bids", headers=token), client.get("/no-such-page")):
        assert response.headers["Cache-Control"] == "no-store", response.request.path


def test_the_plan_csv_names_its_charset_once(bid, draft, team, as_user):
    response = as_user(team.writer).get(f"/bids/{bid.id}/plan/versions/1/csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_same_bid_form_posted_twice_creates_one_bid(team, as_user):
    client = as_user(team.writer)
    key = form_key(client.get("/bids/new").get_data(as_text=True))
    data = dict(form_for(team.writer.teams[0].id), form_key=key)
    first, second = client.post("/bids/new", data=data), client.post("/bids/new", data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(Bid.id))) == 1
    refused = client.post("/bids/new", data=dict(data, form_key=form_key(
        client.get("/bids/new").get_data(as_text=True)), title=""))
    assert refused.status_code == 200  # a form with errors gives its key back:
    fixed = client.post("/bids/new", data=dict(data, form_key=form_key(
        refused.get_data(as_text=True)), title="Second bid"))
    assert fixed.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Bid.id))) == 2


def test_the_same_comment_posted_twice_is_added_once(bid, in_review, team, as_user):
    client = as_user(team.reviewer)
    key = form_key(client.get(url(bid, in_review)).get_data(as_text=True))
    data = {"comment-section": "plan", "comment-body": "Add BSL for the launch.",
            "form_key": key}
    for _ in range(2):
        assert client.post(url(bid, in_review, "/comments"), data=data).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1


def test_a_deadline_after_the_start_date_is_refused(team, as_user):
    response = as_user(team.writer).post("/bids/new", data=form_for(
        team.writer.teams[0].id, start_date="2027-04-01", deadline="2027-05-01"))
    assert response.status_code == 200
    assert "Submission deadline must be on or before the start date" in \
        response.get_data(as_text=True)


def test_search_takes_percent_and_underscore_literally(team, as_user):
    make_bid("Alpha", title="Uplift 50% for carers")
    make_bid("Alpha", title="Plain training")
    make_bid("Alpha", title="Film_2027")
    client = as_user(team.writer)
    percent = client.get("/bids/", query_string={"q": "%"}).get_data(as_text=True)
    assert "Uplift 50% for carers" in percent and "Plain training" not in percent
    underscore = client.get("/bids/", query_string={"q": "_"}).get_data(as_text=True)
    assert "Film_2027" in underscore and "Plain training" not in underscore


def test_the_api_has_a_rate_limit_per_token(app, team, token, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    client = app.test_client()
    statuses = [client.get("/api/v1/bids", headers=token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_api_refuses_more_work_than_one_request_may_ask(app, team, token):
    from tests.reports.plans import worked_example

    plan = dict(worked_example(), options={"draws": 200_000, "seed": 0})
    plan["activities"] = plan["activities"] * (200 // len(plan["activities"]))
    response = app.test_client().post("/api/v1/estimate", json=plan, headers=token)
    assert response.status_code == 400
    error = response.get_json()["errors"][0]
    assert error["field"] == "options.draws" and "at most 2,000,000" in error["message"]


def test_a_costly_estimate_uses_up_more_of_the_rate_limit(app, team, token, monkeypatch):
    from tests.reports.plans import worked_example

    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "10 per minute")
    plan = dict(worked_example(), options={"draws": 200_000, "seed": 0})
    lines = len(plan["activities"])
    cost = 1 + lines * 200_000 // 200_000
    client = app.test_client()
    assert client.post("/api/v1/estimate", json=plan, headers=token).status_code == 200
    statuses = [client.get("/api/v1/bids", headers=token).status_code for _ in range(10)]
    assert statuses.count(200) == 10 - cost


# --- finding 10: what the OpenAPI document promises ------------------------------------

def test_a_wrong_method_is_405_with_allow_and_too_large_is_413(app, team, token):
    client = app.test_client()
    wrong = client.delete("/api/v1/bids", headers=token)
    assert wrong.status_code == 405 and wrong.is_json
    assert set(wrong.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    page = client.put("/sign-in")
    assert page.status_code == 405 and "POST" in page.headers["Allow"]
    large = client.post("/api/v1/estimate", headers=token,
                        data=b"{" + b" " * (app.config["MAX_CONTENT_LENGTH"] + 1) + b"}",
                        content_type="application/json")
    assert large.status_code == 413 and large.get_json()["errors"]


def test_the_openapi_document_describes_405_413_and_429(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert {"405", "429"} <= set(operation["responses"]), (method, path)
            assert "Allow" in operation["responses"]["405"]["headers"]
            if method == "post":
                assert "413" in operation["responses"], path
