"""Fixtures: an app per database backend, a client, a CLI runner, users and sign-in.

Every test that uses `app` runs on SQLite and on PostgreSQL. PostgreSQL comes
from TEST_DATABASE_URL or a throwaway cluster; without it the PostgreSQL half
is skipped with a reason, except in CI (CI=true), where it is a failure.
"""
from __future__ import annotations

import os

import pytest
from flask import Flask, g
from flask.globals import app_ctx
from flask_sqlalchemy.session import Session
from sqlalchemy import event, text
from sqlalchemy.orm import scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool

from app import create_app
from app.extensions import cache, db, limiter, talisman
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


def _sqlite_savepoints(engine) -> None:
    """pysqlite opens transactions lazily and ignores SAVEPOINT; let SQLAlchemy emit
    BEGIN itself so a test's rollback undoes everything (SQLAlchemy's pysqlite recipe)."""
    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


def _forget_cached_user() -> None:
    """Requests reuse the test's app context, so Flask-Login's cached user in `g`
    would carry over between requests and clients; each request loads its own."""
    g.pop("_login_user", None)


def _schema_app(**options) -> Flask:
    """An app whose database holds the schema and the rate cards, built once per run."""
    app = create_app(TestingConfig, **options)
    app.before_request(_forget_cached_user)
    app.extensions["test_extension_state"] = _extension_state()
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            _sqlite_savepoints(db.engine)
        db.drop_all()
        db.create_all()
        seed_rate_cards()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def sqlite_app():
    app = _schema_app(**_sqlite_options())
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def postgresql_app(postgres_database):
    app = _schema_app(SQLALCHEMY_DATABASE_URI=postgres_database)
    with app.app_context():
        sequences = db.session.execute(text(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
            "FROM pg_sequences")).all()
        db.session.remove()
    # A rollback does not take back the ids a test used; tests read ids from 1 as on a new
    # database, so each test starts the sequences where the schema app left them.
    app.extensions["test_sequence_reset"] = text("SELECT " + ", ".join(
        f"setval('{name}', {last or 1}, {'true' if last else 'false'})"
        for name, last in sequences)) if sequences else None
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _extension_state() -> dict:
    """Flask-Limiter and Flask-Talisman keep the last app's settings on the extension object
    itself (its storage, whether it is on, HTTPS rules), so a test that builds an app of its
    own would change them for the shared apps; each test puts its app's state back."""
    return {extension: dict(vars(extension)) for extension in (limiter, talisman)}


def _restore_extension_state(app: Flask) -> None:
    for extension, state in app.extensions["test_extension_state"].items():
        vars(extension).clear()
        vars(extension).update(state)


class _BoundSession(Session):
    """A session that keeps to the connection it was given (Flask-SQLAlchemy's own
    Session picks the app's engine), so it joins the test's outer transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request):
    """The app on SQLite and on PostgreSQL. The schema is built once per run; each test
    runs inside one outer transaction that is rolled back afterwards (the app's own
    commits become savepoints), and whatever it changed in the config is put back."""
    app = request.getfixturevalue(f"{request.param}_app")
    config = dict(app.config)
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        if app.extensions.get("test_sequence_reset") is not None:
            connection.execute(app.extensions["test_sequence_reset"])
        app_session = db.session
        db.session = scoped_session(
            sessionmaker(class_=_BoundSession, db=db, bind=connection,
                         join_transaction_mode="create_savepoint"),
            scopefunc=lambda: id(app_ctx._get_current_object()))
        _restore_extension_state(app)
        limiter.reset()
        cache.clear()
        try:
            yield app
        finally:
            db.session.remove()
            db.session = app_session
            outer.rollback()
            connection.close()
            app.config.clear()
            app.config.update(config)


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
