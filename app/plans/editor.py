"""The plan editor (the activities page): which button was pressed, the line actions
(add, duplicate, remove), the live estimate and fit to a budget.

Everything works as plain form posts; htmx only asks for the summary as people
type. Costs come from the engine (costing.estimate, costing.fit); this module
only decides what to cost and what to show.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, url_for
from flask_login import current_user

from app import audit, costing
from app.extensions import db
from app.formatting import percent
from app.models import Bid, PlanVersion
from app.plans import forms
from app.plans import views as plan_views
from app.versions import engine, store


@dataclass(frozen=True)
class Pressed:
    """The button that sent the form: ``save``, ``estimate``, ``add``, ``duplicate``,
    ``remove``, ``fit_preview`` or ``fit_apply``; ``line`` for a line's own button."""

    action: str
    line: int | None = None


def pressed(submitted) -> Pressed:
    """Which button sent the form (Enter in a field is a save)."""
    for action in ("duplicate", "remove"):
        value = submitted.get(f"{action}_line", "")
        if value.isascii() and value.isdigit() and len(value) <= 4:  # a line number
            return Pressed(action, int(value))
    if "add_line" in submitted:
        return Pressed("add")
    fit = submitted.get("fit")
    if fit in ("preview", "apply"):
        return Pressed(f"fit_{fit}")
    return Pressed("estimate" if submitted.get("action") == "estimate" else "save")


def with_duplicated_line(inputs: dict[str, Any], index: int) -> dict[str, Any] | None:
    """Inputs with a copy of line ``index`` right after it (None if there is no such line)."""
    lines = list(inputs.get("activities") or [])
    if index >= len(lines):
        return None
    copy = json.loads(json.dumps(lines[index]))
    copy.pop("members", None)  # the network members stay on the line they were put on
    lines.insert(index + 1, copy)
    return dict(inputs, activities=lines)


def live_estimate(bid: Bid, inputs: dict[str, Any], form) -> dict[str, Any] | None:
    """The estimate of what the form holds now, under the card a save would use (nothing
    saved), or None with the errors on the form."""
    updated = forms.inputs_from_plan_form(form, inputs)
    card = engine.plan_rate_card(store.latest_version(bid))
    try:
        return engine.cost(engine.plan_document(bid, updated, card), card)
    except costing.PlanError as error:
        forms.attach_engine_errors(form, error.errors)
        return None


@dataclass(frozen=True)
class FitPreview:
    """What fitting the plan on the page to the budget would change."""

    result: dict[str, Any]
    rows: list[dict[str, Any]]  # {number, role, field, label, from, to}
    digest: str

    @property
    def estimate(self) -> dict[str, Any]:
        return self.result["estimate"]


def fit_preview(bid: Bid, inputs: dict[str, Any], form) -> FitPreview | None:
    """Fit the form's plan to its budget (None, with errors on the form, if it cannot)."""
    if not form.budget_given():
        return None
    card = engine.plan_rate_card(store.latest_version(bid))
    document = engine.plan_document(bid, forms.inputs_from_plan_form(form, inputs), card)
    try:
        result = costing.fit(document, card=card.values, **form.budget())
    except costing.PlanError as error:
        forms.attach_engine_errors(form, error.errors)
        return None
    lines = document["activities"]
    rows = [{"number": change["activity_index"] + 1,
             "role": lines[change["activity_index"]]["role"], "field": change["field"],
             "label": costing.vocabulary.ACTIVITY_FIELD_LABELS[change["field"]],
             "from": change["from"], "to": change["to"]} for change in result["changes"]]
    return FitPreview(result, rows, _digest(result))


def _digest(result: dict[str, Any]) -> str:
    """A short fingerprint of a fit's changes and total: apply only what was previewed."""
    shown = [result["changes"], result["estimate"]["total_gbp"], result["budget_gbp"]]
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:20]


def apply_fit(bid: Bid, preview: FitPreview, form) -> PlanVersion | None:
    """Save the fitted plan as the draft (audited as a fit), if the form's preview is the
    one shown; otherwise say so and show the new preview."""
    if form.fit_digest.data != preview.digest:
        form.form_errors.append("The plan or the budget changed since the preview: check the "
                                "preview below and apply it again.")
        return None
    version = plan_views.save_or_attach_errors(bid, preview.result["plan"], form)
    if version is not None and preview.result["changes"]:
        audit.record("plan.fitted", user=current_user, bid=bid, version_number=version.number,
                     summary=f"Fitted plan version {version.number} to a budget of "
                             f"{costing.format_gbp(preview.result['budget_gbp'])}",
                     changes={f"line {row['number']} {row['field']}":
                              {"before": row["from"], "after": row["to"]}
                              for row in preview.rows})
        db.session.commit()
    return version


def after_saved(bid: Bid, version: PlanVersion, button: Pressed, preview: FitPreview | None):
    """Where each button leads once the draft is saved."""
    count = len(version.inputs.get("activities", []))
    if button.action == "add":
        flash("Line added. Check its details below.", "success")
        return _back(bid, f"line-{count - 1}")
    if button.action == "duplicate":
        flash(f"Line {button.line + 1} duplicated as line {button.line + 2}.", "success")
        return _back(bid, f"line-{button.line + 1}")
    if button.action == "remove":
        flash("Line removed.", "success")
        return _back(bid)
    if button.action == "fit_apply" and preview is not None:
        total = costing.format_gbp(version.estimate["total_gbp"])
        changed = len(preview.rows)
        flash(f"Plan fitted to the budget: {changed} change{'' if changed == 1 else 's'} "
              f"saved as version {version.number}. New total {total} "
              f"({percent(version.estimate['percent_of_bid'], 2)} of the bid).", "success")
        return _back(bid)
    if button.action == "estimate":
        return redirect(url_for("plans.estimate", bid_id=bid.id, number=version.number))
    flash(f"Plan saved as version {version.number}.", "success")
    return _back(bid)


def _back(bid: Bid, anchor: str | None = None):
    return redirect(url_for("plans.activities", bid_id=bid.id, _anchor=anchor))


def line_costs(estimate: dict[str, Any] | None, lines: int) -> list[float | None]:
    """Each line's cost from the estimate of exactly these lines, else None for each."""
    if not estimate or len((estimate.get("inputs") or {}).get("activities") or []) != lines:
        return [None] * lines
    return costing.line_totals(estimate)
