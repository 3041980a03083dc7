"""Command-line tasks: users, tokens, seeding. Bad input exits non-zero with a message."""
from __future__ import annotations

import os
import sys

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from app import demo, tokens
from app.accounts import MIN_PASSWORD_LENGTH, get_or_create_team
from app.extensions import db
from app.models import ROLES, ApiToken, User
from app.versions.engine import seed_rate_cards


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--team", "teams", multiple=True, required=True,
              help="Team name (repeat for several); created if new.")
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, role: str, teams: tuple[str, ...], name: str,
                password_stdin: bool) -> None:
    """Create a user (or reset an existing user's password, role and teams)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        _fail("EMAIL must be an email address, like name@example.org")
    if any(not team.strip() or len(team) > 120 for team in teams):
        _fail("--team must be a name of 1 to 120 characters")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        _fail(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        user = User(email=email)
        db.session.add(user)
    user.name = name or user.name or email.split("@")[0]
    user.role = role
    user.set_password(password)
    user.teams = [get_or_create_team(team.strip()) for team in teams]
    db.session.commit()
    click.echo(f"User {email} ({role}) in {', '.join(teams)}.")


def _user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        _fail(f"no user with email {email}")
    return user


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for (shown in lists).")
@click.option("--days", type=click.IntRange(1, 3660), default=None,
              help="Days until it expires (default API_TOKEN_DAYS, 90).")
def create_token(email: str, name: str, days: int | None) -> None:
    """Print a new API token for EMAIL. Only its hash is stored: copy it now."""
    user = _user_by_email(email)
    if not user.active:
        _fail(f"{user.email} is deactivated: reactivate them first")
    click.echo(tokens.issue(user, name, actor=None, days=days))


@click.command("list-tokens")
@click.argument("email", required=False)
def list_tokens(email: str | None) -> None:
    """List API tokens (of EMAIL, or everyone's): id, user, name, state, dates."""
    rows = tokens.tokens_of(_user_by_email(email)) if email else tokens.all_tokens()
    for token in rows:
        click.echo("\t".join([str(token.id), token.user.email, token.name or "-", token.state,
                              f"created {token.created_at:%Y-%m-%d}",
                              f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at
                              else "never expires",
                              f"last used {token.last_used_at:%Y-%m-%d %H:%M}"
                              if token.last_used_at else "never used"]))
    if not rows:
        click.echo("No API tokens.")


@click.command("revoke-token")
@click.argument("token_id", type=click.IntRange(1, 2**63 - 1))
def revoke_token(token_id: int) -> None:
    """Revoke the API token with this id (see list-tokens)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        _fail(f"no API token with id {token_id}")
    if tokens.revoke(token, actor=None):
        click.echo(f"Revoked API token {token_id} of {token.user.email}.")
    else:
        click.echo(f"API token {token_id} was already revoked.")


@click.command("seed")
@click.option("--demo", "with_demo", is_flag=True, help="Also add the demo team, users and bids.")
def seed(with_demo: bool) -> None:
    """Seed the default rate card (and, outside production, the demo data). Safe to rerun."""
    card = seed_rate_cards()
    click.echo(f"Rate card {card.id} ready.")
    if with_demo:
        if not current_app.config.get("SEED_DEMO_ALLOWED"):
            _fail("demo data is never seeded in production")
        created = demo.seed_demo()
        click.echo("Demo data added." if created else "Demo data already present.")


@click.command("export")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True,
              help="File to write the backup to (JSON).")
def export_command(out: str) -> None:
    """Back up every bid, version, comment, rate card, user and audit entry to JSON."""
    from app.backup import write_export

    # Only its owner may read it: it holds every user's password hash and every bid.
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        counts = write_export(stream)
    click.echo(f"Exported {sum(counts.values())} rows from {len(counts)} tables to {out}.")


@click.command("import")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, readable=True))
def import_command(backup: str) -> None:
    """Restore a backup made by `export` into an empty database."""
    import json

    from app.backup import BackupError, import_data

    try:
        with open(backup, encoding="utf-8") as stream:
            document = json.load(stream)
        counts = import_data(document)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        _fail(f"BACKUP could not be read as JSON: {str(error)[:200] or 'nested too deeply'}")
    except BackupError as error:
        _fail(f"BACKUP was not restored: {error}")
    click.echo(f"Imported {sum(counts.values())} rows into {len(counts)} tables.")


def init_app(app: Flask) -> None:
    for command in (create_user, create_token, list_tokens, revoke_token, seed,
                    export_command, import_command):
        app.cli.add_command(command)
    from app.membership.cli import network
    from app.portfolio.seed import seed_portfolio
    app.cli.add_command(network)
    app.cli.add_command(seed_portfolio)
