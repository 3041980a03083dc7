"""Admin pages: rate cards (list, view, copy to a new card, choose the default) and users.

There is deliberately no route that edits a rate card: a card a plan was costed
with must stay as it was, so a new card is made by copying an existing one.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import access, tokens
from app.admin import services
from app.admin.cardinputs import SECTION_LABELS, card_sections, initial_card_data
from app.admin.forms import RateCardForm, UserEditForm, UserForm
from app.extensions import db
from app.models import ApiToken, RateCard, User

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def require_admin() -> None:
    """Every admin page needs a signed-in admin; anyone else gets 403."""
    access.require_admin(current_user)


@bp.get("/")
def index():
    """The admin start page: links to rate cards and users."""
    return render_template("admin/index.html")


@bp.get("/rate-cards")
def rate_cards():
    """Every rate card with its effective date, default marker and use by plans."""
    return render_template("admin/rate_cards.html", cards=services.rate_cards_with_usage())


@bp.get("/rate-cards/<card_id>")
def rate_card(card_id: str):
    """One card: every value by section, published or assumed, with its basis."""
    card = db.get_or_404(RateCard, card_id)
    return render_template("admin/rate_card.html", card=card,
                           sections=services.card_values(card.values),
                           section_labels=SECTION_LABELS,
                           plan_versions=services.plan_versions_using(card))


@bp.route("/rate-cards/<card_id>/copy", methods=["GET", "POST"])
def copy_rate_card(card_id: str):
    """A new card from an existing one: its values to change, a new ID and date."""
    source = db.get_or_404(RateCard, card_id)
    form = RateCardForm(data=initial_card_data(source.values)
                        if request.method == "GET" else None)
    if form.is_submitted():
        validated = form.validate_card(source.values)
        card = validated and services.create_rate_card(validated, source, current_user)
        if card:
            flash(f"Rate card {card.id} created.", "success")
            return redirect(url_for("admin.rate_card", card_id=card.id))
        if validated:
            form.id.errors.append("A rate card with this ID already exists: "
                                       "choose another ID")
    return render_template("admin/rate_card_form.html", form=form, source=source,
                           sections=card_sections())


@bp.post("/rate-cards/<card_id>/default")
def choose_default(card_id: str):
    """Make this card the one default (the form's CSRF token is checked app-wide)."""
    card = db.get_or_404(RateCard, card_id)
    if card.is_default:
        flash(f"Rate card {card.id} is already the default.", "info")
    else:
        services.set_default_card(card, current_user)
        flash(f"Rate card {card.id} is now the default for new plans.", "success")
    return redirect(url_for("admin.rate_card", card_id=card.id))


@bp.get("/users")
def users():
    """Every user with their role, teams and whether they may sign in."""
    return render_template("admin/users.html", users=services.all_users())


@bp.route("/users/new", methods=["GET", "POST"])
def create_user():
    """Add a user with a role, teams (existing or a new one) and an initial password."""
    form = UserForm(teams=services.all_teams())
    if form.validate_on_submit():
        user = services.create_user(form, current_user)
        if user:
            flash(f"User {user.email} created.", "success")
            return redirect(url_for("admin.users"))
        form.email.errors.append("A user with this email address already exists")
        form.forget_password()
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Change a user's name, role and teams."""
    user = db.get_or_404(User, user_id)
    data = {"name": user.name, "role": user.role, "team_ids": sorted(user.team_ids),
            "network_coordinator": user.network_coordinator}
    form = UserEditForm(data=data if request.method == "GET" else None,
                        teams=services.all_teams(), user=user, acting_user=current_user)
    if form.validate_on_submit():
        changes = services.update_user(user, form, current_user)
        flash(f"User {user.email} saved." if changes else "Nothing had changed.", "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    """Deactivate (active=0) or reactivate (active=1) a user; never yourself."""
    user = db.get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    if user.id == current_user.id and not active:
        flash("You cannot deactivate your own account: ask another admin to do it.", "error")
    else:
        services.set_user_active(user, active, current_user)
        flash(f"{'Reactivated' if active else 'Deactivated'} {user.email}.", "success")
    return redirect(url_for("admin.users"))


@bp.get("/tokens")
def tokens_page():
    """Every user's API tokens: who, what for, state, last use; revoke any of them."""
    return render_template("admin/tokens.html", tokens=tokens.all_tokens())


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    tokens.revoke(token, actor=current_user)
    flash(f"API token {token.id} of {token.user.email} was revoked.", "success")
    return redirect(url_for("admin.tokens_page"))
