"""`flask seed-portfolio`: synthetic bids for demos and benchmarks, never in production."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app import create_app
from app.extensions import db
from app.models import Bid, PlanVersion, Team
from app.portfolio.seed import PortfolioGenerator, compact_estimate, cost_templates
from app.versions.counted import counted_version_id, warning_flags
from config import ProductionConfig


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_seeds_bids_with_one_to_five_versions_and_correct_markers(runner):
    result = runner.invoke(args=["seed-portfolio", "--bids", "40", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Added 40 bids and 120 plan versions" in result.output
    assert count(Bid) == 40 and count(PlanVersion) == 120
    assert {team.name for team in db.session.scalars(db.select(Team))} == {
        "Demo", "Research and evidence", "Training and guidance"}
    versions = defaultdict(list)
    for version in db.session.scalars(db.select(PlanVersion)):
        versions[version.bid_id].append(version)
    assert all(1 <= len(rows) <= 5 for rows in versions.values())
    for rows in versions.values():
        counted = counted_version_id((v.id, v.number, v.status) for v in rows)
        assert [v.id for v in rows if v.is_counted] == [counted]
        for version in rows:
            assert (version.flag_disproportionate, version.flag_below_requirement) == \
                warning_flags(version.estimate)
            if version.level is not None:
                assert version.total_pence == round(version.estimate["total_gbp"] * 100)
    result = runner.invoke(args=["seed-portfolio", "--bids", "5", "--team", "Extra"])
    assert result.exit_code == 0 and count(Bid) == 45
    new_ids = db.session.scalars(db.select(PlanVersion.id).order_by(PlanVersion.id)).all()
    assert len(new_ids) == len(set(new_ids)) == 135  # ids carry on after the earlier rows


def test_each_seeded_bid_has_its_latest_versions_status(runner):
    """As when the app saves or reviews a version (app.versions.transitions)."""
    assert runner.invoke(args=["seed-portfolio", "--bids", "200", "--seed", "5"]).exit_code == 0
    latest = {}
    for version in db.session.scalars(db.select(PlanVersion).order_by(PlanVersion.number)):
        latest[version.bid_id] = version.status
    bids = db.session.scalars(db.select(Bid)).all()
    assert bids and all(bid.status == latest[bid.id] for bid in bids)


@pytest.mark.parametrize("value", ["0", "100001", "-3", "many"])
def test_bad_counts_are_refused_clearly(runner, value):
    result = runner.invoke(args=["seed-portfolio", "--bids", value])
    assert result.exit_code != 0
    assert "--bids" in result.output and "Traceback" not in result.output
    assert count(Bid) == 0


def test_refused_in_production(tmp_path):
    production = create_app(ProductionConfig, SECRET_KEY="s" * 32,
                            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'prod.db'}")
    with production.app_context():
        db.create_all()
        result = production.test_cli_runner().invoke(args=["seed-portfolio", "--bids", "5"])
        assert result.exit_code != 0 and "never seeded in production" in result.output
        assert count(Bid) == 0
        db.engine.dispose()


def test_compact_estimates_recompute_the_bid_dependent_warnings():
    template = cost_templates()["good", "training", "local"]
    small = compact_estimate(template, Decimal(1), Decimal(20_000), "good", False,
                             Decimal(15))
    assert small["total_gbp"] == template.estimate["total_gbp"]
    assert warning_flags(small) == (True, False)
    big = compact_estimate(template, Decimal("0.5"), Decimal(2_000_000), "limited", True,
                           Decimal(15))
    assert big["total_gbp"] == pytest.approx(template.estimate["total_gbp"] / 2, abs=0.05)
    assert warning_flags(big) == (False, True)
    assert big["lines"] == [] and big["synthetic"] is True


def test_version_counts_average_three():
    generator = PortfolioGenerator([1], seed=5, now=datetime(2026, 11, 1, tzinfo=UTC))
    counts = generator.version_counts(1000)
    assert sum(counts) == 3000 and min(counts) == 1 and max(counts) == 5
