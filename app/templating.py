"""Template filters and globals: money, dates and labels are formatted in one place."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from app import access
from app.costing import vocabulary
from app.costing.budget import LIMIT_LABELS, budget_to_request_gbp
from app.costing.money import format_gbp
from app.versions.statuses import status_colour, status_label


def pence_to_gbp(pence: int | None) -> str:
    """Format integer pence as money, e.g. 1234567 -> £12,345.67."""
    if pence is None:
        return "–"
    return format_gbp(Decimal(pence) / 100)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.strftime("%-d %B %Y at %H:%M")
    return value.strftime("%-d %B %Y")


def label(value: str | None) -> str:
    """A vocabulary key shown as words: 'in_review' -> 'In review'."""
    if not value:
        return "–"
    return value.replace("_", " ").capitalize()


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


def vocabulary_label(labels: dict[str, str]):
    """A filter showing a vocabulary key with the engine's label for it."""
    return lambda key: labels.get(key, label(key)) if key else "–"


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        gbp=format_gbp, pence=pence_to_gbp, date=format_date, label=label,
        status_label=lambda key: status_label(key) or "–", status_colour=status_colour,
        role_label=vocabulary_label(vocabulary.ROLE_LABELS),
        level_label=vocabulary_label(vocabulary.LEVEL_LABELS),
        category_label=vocabulary_label(vocabulary.CATEGORY_LABELS),
        stage_label=vocabulary_label(vocabulary.STAGE_LABELS),
        budget_to_request=budget_to_request_gbp,
        benefit_limit_label=vocabulary_label(LIMIT_LABELS))
    from app.idempotency import form_key

    app.jinja_env.globals.update(access=access, error_items=error_items, form_key=form_key,
                                 has_errors=has_errors)
