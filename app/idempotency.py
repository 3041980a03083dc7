"""A form posted twice (a double click, a resent request) does its work once.

Forms that create something carry a one-time ``form_key`` (``form_key()`` in
templates). ``@once`` claims the key for the signed-in user in its own small
transaction before the view runs: a second post of the same key, at the same
moment or later, finds the claim taken and is sent where the first one went,
instead of creating a second bid or comment. A post the view refuses (a form
with errors, a conflict) gives its key back, so the corrected form can be sent.
Posts without a key (API clients, older pages) behave as before.
"""
from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import flash, make_response, redirect, request
from flask_login import current_user
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import FormSubmission, utcnow

FIELD = "form_key"
KEPT_FOR = timedelta(days=2)
PRUNE_ONE_IN = 100


def form_key() -> str:
    """A new key for one rendering of a form."""
    return secrets.token_urlsafe(24)


def _key() -> str | None:
    key = request.form.get(FIELD, "")
    return key if 16 <= len(key) <= 64 and key.isascii() and key.isprintable() else None


def once(fallback: Callable[..., str]):
    """Decorate a POST view; ``fallback(**view_args)`` is where a duplicate goes while the
    first post is still being handled (it has no outcome yet)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            key = _key()
            if key is None or not current_user.is_authenticated:
                return view(*args, **kwargs)
            user_id = current_user.id
            if not _claim(user_id, key):
                done = db.session.get(FormSubmission, (user_id, key))
                flash("That form had already been sent: it was saved once.", "info")
                return redirect(done.location if done is not None and done.location
                                else fallback(**kwargs))
            try:
                response = make_response(view(*args, **kwargs))
            except Exception:
                db.session.rollback()
                _release(user_id, key)
                raise
            if response.status_code in (301, 302, 303) and response.location:
                claim = db.session.get(FormSubmission, (user_id, key))
                if claim is not None:
                    claim.location = response.location[:2000]
                    db.session.commit()
            else:
                _release(user_id, key)
            return response
        return wrapper
    return decorate


def _claim(user_id: int, key: str) -> bool:
    db.session.add(FormSubmission(user_id=user_id, key=key))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    if random.randrange(PRUNE_ONE_IN) == 0:
        db.session.execute(delete(FormSubmission)
                           .where(FormSubmission.created_at < utcnow() - KEPT_FOR))
        db.session.commit()
    return True


def _release(user_id: int, key: str) -> None:
    db.session.execute(delete(FormSubmission).where(FormSubmission.user_id == user_id,
                                                    FormSubmission.key == key))
    db.session.commit()
