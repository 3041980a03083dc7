"""Template filters and globals: money, dates (Europe/London) and labels, all formatted by
app.formatting."""
from __future__ import annotations

from functools import partial

from flask import Flask

from app import access, formatting
from app.costing import vocabulary
from app.costing.budget import LIMIT_LABELS, budget_to_request_gbp
from app.versions.statuses import status_colour, status_label


def error_items(form) -> list[tuple[str, str]]:
    """(field id, first message) for every field with an error, nested lines included,
    in page order: what the error summary at the top of a form links to."""
    items: list[tuple[str, str]] = []
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                items.extend(error_items(entry.form) if entry.type == "FormField"
                             else ([(entry.id, entry.errors[0])] if entry.errors else []))
        elif field.type == "FormField":
            items.extend(error_items(field.form))
        elif field.errors:
            items.append((field.id, field.errors[0]))
    return items


def has_errors(form) -> bool:
    """Whether the page shows any error: for the 'Error: ' prefix of its title."""
    return bool(form.form_errors or error_items(form))


def _vocabulary_label(labels: dict[str, str], key: str | None) -> str:
    """A filter showing a vocabulary key with the engine's label for it."""
    return formatting.label(key, labels)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        gbp=formatting.format_gbp, pence=formatting.pence, date=formatting.date_text,
        short_date=formatting.short_date, iso_date=formatting.iso_date_text,
        label=formatting.label, status_colour=status_colour, percent=formatting.percent,
        status_label=lambda key: status_label(key) or formatting.MISSING,
        share_of_bid=lambda cost, bid_value: formatting.percent(
            formatting.share_of_bid(cost, bid_value), places=2),
        role_label=partial(_vocabulary_label, vocabulary.ROLE_LABELS),
        level_label=partial(_vocabulary_label, vocabulary.LEVEL_LABELS),
        category_label=partial(_vocabulary_label, vocabulary.CATEGORY_LABELS),
        stage_label=partial(_vocabulary_label, vocabulary.STAGE_LABELS),
        budget_to_request=budget_to_request_gbp,
        benefit_limit_label=partial(_vocabulary_label, LIMIT_LABELS))
    from app.idempotency import form_key

    app.jinja_env.globals.update(access=access, error_items=error_items, form_key=form_key,
                                 has_errors=has_errors)
