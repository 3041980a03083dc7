"""The cells of the plan editor's table, as HTML: an input, its label (hidden while the
row is a table row, shown when rows stack on narrow screens) and its error, in the cell.

Written in Python rather than as Jinja macros because a 30-line plan has 420 cells:
macro calls and per-option escaping were most of the page's time. The markup is the
design system's (govuk-input, govuk-select, small govuk-checkboxes); every value a
user typed is escaped.
"""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

CELL = "govuk-table__cell app-lines__cell app-lines__cell--{kind}{error}"


def _label(field, number: int, classes: str = "govuk-label") -> str:
    return (f'<label class="{classes} app-lines__label" for="{field.id}">'
            f'<span class="app-lines__name">{escape(field.label.text)}</span>'
            f'<span class="govuk-visually-hidden">, line {number}</span></label>')


def _error(field) -> str:
    if not field.errors:
        return ""
    return (f'<p id="{field.id}-error" class="govuk-error-message app-lines__error">'
            f'<span class="govuk-visually-hidden">Error:</span> {escape(field.errors[0])}</p>')


def _described(field) -> str:
    return f' aria-describedby="{field.id}-error" aria-invalid="true"' if field.errors else ""


def _open(field, kind: str) -> str:
    return f'<td class="{CELL.format(kind=kind, error=" app-lines__cell--error" if field.errors else "")}">'


def text_input(field, number: int, kind: str = "number") -> Markup:
    """A number (or, with kind "time", a clock time) in its cell."""
    value = field.raw_data[0] if field.raw_data else field._value()
    extra = ' inputmode="decimal"' if kind == "number" else ' autocomplete="off"'
    error_class = " govuk-input--error" if field.errors else ""
    return Markup(
        f'{_open(field, kind)}{_label(field, number)}{_error(field)}'
        f'<input class="govuk-input app-lines__input{error_class}" id="{field.id}" '
        f'name="{field.name}" type="text" value="{escape(value)}"{extra}{_described(field)}>'
        "</td>")


@lru_cache(maxsize=32)
def _options(choices: tuple[tuple[str, str], ...]) -> dict[str | None, str]:
    """Every choice list's <option>s, escaped once, keyed by the selected value."""
    plain = [f'<option value="{escape(value)}">{escape(label)}</option>'
             for value, label in choices]
    html = {None: "".join(plain)}
    for index, (value, label) in enumerate(choices):
        chosen = f'<option value="{escape(value)}" selected>{escape(label)}</option>'
        html[value] = "".join([*plain[:index], chosen, *plain[index + 1:]])
    return html


def select(field, number: int, kind: str = "choice") -> Markup:
    """A choice from a vocabulary in its cell."""
    options = _options(tuple((str(value), str(label)) for value, label in field.choices))
    error_class = " govuk-select--error" if field.errors else ""
    return Markup(
        f'{_open(field, kind)}{_label(field, number)}{_error(field)}'
        f'<select class="govuk-select app-lines__input{error_class}" id="{field.id}" '
        f'name="{field.name}"{_described(field)}>'
        f'{options.get(field.data if isinstance(field.data, str) else None, options[None])}'
        "</select></td>")


def checkbox(field, number: int) -> Markup:
    """A yes or no (a small checkbox) in its cell."""
    checked = " checked" if field.data else ""
    return Markup(
        f'{_open(field, "check")}{_error(field)}'
        '<div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item">'
        f'<input class="govuk-checkboxes__input" id="{field.id}" name="{field.name}" '
        f'type="checkbox" value="y"{checked}{_described(field)}>'
        f'{_label(field, number, "govuk-label govuk-checkboxes__label")}</div></div></td>')


def line_cells(line, number: int) -> Markup:
    """Every input cell of one line (an ActivityForm), in the table's column order."""
    needs = line.needs.form
    return Markup("").join([
        select(line.role, number, "role"), text_input(line.people, number),
        text_input(line.sessions, number), text_input(line.hours_per_session, number),
        text_input(line.prep_hours_per_session, number), select(line.stage, number),
        text_input(line.start_week, number), select(line.mode, number),
        select(line.travel, number), text_input(line.start_time, number, "time"),
        checkbox(needs.bsl, number), text_input(needs.personal_assistants, number),
        text_input(needs.carers_needing_replacement_care, number)])
