"""Rules for users and teams shared by the CLI, the admin pages and the seeders."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Team

#: The shortest password a user may be given (CLI and admin pages alike).
MIN_PASSWORD_LENGTH = 10


def get_or_create_team(name: str) -> Team:
    """The team called ``name``, added to the session if new (no commit)."""
    team = db.session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        db.session.add(team)
    return team
