"""Write-side portfolio operations: the KPI targets.

The counted-version markers the portfolio reads are kept by app.versions.counted.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app import audit
from app.extensions import db
from app.formatting import pounds_to_pence
from app.models import PortfolioTarget, User


def save_targets(financial_year: int, considered_percent: int, income_gbp: Decimal,
                 user: User) -> PortfolioTarget:
    """Set the KPI targets from ``financial_year`` on, with an audit entry; commits."""
    target = db.session.scalar(select(PortfolioTarget)
                               .where(PortfolioTarget.financial_year == financial_year))
    if target is None:
        target = PortfolioTarget(financial_year=financial_year)
        db.session.add(target)
    before = {"considered_percent": target.considered_percent,
              "income_pence": target.income_pence}
    target.considered_percent = considered_percent
    target.income_pence = pounds_to_pence(income_gbp)
    target.updated_by_id = user.id
    after = {"considered_percent": considered_percent, "income_pence": target.income_pence}
    audit.record("portfolio.targets", user=user,
                 summary=f"Set portfolio targets from financial year {financial_year}",
                 changes=audit.diff(before, after) or None)
    db.session.commit()
    return target
