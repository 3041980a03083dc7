"""Write-side operations for the admin pages, and the read models they show.

Each change and its audit entry are committed together. Rate cards are only
ever added, never changed in place, so a plan costed with a card reproduces.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.admin.cardinputs import KEY_LABELS, source_entry
from app.costing.money import format_gbp, format_number
from app.costing.ratecard import RateCard as EngineCard
from app.costing.ratecard import upgraded_document
from app.costing.ratecard_fields import FIELDS, CardField
from app.costing.vocabulary import LEVEL_LABELS
from app.extensions import db
from app.models import PlanVersion, RateCard, Team, User

GBP_KINDS = frozenset({"gbp", "gbp_large", "gbp_by_travel", "gbp_by_scope"})


class CardUsage(NamedTuple):
    """A rate card in the list, with how many plan versions were costed with it."""

    id: str
    label: str
    effective_from: date
    is_default: bool
    plan_versions: int


class CardValue(NamedTuple):
    """One value of a card as the card page shows it."""

    card_field: CardField
    value: str | list[str]
    status: str
    basis: str
    checked: date | None


def rate_cards_with_usage() -> list[CardUsage]:
    """Every rate card, newest first, with its plan version count (one GROUP BY query)."""
    query = (select(RateCard.id, RateCard.label, RateCard.effective_from, RateCard.is_default,
                    func.count(PlanVersion.id))
             .outerjoin(PlanVersion, PlanVersion.rate_card_id == RateCard.id)
             .group_by(RateCard.id, RateCard.label, RateCard.effective_from, RateCard.is_default)
             .order_by(RateCard.effective_from.desc(), RateCard.id))
    return [CardUsage(*row) for row in db.session.execute(query)]


def plan_versions_using(card: RateCard) -> int:
    """How many plan versions were costed with this card."""
    return db.session.scalar(select(func.count(PlanVersion.id))
                             .where(PlanVersion.rate_card_id == card.id))


def format_card_value(card_field: CardField, value: Any) -> str | list[str]:
    """A stored card value as text (money as money); a table as a list of "key: value"."""
    if value is None:
        return "Not set"
    if isinstance(value, Mapping):
        labels = KEY_LABELS.get(card_field.kind, {})
        return [f"{labels.get(key, key)}: {_format_number(card_field, number)}"
                for key, number in value.items()]
    return _format_number(card_field, value)


def _format_number(card_field: CardField, value: Any) -> str:
    if card_field.kind == "level":
        return LEVEL_LABELS.get(value, str(value))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if card_field.kind in GBP_KINDS:
        return format_gbp(value)
    return format_number(value) if float(value).is_integer() else str(value)


def card_values(document: Mapping) -> dict[str, list[CardValue]]:
    """Every value of a stored card, by section, with its source (published, derived or
    assumed), basis and checked date."""
    document = upgraded_document(document)
    sections: dict[str, list[CardValue]] = {}
    for card_field in FIELDS:
        section = document.get(card_field.section)
        value = section.get(card_field.key) if isinstance(section, Mapping) else None
        source = source_entry(document, card_field)
        sections.setdefault(card_field.section, []).append(CardValue(
            card_field, format_card_value(card_field, value), str(source["status"]),
            str(source["basis"]), source["checked"]))
    return sections


def _flatten(document: Mapping) -> dict[str, Any]:
    document = upgraded_document(document)
    values = {}
    for card_field in FIELDS:
        section = document.get(card_field.section)
        values[card_field.path] = section.get(card_field.key) if isinstance(section,
                                                                            Mapping) else None
    return values


def create_rate_card(card: EngineCard, source: RateCard, user: User) -> RateCard | None:
    """Save a validated card as a new row; None if its ID was taken meanwhile."""
    document = card.to_dict()
    row = RateCard(id=card.id, label=card.label,
                   effective_from=date.fromisoformat(card.effective_from),
                   values=document, is_default=False, created_by_id=user.id)
    db.session.add(row)
    changed = audit.diff(_flatten(source.values), _flatten(document))
    audit.record("ratecard.created", user=user,
                 summary=f"Created rate card {card.id} from {source.id}, effective from "
                         f"{card.effective_from} ({len(changed)} values changed)",
                 changes={"source": source.id, "values": changed})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return row


def set_default_card(card: RateCard, user: User) -> None:
    """Make this card the only default, in one statement and one transaction."""
    previous = db.session.scalars(select(RateCard.id).where(RateCard.is_default)).all()
    db.session.execute(update(RateCard).values(is_default=RateCard.id == card.id))
    audit.record("ratecard.default_set", user=user,
                 summary=f"Made rate card {card.id} the default",
                 changes={"before": previous, "after": card.id})
    db.session.commit()


def all_teams() -> list[Team]:
    """Every team, by name."""
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def all_users() -> list[User]:
    """Every user, by email."""
    return list(db.session.scalars(select(User).order_by(User.email)))


def find_or_create_team(name: str) -> Team:
    """The team with this name (ignoring case), added to the session if new."""
    team = db.session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))
    if team is None:
        team = Team(name=name)
        db.session.add(team)
    return team


def _chosen_teams(form) -> list[Team]:
    teams = [db.session.get(Team, team_id) for team_id in form.team_ids.data or []]
    if form.new_team.data:
        teams.append(find_or_create_team(form.new_team.data))
    unique = {id(team): team for team in teams if team is not None}
    return sorted(unique.values(), key=lambda team: team.name)


def user_snapshot(user: User) -> dict[str, Any]:
    """What the audit log keeps about a user (never the password)."""
    return {"email": user.email, "name": user.name, "role": user.role,
            "teams": sorted(team.name for team in user.teams), "active": user.active,
            "network_coordinator": bool(user.network_coordinator)}


def create_user(form, admin: User) -> User | None:
    """Add a user from a validated UserForm; None if the email was taken meanwhile."""
    user = User(email=form.email.data.lower(), name=form.name.data or "",
                role=form.role.data, active=True,
                network_coordinator=bool(form.network_coordinator.data))
    user.set_password(form.password.data)
    user.teams = _chosen_teams(form)
    db.session.add(user)
    audit.record("user.created", user=admin,
                 summary=f"Created user {user.email} ({user.role})",
                 changes={"after": user_snapshot(user)})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return user


def update_user(user: User, form, admin: User) -> dict[str, Any]:
    """Apply a validated UserEditForm; return what changed (nothing written if nothing did)."""
    before = user_snapshot(user)
    user.name = form.name.data or ""
    user.role = form.role.data
    user.network_coordinator = bool(form.network_coordinator.data)
    user.teams = _chosen_teams(form)
    changes = audit.diff(before, user_snapshot(user))
    if changes:
        audit.record("user.updated", user=admin,
                     summary=f"Changed {', '.join(sorted(changes))} of {user.email}",
                     changes=changes)
        db.session.commit()
    else:
        db.session.rollback()
    return changes


def set_user_active(user: User, active: bool, admin: User) -> None:
    """Deactivate (ends every session and API token at once) or reactivate a user;
    reactivation revives neither: they sign in again and make new tokens."""
    user.active = active
    if not active:
        user.end_sessions()
        user.revoke_tokens()
    audit.record("user.reactivated" if active else "user.deactivated", user=admin,
                 summary=f"{'Reactivated' if active else 'Deactivated'} {user.email}")
    db.session.commit()
