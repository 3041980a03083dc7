"""The data: SQLAlchemy 2 typed models, one module per part of the domain.

Import models from here (``from app.models import Bid``). The modules: ``accounts`` (teams,
users, API tokens), ``plans`` (rate cards, bids, plan versions, approved documents, portfolio
targets), ``reviews`` (audit trail, comments, notifications), ``guards`` (rate-limit counters,
one-time form keys); the network's tables are in ``app.membership.models``.
"""
from __future__ import annotations

from app.models.accounts import PASSWORD_HASH_METHOD, ROLES, ApiToken, Team, User, team_members
from app.models.base import as_utc, utcnow
from app.models.guards import FormSubmission, RateLimitCounter
from app.models.plans import OUTCOMES, Bid, PlanDocument, PlanVersion, PortfolioTarget, RateCard
from app.models.reviews import AuditEvent, Comment, Notification

__all__ = ["OUTCOMES", "PASSWORD_HASH_METHOD", "ROLES", "ApiToken", "AuditEvent", "Bid", "Comment",
           "FormSubmission", "Notification", "PlanDocument", "PlanVersion", "PortfolioTarget",
           "RateCard", "RateLimitCounter", "Team", "User", "as_utc", "team_members", "utcnow"]

# The network's tables live beside their domain; imported here so every user of the
# metadata (create_all, Alembic) sees them.
from app.membership import models as _membership_models  # noqa: F401
