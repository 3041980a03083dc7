"""The rate card migration: stored cards gain the benefits section with the values they were
costed with, uk-2026-12 arrives as the default, and the downgrade reverses it."""
from __future__ import annotations

import json
from datetime import date, datetime
from uuid import uuid4

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, make_url, text

from app import create_app
from app.costing import estimate
from app.costing.ratecard import RateCard, rate_card_document
from app.extensions import db
from config import TestingConfig
from tests.worked_example import WORKED_EXAMPLE

BEFORE = "b81f0c2d5e97"
REVISION = "d5e1b7c9a024"


def legacy_document(card_id: str = "uk-2026") -> dict:
    """A card as stored before the benefits section: the thresholds among the rates."""
    document = rate_card_document("uk-2026")
    benefits = document.pop("benefits")
    del document["uncertainty"]["correlation"]
    document["id"] = card_id
    document["rates"].update(benefit_weekly_threshold=benefits["carers_allowance_weekly"],
                             benefit_monthly_threshold=benefits["uc_work_allowance_monthly"])
    for key in list(document["sources"]):
        if key.startswith("benefits.") or key == "uncertainty.correlation":
            entry = {k: v for k, v in document["sources"].pop(key).items() if k != "checked"}
            old = {"benefits.carers_allowance_weekly": "rates.benefit_weekly_threshold",
                   "benefits.uc_work_allowance_monthly": "rates.benefit_monthly_threshold"}
            if key in old:
                document["sources"][old[key]] = entry
    for entry in document["sources"].values():
        entry.pop("checked", None)
    return document


CARDS = sa.table("rate_cards", sa.column("id", sa.String), sa.column("label", sa.String),
                 sa.column("effective_from", sa.Date), sa.column("values", sa.JSON),
                 sa.column("is_default", sa.Boolean),
                 sa.column("created_at", sa.DateTime(timezone=True)))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database: a SQLite file, or a new database in the tests' PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    server = create_engine(request.getfixturevalue("postgres_database"),
                           isolation_level="AUTOCOMMIT")
    name = f"ratecard_migration_{uuid4().hex[:8]}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server.url).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()


def insert_cards(cards: dict[str, bool]) -> None:
    with db.engine.begin() as connection:
        for card_id, default in cards.items():
            connection.execute(CARDS.insert().values(
                id=card_id, label="Card", effective_from=date(2026, 4, 1),
                values=legacy_document(card_id), is_default=default,
                created_at=datetime(2026, 4, 1)))


def stored(connection) -> dict[str, tuple]:
    rows = connection.execute(text("SELECT id, is_default, \"values\" FROM rate_cards")).all()
    return {row[0]: (bool(row[1]), json.loads(row[2]) if isinstance(row[2], str) else row[2])
            for row in rows}


def test_stored_cards_keep_their_values_and_uk_2026_12_becomes_the_default(database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade(revision=BEFORE)
        insert_cards({"uk-2026": True, "org-2026": False})
        before = estimate(WORKED_EXAMPLE, legacy_document())
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            cards = stored(connection)
        assert {card_id: default for card_id, (default, _) in cards.items()} == {
            "uk-2026": False, "org-2026": False, "uk-2026-12": True}
        first, today = cards["uk-2026"][1], rate_card_document("uk-2026")
        sources = first.pop("sources")
        assert first == {k: v for k, v in today.items() if k != "sources"}  # today's layout
        assert set(sources) == set(today["sources"])
        assert all(entry["checked"] == "2026-04-01" for entry in sources.values())
        first["sources"] = sources
        assert estimate(WORKED_EXAMPLE, first) == before
        assert cards["uk-2026-12"][1] == rate_card_document("uk-2026-12")
        assert RateCard.from_dict(cards["org-2026"][1]).carers_allowance_weekly == 167
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            cards = stored(connection)
        assert set(cards) == {"uk-2026", "org-2026"} and cards["uk-2026"][0]
        assert cards["uk-2026"][1]["rates"]["benefit_weekly_threshold"] == 167
        db.engine.dispose()


def test_an_organisations_own_default_stays_the_default(database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade(revision=BEFORE)
        insert_cards({"uk-2026": False, "org-2026": True})
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            cards = stored(connection)
        assert {card_id: default for card_id, (default, _) in cards.items()} == {
            "uk-2026": False, "org-2026": True, "uk-2026-12": False}
        db.engine.dispose()
