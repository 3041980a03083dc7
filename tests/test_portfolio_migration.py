"""The portfolio migration fills in the markers of versions stored before it, and reverses."""
from __future__ import annotations

import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db
from config import TestingConfig

PORTFOLIO_REVISION = "9ce4c3f8e6da"
INITIAL_REVISION = "5ca4a3bc482f"


def test_upgrade_fills_markers_for_existing_versions_and_downgrade_reverses(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=INITIAL_REVISION)
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO teams (id, name) VALUES (1, 'Alpha')"))
            connection.execute(text(
                "INSERT INTO bids (id, team_id, title, client, reference, value_pence, start_date,"
                " duration_months, scope, work_type, client_requires_coproduction, status,"
                " outcome, created_at, updated_at, row_version) VALUES (1, 1, 'T', 'C', '', 100,"
                " '2027-04-01', 12, 'local', 'training', 1, 'submitted', 'won',"
                " '2026-01-01', '2026-01-01', 1)"))
            for number, status, codes in ((1, "submitted", ["disproportionate"]),
                                          (2, "submitted", ["below_client_requirement"]),
                                          (3, "draft", [])):
                estimate = json.dumps({"warnings": [{"code": code} for code in codes]})
                connection.execute(text(
                    "INSERT INTO plan_versions (bid_id, number, status, inputs, estimate,"
                    " created_at, updated_at, row_version) VALUES (1, :number, :status, '{}',"
                    " :estimate, '2026-01-01', '2026-01-01', 1)"),
                    {"number": number, "status": status, "estimate": estimate})
        upgrade(revision=PORTFOLIO_REVISION)
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT number, is_counted, flag_disproportionate, flag_below_requirement"
                " FROM plan_versions ORDER BY number")).all()
        assert [tuple(row) for row in rows] == [(1, 0, 1, 0), (2, 1, 0, 1), (3, 0, 0, 0)]
        downgrade(revision=INITIAL_REVISION)
        db.engine.dispose()
    inspector = inspect(create_engine(url))
    assert "portfolio_targets" not in inspector.get_table_names()
    assert "is_counted" not in {column["name"] for column in inspector.get_columns("plan_versions")}
