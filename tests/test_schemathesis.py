"""The OpenAPI document, checked by a schema-driven fuzzer (issue 16, finding 10).

Schemathesis reads /api/v1/openapi.json and sends requests generated from it to
every operation, with a valid token: each answer must be one the document
describes (status, headers, body against its schema), never a 5xx. The run is
bounded and repeatable: a fixed number of examples per operation, derandomized.
"""
from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy.pool import StaticPool

from app import create_app
from app.extensions import db, limiter
from app.models import ApiToken, Team, User
from app.versions.engine import seed_rate_cards
from config import TestingConfig
from tests.factories import make_bid
from tests.review_steps import save_level

EXAMPLES = 25  # per operation


@pytest.fixture(scope="module")
def api_app():
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                     SQLALCHEMY_ENGINE_OPTIONS={"poolclass": StaticPool,
                                                "connect_args": {"check_same_thread": False}})
    with app.app_context():
        db.create_all()
        seed_rate_cards()
        limiter.reset()
        writer = User(email="fuzz@example.org", role="writer", teams=[Team(name="Alpha")],
                      password_hash="unused")
        db.session.add(writer)
        db.session.commit()
        bid = make_bid("Alpha", title="Fuzzed bid", created_by_id=writer.id)
        save_level(bid, writer)
        row, clear = ApiToken.issue(writer)
        db.session.add(row)
        db.session.commit()
        app.config["FUZZ_TOKEN"] = clear
        yield app
        db.session.remove()


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # Text with NUL or a lone surrogate is refused everywhere, before any route (the API
    # description says so): the database cannot store it.
    schema.config.generation.update(allow_x00=False, codec="utf-8")
    return [result.ok() for result in schema.get_all_operations()]


# The one rule of the plan document JSON Schema cannot state: an activity's start_week
# is at most the bid's duration in weeks (another field). The document says so in words.
CROSS_FIELD = re.compile(r"(^|\.)activities\[\d+\]\.start_week$")


def only_cross_field_refusals(ctx, response, case):
    """Like schemathesis's positive-data check, but a schema-valid estimate or fit may be
    refused for the start_week rule alone."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE \
            or response.status_code != 400:
        return None
    fields = [item.get("field") or "" for item in response.json()["errors"]]
    assert case.operation.path in ("/estimate", "/fit") and all(
        CROSS_FIELD.search(field) for field in fields), \
        f"a schema-valid request was refused: {response.text[:500]}"
    return None


def test_every_operation_answers_as_documented(api_app):
    headers = {"Authorization": f"Bearer {api_app.config['FUZZ_TOKEN']}"}
    found = operations(api_app)
    assert len(found) >= 5
    failures = []
    for operation in found:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit,
                                                                   Phase.generate])
        def check(case):
            with api_app.app_context():
                case.call_and_validate(headers=headers,
                                       excluded_checks=[positive_data_acceptance],
                                       additional_checks=[only_cross_field_refusals])
        try:
            check()
        except Exception as error:  # each operation's failure, reported together
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
