"""`flask network ...`: keys for the register's encrypted fields, and coordinators."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.extensions import db
from app.membership import crypto, services
from app.models import User

network = AppGroup("network", help="The co-production network register.")


@network.command("new-key")
def new_key() -> None:
    """Print a new key for MEMBER_DATA_KEYS (put it first to start encrypting with it)."""
    click.echo(crypto.new_key())


@network.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt every member's needs and lived experience with the first key."""
    try:
        changed = services.rotate_keys()
    except crypto.MemberDataKeyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"Re-encrypted {changed} values with the first of "
               f"{crypto.keys().count} key(s). The other keys can now be removed.")


@network.command("set-coordinator")
@click.argument("email")
@click.option("--off", is_flag=True, help="Remove the coordinator flag instead.")
def set_coordinator(email: str, off: bool) -> None:
    """Mark a reviewer as network coordinator (admins are coordinators already)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user with email {email}")
    if user.role != "reviewer" and not off:
        raise click.ClickException(f"{email} is a {user.role}: only reviewers take the "
                                   "coordinator flag (admins coordinate already)")
    user.network_coordinator = not off
    db.session.commit()
    click.echo(f"{email} is {'no longer ' if off else ''}a network coordinator.")
