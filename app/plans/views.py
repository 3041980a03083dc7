"""What the plan pages show, built from a bid, its inputs and the engine's documents.

Views stay short by asking this module; nothing here computes money (the
engine does) or formats it (app.formatting does).
"""
from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_login import current_user

from app import charts, costing, reports
from app.cache import remembered
from app.formatting import pence_to_pounds
from app.models import Bid, PlanVersion, RateCard
from app.plans import forms
from app.versions import engine, store


def waiting_for_review(version: PlanVersion) -> str:
    """Why a version in review cannot be saved (said on opening its pages, and on saving)."""
    return (f"Version {version.number} is waiting for review, so it cannot change. "
            "Ask the reviewer to request changes, then edit it.")


def review_notice(latest: PlanVersion | None) -> str | None:
    """The notice for the plan pages while the latest version waits for review."""
    if latest is not None and latest.status == "in_review":
        return waiting_for_review(latest)
    return None


def save_or_attach_errors(bid: Bid, inputs: dict[str, Any], form) -> PlanVersion | None:
    """Save the inputs as the draft, or put the engine's messages on the form."""
    try:
        return store.save_plan(bid, inputs, current_user, form.row_version.data)
    except costing.PlanError as error:
        forms.attach_engine_errors(form, error.errors)
    except store.PlanInReview as in_review:
        form.form_errors.append(waiting_for_review(in_review.version))
    except store.StaleVersion as stale:
        saver = stale.current.updated_by
        who = saver.display_name if saver is not None else "someone else"
        form.form_errors.append(
            f"This plan was saved by someone else ({who}, version {stale.current.number}) "
            "while you were editing. Your changes are still on this page: check them "
            "against the saved plan and save again.")
        form.row_version.data = store.edit_token(stale.current)
    return None


def level_comparison(bid: Bid, inputs: dict[str, Any],
                     card: RateCard) -> dict[str, Any] | None:
    """All four levels side by side for this bid, each from its starting plan sized with
    the plan's card (None if the bid cannot be costed)."""
    bid_document = engine.bid_document(bid)
    try:
        return remembered("levels", (bid_document, inputs, card.id, card.values),
                          lambda: costing.compare_levels(bid_document, plan=inputs,
                                                         rate_card=card.values))
    except costing.PlanError:
        current_app.logger.warning("bid %s cannot be compared across levels", bid.id)
        return None


def remove_pressed_line(form: forms.PlanForm, submitted) -> bool:
    """Drop the line whose 'Remove' button was pressed, before validation (so an
    invalid line can always be removed). Returns True if one was removed."""
    remove = submitted.get("remove_line", "")
    if remove.isdigit() and int(remove) < len(form.activities.entries):
        form.activities.entries.pop(int(remove))
        return True
    return False


def with_added_line(inputs: dict[str, Any], role_key: str, bid: Bid) -> dict[str, Any]:
    """Inputs plus one new line for the role, with the engine's defaults for it."""
    line = costing.new_line(role_key, engine.bid_document(bid))
    return dict(inputs, activities=[*inputs.get("activities", []), line])


def estimate_page(bid: Bid, version: PlanVersion) -> dict[str, Any]:
    """Charts (SVG) and tables for a version's stored estimate."""
    estimate = version.estimate or {}
    if not estimate:
        return {}
    return {"estimate": estimate,
            "charts": remembered("estimate-charts",
                                 (estimate, bid.value_pence, bid.duration_months),
                                 lambda: _estimate_charts(bid, estimate))}


def _estimate_charts(bid: Bid, estimate: dict[str, Any]) -> list[dict[str, Any]]:
    value_gbp = float(pence_to_pounds(bid.value_pence))
    points = reports.cost_curve_points(estimate)
    return [
        _chart(charts.cost_by_category_chart(estimate), charts.cost_by_category_table(estimate),
               "Cost by category", "Co-production cost of this plan in each budget category."),
        _chart(charts.cost_by_stage_chart(estimate), charts.cost_by_stage_table(estimate),
               "Cost by stage", "Co-production cost of this plan in each stage of the work."),
        _chart(charts.timeline_chart(estimate, bid.duration_months),
               charts.timeline_table(estimate), "Timeline",
               "Stages across the bid's months, with co-production activities and lead times."),
        _chart(charts.fixed_cost_curve_chart(
            points, current=(value_gbp, estimate["percent_of_bid"])),
               charts.fixed_cost_curve_table(points), "Share of bid value across bid sizes",
               "The same co-production plan as a percentage of different bid values: "
               "its costs stay the same, so the share falls as bids grow."),
    ]


def _chart(drawing, table, title: str, description: str) -> dict[str, Any]:
    return {"title": title, "svg": charts.to_svg(drawing, title, description), "table": table}


def download_links(bid: Bid, version: PlanVersion) -> list[tuple[str, str]]:
    if not version.estimate:
        return []
    return [(label, url_for("plans.download", bid_id=bid.id, number=version.number, kind=kind))
            for label, kind in (("Co-production plan (PDF)", "pdf"),
                                ("Co-production plan (Word)", "docx"),
                                ("Budget spreadsheet (XLSX)", "xlsx"),
                                ("Budget lines (CSV)", "csv"))]
