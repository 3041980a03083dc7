"""Fixtures: an app per database backend, a client, a CLI runner, users and sign-in.

Every test that uses `app` runs on SQLite and on PostgreSQL. PostgreSQL comes
from TEST_DATABASE_URL or a throwaway cluster; without it the PostgreSQL half
is skipped with a reason, except in CI (CI=true), where it is a failure.
"""
from __future__ import annotations

import os

import pytest
from flask import g
from sqlalchemy import text
from sqlalchemy.pool import StaticPool

from app import create_app
from app.extensions import db, limiter
from app.models import Team, User
from app.versions.engine import seed_rate_cards
from config import TestingConfig
from tests.postgres import postgres_url

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def postgres_database():
    with postgres_url() as url:
        if url is None:
            message = ("PostgreSQL is not available: install Debian's postgresql package "
                       "or set TEST_DATABASE_URL")
            if os.environ.get("CI") == "true":
                pytest.fail(message + " (required in CI)")
            pytest.skip(message)
        yield url


def _sqlite_options() -> dict:
    return {"SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": StaticPool,
                                          "connect_args": {"check_same_thread": False}}}


def _empty_postgres() -> None:
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def _forget_cached_user() -> None:
    """Requests reuse the test's app context, so Flask-Login's cached user in `g`
    would carry over between requests and clients; each request loads its own."""
    g.pop("_login_user", None)


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request):
    if request.param == "postgresql":
        options = {"SQLALCHEMY_DATABASE_URI": request.getfixturevalue("postgres_database")}
    else:
        options = _sqlite_options()
    app = create_app(TestingConfig, **options)
    app.before_request(_forget_cached_user)
    with app.app_context():
        db.create_all()
        if request.param == "postgresql":
            _empty_postgres()
        seed_rate_cards()
        limiter.reset()
        yield app
        db.session.remove()
        if request.param == "sqlite":
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a user with a role in a team (created if new)."""
    def make(email: str, role: str = "writer", team: str = "Alpha") -> User:
        team_row = db.session.scalar(db.select(Team).where(Team.name == team)) or Team(name=team)
        user = User(email=email, name=email.split("@")[0], role=role, teams=[team_row])
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user
    return make


class Auth:
    def __init__(self, client):
        self.client = client

    def sign_in(self, email: str, password: str = PASSWORD):
        return self.client.post("/sign-in", data={"email": email, "password": password})

    def sign_out(self):
        return self.client.post("/sign-out")


@pytest.fixture
def auth(client):
    return Auth(client)
