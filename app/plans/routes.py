"""The plan builder: choose a level, edit roles and activities, see the estimate."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from app import access, costing
from app.membership import lines
from app.plans import cells, editor, forms, views
from app.versions import documents, engine, store

bp = Blueprint("plans", __name__)


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every plan page needs a signed-in user."""


@bp.get("/")
def start(bid_id: int):
    bid = access.get_bid_or_404(current_user, bid_id)
    latest = store.latest_version(bid)
    if latest is None:
        return redirect(url_for("plans.level", bid_id=bid.id))
    return redirect(url_for("plans.estimate", bid_id=bid.id, number=latest.number))


def _notice_if_in_review(latest) -> None:
    """Say on opening the page, not only on saving, that a version in review cannot change."""
    notice = views.review_notice(latest)
    if notice is not None and request.method == "GET":
        flash(notice, "info")


@bp.route("/level", methods=["GET", "POST"])
def level(bid_id: int):
    bid = access.get_bid_or_404(current_user, bid_id, for_edit=request.method == "POST")
    latest = store.latest_version(bid)
    inputs = engine.starting_inputs(latest)
    form = forms.LevelForm(data={"level": inputs.get("level"),
                                 "justification": inputs.get("justification"),
                                 "row_version": store.edit_token(latest)})
    card = engine.plan_rate_card(latest)
    _notice_if_in_review(latest)
    if form.validate_on_submit():
        updated = engine.with_level(inputs, bid, form.level.data,
                                    (form.justification.data or "").strip() or None, card)
        version = views.save_or_attach_errors(bid, updated, form)
        if version is not None:
            flash(f"Level “{costing.LEVEL_LABELS[version.level]}” saved.", "success")
            if version.level == "none":
                return redirect(url_for("plans.estimate", bid_id=bid.id, number=version.number))
            return redirect(url_for("plans.activities", bid_id=bid.id))
    comparison = views.level_comparison(bid, inputs, card)
    if request.method == "GET" and not inputs.get("level") and comparison:
        form.level.data = comparison["recommendation"]["level"]  # a new plan starts from the advice
    return render_template("plans/level.html", bid=bid, form=form, comparison=comparison)


@bp.route("/activities", methods=["GET", "POST"])
def activities(bid_id: int):
    """The plan editor: one row per line; add, duplicate, remove, fit to a budget, save."""
    bid = access.get_bid_or_404(current_user, bid_id, for_edit=request.method == "POST")
    latest = store.latest_version(bid)
    inputs = engine.starting_inputs(latest)
    if not inputs.get("level"):
        return redirect(url_for("plans.level", bid_id=bid.id))
    summary, fitted = (latest.estimate if latest else None), None
    if request.method == "GET":
        _notice_if_in_review(latest)
        form = forms.PlanForm(data=forms.plan_form_data(
            inputs, summary, store.edit_token(latest)))
    else:
        form, button = forms.PlanForm(), editor.pressed(request.form)
        if button.action == "remove":
            views.remove_pressed_line(form, request.form)
        summary = None
        if form.validate_on_submit():
            summary, fitted, version = _edit(bid, inputs, form, button)
            if version is not None:
                if button.action in ("remove", "duplicate"):  # members stay on their lines
                    lines.lines_moved(bid, button.action, button.line)
                return editor.after_saved(bid, version, button, fitted)
    return render_template("plans/activities.html", bid=bid, form=form, summary=summary,
                           level=inputs.get("level"), fitted=fitted,
                           line_error_items=forms.error_items, line_cells=cells.line_cells,
                           costs=editor.line_costs(summary, len(form.activities)),
                           network_fits=lines.fit_counts(
                               bid, [entry.form.role.data for entry in form.activities])
                           if access.can_see_network_counts(current_user) else None)


def _edit(bid, inputs, form, button):
    """(estimate of the page, fit preview, saved version) for one press of a button."""
    updated = forms.inputs_from_plan_form(form, inputs)
    if button.action in ("fit_preview", "fit_apply"):
        fitted = editor.fit_preview(bid, inputs, form)
        version = editor.apply_fit(bid, fitted, form) \
            if fitted is not None and button.action == "fit_apply" else None
        return editor.live_estimate(bid, inputs, form), fitted, version
    if button.action == "duplicate":
        updated = editor.with_duplicated_line(updated, button.line) or updated
    elif button.action == "add":
        updated = views.with_added_line(updated, form.new_role.data, bid)
    return None, None, views.save_or_attach_errors(bid, updated, form)


@bp.post("/preview")
def preview(bid_id: int):
    """Recalculate as the user edits (htmx): the summary panel and each line's cost,
    under the card a save would use; nothing saved."""
    bid = access.get_bid_or_404(current_user, bid_id, for_edit=True)
    form = forms.PlanForm()
    inputs = engine.starting_inputs(store.latest_version(bid))
    summary = editor.live_estimate(bid, inputs, form) if form.validate() else None
    return render_template("plans/_summary.html", bid=bid, summary=summary, form=form,
                           costs=editor.line_costs(summary, len(form.activities)),
                           line_error_items=forms.error_items, live=True)


@bp.get("/versions/<int:number>")
def estimate(bid_id: int, number: int):
    bid = access.get_bid_or_404(current_user, bid_id)
    version = store.get_version_or_404(bid, number)
    return render_template("plans/estimate.html", bid=bid, version=version,
                           page=views.estimate_page(bid, version),
                           downloads=views.download_links(bid, version))


@bp.get("/versions/<int:number>/<any(pdf, docx, csv, xlsx):kind>")
def download(bid_id: int, number: int, kind: str):
    """The plan document (PDF, Word) or the budget (CSV, XLSX) of one version."""
    bid = access.get_bid_or_404(current_user, bid_id)
    version = store.get_version_or_404(bid, number)
    if not version.estimate:
        abort(404)
    file = documents.plan_document(bid, version, kind)
    return send_file(io.BytesIO(file.content), mimetype=file.mimetype, as_attachment=True,
                     download_name=file.filename, max_age=0)
