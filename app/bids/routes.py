"""Bid pages: list, create, view, edit, archive."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app import access
from app.bids import services
from app.bids.forms import BidForm, BidSearchForm
from app.database import contains_pattern, page_number
from app.extensions import db
from app.idempotency import once
from app.models import AuditEvent, Bid
from app.versions import store

bp = Blueprint("bids", __name__)


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every bid page needs a signed-in user."""


@bp.get("/")
def index():
    search = BidSearchForm(request.args)
    query = access.visible_bids(current_user)
    if search.validate():
        if search.q.data:
            pattern = contains_pattern(search.q.data.strip())
            query = query.where(or_(Bid.title.ilike(pattern, escape="\\"),
                                    Bid.client.ilike(pattern, escape="\\")))
        if search.status.data == "archived":
            query = query.where(Bid.archived_at.is_not(None))
        else:
            query = query.where(Bid.archived_at.is_(None))
            if search.status.data:
                query = query.where(Bid.status == search.status.data)
    else:
        query = query.where(Bid.archived_at.is_(None))
    page = db.paginate(query.order_by(Bid.updated_at.desc(), Bid.id.desc()),
                       page=page_number(request.args.get("page")) or 1,
                       per_page=current_app.config["BIDS_PER_PAGE"], error_out=False)
    return render_template("bids/index.html", page=page, search=search)


@bp.route("/new", methods=["GET", "POST"])
@once(fallback=lambda: url_for("bids.index"))
def create():
    teams = access.teams_user_can_write_for(current_user)
    if not teams:
        abort(403)
    form = BidForm(teams=teams)
    if form.validate_on_submit():
        bid = services.create_bid(services.form_values(form), current_user)
        flash(f"Bid “{bid.title}” created.", "success")
        return redirect(url_for("bids.show", bid_id=bid.id))
    return render_template("bids/form.html", form=form, bid=None)


@bp.get("/<int:bid_id>")
def show(bid_id: int):
    bid = access.get_bid_or_404(current_user, bid_id)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.bid_id == bid.id)
                                .order_by(AuditEvent.created_at.desc()).limit(20)).all()
    return render_template("bids/show.html", bid=bid, events=events)


@bp.route("/<int:bid_id>/edit", methods=["GET", "POST"])
def edit(bid_id: int):
    bid = access.get_bid_or_404(current_user, bid_id, for_edit=True)
    locking = store.bid_locked_by(bid)
    if locking is not None and request.method == "GET":
        flash(store.bid_lock_message(locking), "info")
        return redirect(url_for("bids.show", bid_id=bid.id))
    teams = access.teams_user_can_write_for(current_user)
    form = BidForm(data=services.form_data_for(bid) if request.method == "GET" else None,
                   teams=teams)
    if form.validate_on_submit():
        if form.row_version.data != str(bid.row_version):
            return _edit_conflict(form, bid)
        try:
            changes = services.update_bid(bid, services.form_values(form), current_user)
        except services.BidLocked as locked:
            form.form_errors.append(str(locked))
            return render_template("bids/form.html", form=form, bid=bid), 409
        except services.BidChanged:
            return _edit_conflict(form, db.session.get(Bid, bid_id))
        flash("Bid saved." if changes else "Nothing had changed.", "success")
        return redirect(url_for("bids.show", bid_id=bid.id))
    return render_template("bids/form.html", form=form, bid=bid)


def _edit_conflict(form, bid):
    """Someone else saved the bid first: their save stands, this page keeps the input."""
    form.form_errors.append("Someone else saved this bid while you were editing it. "
                            "Your changes are still below: check them against the "
                            "current bid and save again.")
    form.row_version.data = str(bid.row_version)
    return render_template("bids/form.html", form=form, bid=bid), 409


@bp.post("/<int:bid_id>/archive")
def archive(bid_id: int):
    bid = access.get_bid_or_404(current_user, bid_id, for_edit=True)
    archived = request.form.get("archived", "1") == "1"
    services.set_archived(bid, archived, current_user)
    flash("Bid archived." if archived else "Bid restored.", "success")
    return redirect(url_for("bids.show", bid_id=bid.id))
