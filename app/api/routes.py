"""The JSON API, v1: the same access rules as the web pages, token authentication."""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, g, jsonify, request, send_file
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import access, costing
from app.api import limits, serializers
from app.api.auth import require_token
from app.api.openapi import openapi_document
from app.database import MAX_PAGE, page_number
from app.extensions import csrf, db, limiter
from app.models import Bid, RateCard
from app.versions import documents, engine, store

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # bearer tokens, never cookies: no cross-site form can use them
limiter.shared_limit(limits.rate_limit, scope="api", key_func=limits.token_key,
                     cost=limits.request_cost)(bp)  # one counter per token for the whole API


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    return require_token()


def errors(status: int, *items: tuple[str | None, str]):
    return jsonify({"errors": [{"field": field, "message": message}
                               for field, message in items]}), status


@bp.get("/openapi.json")
def openapi():
    cards = list(db.session.scalars(select(RateCard.id).order_by(RateCard.id)))
    return jsonify(openapi_document(rate_cards=cards))


@bp.get("/bids")
def list_bids():
    page = page_number(request.args.get("page"))
    per_page = request.args.get("per_page", "50")
    if page is None:
        return errors(400, ("page", f"page must be a whole number from 1 to {MAX_PAGE:,}"))
    if not (per_page.isascii() and per_page.isdigit() and len(per_page) <= 3
            and 1 <= int(per_page) <= 200):
        return errors(400, ("per_page", "per_page must be a whole number from 1 to 200"))
    query = access.visible_bids(g.api_user).options(selectinload(Bid.versions),
                                                     selectinload(Bid.team))
    result = db.paginate(query.order_by(Bid.id), page=page, per_page=int(per_page),
                         error_out=False)
    return jsonify({"bids": [serializers.bid_summary(bid) for bid in result.items],
                    "page": result.page, "pages": result.pages, "total": result.total})


@bp.get("/bids/<int:bid_id>")
def get_bid(bid_id: int):
    return jsonify(serializers.bid_detail(access.get_bid_or_404(g.api_user, bid_id)))


@bp.get("/bids/<int:bid_id>/versions/<int:number>")
def get_version(bid_id: int, number: int):
    bid = access.get_bid_or_404(g.api_user, bid_id)
    return jsonify(serializers.version_detail(store.get_version_or_404(bid, number)))


@bp.get("/bids/<int:bid_id>/versions/<int:number>/plan.docx")
def get_plan_docx(bid_id: int, number: int):
    """The version's plan as a Word document (the estimate page's download)."""
    bid = access.get_bid_or_404(g.api_user, bid_id)
    version = store.get_version_or_404(bid, number)
    if not version.estimate:
        abort(404)
    file = documents.plan_docx(bid, version)
    return send_file(io.BytesIO(file.content), mimetype=file.mimetype, as_attachment=True,
                     download_name=file.filename, max_age=0)


@bp.post("/estimate")
def post_estimate():
    plan = request.get_json(silent=True)
    if not isinstance(plan, dict):
        return errors(400, (None, "The body must be a JSON object: the plan document"))
    if refusal := limits.too_much_work(plan):
        return errors(400, ("options.draws", refusal))
    card_id = plan.get("rate_card") or engine.default_rate_card().id
    card = db.session.get(RateCard, card_id) if isinstance(card_id, str) else None
    if card is None:
        return errors(400, ("rate_card", "must be the id of a rate card this service holds"))
    try:
        return jsonify(engine.cost(plan, card))
    except costing.PlanError as error:
        current_app.logger.info("estimate refused: %d field errors", len(error.errors))
        return jsonify({"errors": error.errors}), 400


@bp.post("/fit")
def post_fit():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("plan"), dict):
        return errors(400, ("plan", "The body must be a JSON object with the plan document in "
                                    "'plan' and 'budget_gbp' or 'budget_percent'"))
    plan = body["plan"]
    if refusal := limits.too_much_work(plan):
        return errors(400, ("plan.options.draws", refusal))
    card_id = plan.get("rate_card") or engine.default_rate_card().id
    card = db.session.get(RateCard, card_id) if isinstance(card_id, str) else None
    if card is None:
        return errors(400, ("plan.rate_card", "must be the id of a rate card this service holds"))
    try:
        return jsonify(costing.fit(plan, budget_gbp=body.get("budget_gbp"),
                                   budget_percent=body.get("budget_percent"), card=card.values))
    except costing.PlanError as error:
        current_app.logger.info("fit refused: %d field errors", len(error.errors))
        return jsonify({"errors": [_in_plan(item) for item in error.errors]}), 400


def _in_plan(item: dict) -> dict:
    """A plan field's error named as it is in the request body (``plan.activities[0]...``)."""
    field = item.get("field")
    if field and not field.startswith("budget_"):
        return {**item, "field": f"plan.{field}"}
    return item
