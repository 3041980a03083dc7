"""Plan forms. WTForms parses what was typed; the engine checks the bounds, so
the bounds live in one place (app.costing) and its messages land at the field."""
from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from app import fieldpaths, templating
from app.costing import vocabulary
from app.costing.fit import BUDGET_MAX
from app.formfields import MoneyField, NumberField, WholeNumberField

ROLE_CHOICES = [(key, role.label) for key, role in vocabulary.ROLES.items()]
STAGE_CHOICES = [(key, vocabulary.STAGE_LABELS[key]) for key in vocabulary.STAGES]
MODE_CHOICES = [(key, vocabulary.MODE_LABELS[key]) for key in vocabulary.MODES]
TRAVEL_CHOICES = [(key, vocabulary.TRAVEL_LABELS[key]) for key in vocabulary.TRAVEL]
LEVEL_CHOICES = [(key, vocabulary.LEVEL_LABELS[key]) for key in vocabulary.LEVELS]


def count(label: str, required: bool = True) -> WholeNumberField:
    first = InputRequired(f"Enter {label.lower()}") if required else Optional()
    return WholeNumberField(label, parse_message=f"{label} must be a whole number", validators=[first])


def number(label: str) -> NumberField:
    return NumberField(label, parse_message=f"{label} must be a number, like 2.5",
                       validators=[InputRequired(f"Enter {label.lower()}")])


LABELS = vocabulary.ACTIVITY_FIELD_LABELS


class NeedsForm(Form):
    """A line's access needs: the contract's ``needs`` object."""

    bsl = BooleanField(LABELS["needs.bsl"])
    personal_assistants = count(LABELS["needs.personal_assistants"])
    carers_needing_replacement_care = count(LABELS["needs.carers_needing_replacement_care"])


class ActivityForm(Form):
    """One activity line, its fields named as in the contract's activity object."""

    role = SelectField(LABELS["role"], choices=ROLE_CHOICES)
    people = count(LABELS["people"])
    sessions = count(LABELS["sessions"])
    hours_per_session = number(LABELS["hours_per_session"])
    prep_hours_per_session = number(LABELS["prep_hours_per_session"])
    stage = SelectField(LABELS["stage"], choices=STAGE_CHOICES)
    start_week = count(LABELS["start_week"])
    mode = SelectField(LABELS["mode"], choices=MODE_CHOICES)
    travel = SelectField(LABELS["travel"], choices=TRAVEL_CHOICES)
    start_time = StringField(LABELS["start_time"], validators=[
        Optional(), Length(max=5, message="Meeting start time must be like 10:30"),
        Regexp(r"^\d{1,2}:\d{2}$", message="Meeting start time must be like 10:30")])
    needs = FormField(NeedsForm, label=LABELS["needs"])


class AccessibleFormatsForm(Form):
    """The contract's ``accessible_formats`` object."""

    easy_read_pages = count("Easy read pages")


class PlanForm(FlaskForm):
    """The roles-and-activities page: every line plus the plan-wide settings."""

    activities = FieldList(FormField(ActivityForm), min_entries=0, max_entries=200)
    accessible_formats = FormField(AccessibleFormatsForm, label="Accessible formats")
    existing_network = BooleanField("Contributors come from an existing network")
    contributors = count("Distinct contributors", required=False)
    new_role = SelectField("Role for the new line", choices=ROLE_CHOICES)
    # Fit to a budget: named as in the engine's fit (``budget_gbp`` or ``budget_percent``).
    # The ranges are the engine's fit's (it checks them too); here the message names the
    # field as the page does ("Share of the bid value", not the label's "Or a share ...").
    budget_gbp = MoneyField("Budget in pounds", places=2, validators=[
        Optional(), NumberRange(min=0, max=BUDGET_MAX, message="Budget in pounds must be a "
                                f"number from 0 to {BUDGET_MAX:,}")],
                            parse_message="Budget in pounds must be an amount, like 4250")
    budget_percent = NumberField("Or a share of the bid value, in %", places=None, validators=[
        Optional(), NumberRange(min=0, max=100, message="Share of the bid value must be a "
                                                        "number from 0 to 100")],
                                 parse_message="Share of the bid value must be a number, like 5")
    fit_digest = HiddenField()
    row_version = HiddenField()

    def budget_given(self) -> bool:
        """Check the fit's budget: one of pounds or a share, not both (errors at the fields)."""
        gbp, percent = self.budget_gbp, self.budget_percent
        if gbp.errors or percent.errors:
            return False
        if gbp.data is None and percent.data is None:
            gbp.errors = ["Enter a budget in pounds, or a share of the bid value"]
        elif gbp.data is not None and percent.data is not None:
            gbp.errors = ["Enter a budget in pounds or a share of the bid value, not both"]
        return not gbp.errors

    def budget(self) -> dict:
        """The budget as the engine's fit takes it."""
        if self.budget_gbp.data is not None:
            return {"budget_gbp": _plain(self.budget_gbp.data)}
        return {"budget_percent": _plain(self.budget_percent.data)}


class LevelForm(FlaskForm):
    """Choose a level; 'none' needs the written reason."""

    level = RadioField("Level of co-production", choices=LEVEL_CHOICES,
                       validators=[InputRequired("Choose a level of co-production")])
    justification = TextAreaField("Why is co-production not proportionate for this bid?",
                                  validators=[Optional(), Length(
                                      max=5000, message="Justification must be 5,000 "
                                                        "characters or fewer")])
    row_version = HiddenField()


def activity_from_form(line: ActivityForm) -> dict:
    """The contract's activity object from one parsed line of the form."""
    activity = {name: _plain(value) for name, value in line.data.items() if name != "needs"}
    activity["needs"] = dict(line.needs.data, bsl=bool(line.needs.bsl.data))
    activity["start_time"] = line.start_time.data.zfill(5) if line.start_time.data else None
    return activity


def plan_form_data(inputs: dict, estimate: dict | None, row_version: str | None) -> dict:
    """The activities form's initial data: the lines as the engine costed them (every
    default filled in), and the plan-wide settings as stored."""
    costed = (estimate or {}).get("inputs") or inputs
    return {
        "activities": costed.get("activities", []),
        "accessible_formats": {"easy_read_pages": (inputs.get("accessible_formats") or {})
                               .get("easy_read_pages", 0)},
        "existing_network": bool(inputs.get("existing_network")),
        "contributors": inputs.get("contributors"),
        "row_version": row_version or "",
    }


def inputs_from_plan_form(form: PlanForm, inputs: dict) -> dict:
    """The stored inputs with this form's lines and plan-wide settings applied."""
    stored = inputs.get("activities") or []
    return dict(inputs,
                activities=[_with_members(activity_from_form(line.form), stored, index)
                            for index, line in enumerate(form.activities)],
                accessible_formats=form.accessible_formats.data,
                existing_network=bool(form.existing_network.data),
                contributors=form.contributors.data)


def _with_members(activity: dict, stored: list[dict], index: int) -> dict:
    """Keep the network members named on a line (app.membership.lines) while its role stays."""
    before = stored[index] if index < len(stored) else {}
    if before.get("members") and before.get("role") == activity.get("role"):
        activity["members"] = before["members"]
    return activity


def error_items(form: PlanForm) -> list[tuple[str, str]]:
    """The error summary's (field id, message) pairs, each line's named by its number and
    role ("Line 3 (Co-trainer): Number of people ..."): every line's fields share labels."""
    line_of = {field_id: index for index, entry in enumerate(form.activities)
               for field_id, _ in templating.error_items(entry.form)}
    items = []
    for field_id, message in templating.error_items(form):
        if field_id in line_of:
            index = line_of[field_id]
            role = vocabulary.ROLE_LABELS.get(form.activities[index].form.role.data)
            message = f"Line {index + 1}{f' ({role})' if role else ''}: {message}"
        items.append((field_id, message))
    return items


def _plain(value):
    """Decimal from the form as a JSON number (the engine reads exact decimals from it)."""
    if not isinstance(value, Decimal):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def attach_engine_errors(form, errors: list[dict]) -> None:
    """Put the engine's field errors on the form's fields (its paths are the form's names);
    those about no field of this page at the top."""
    fieldpaths.attach_engine_errors(form, errors, unplaced=_form_level_message,
                                    name=_message_name)


#: Fields whose label is a question: a message names them with a noun instead.
MESSAGE_NAMES = {"justification": "Justification"}


def _message_name(field, _error: dict) -> str:
    return MESSAGE_NAMES.get(field.name, field.label.text)


def _form_level_message(error: dict) -> str:
    field = error.get("field") or ""
    if field.startswith("bid."):
        return f"The bid's {field[4:].replace('_', ' ')} {error['message']}: edit the bid to fix it."
    if error.get("code") == "no_activities":
        return "Add at least one activity line, or choose the level “none” with a reason."
    return f"{field.replace('_', ' ').capitalize()} {error['message']}".strip()
