"""Plan forms. WTForms parses what was typed; the engine checks the bounds, so
the bounds live in one place (app.costing) and its messages land at the field."""
from __future__ import annotations

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
from wtforms.validators import InputRequired, Length, Optional, Regexp

from app.costing import vocabulary
from app.formfields import NumberField, WholeNumberField

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


class ActivityForm(Form):
    """One activity line: who, how many, how long, when, where, and access needs."""

    role = SelectField("Role", choices=ROLE_CHOICES)
    people = count("Number of people")
    sessions = count("Number of sessions")
    hours_per_session = number("Hours per session")
    prep_hours_per_session = number("Preparation hours per session")
    stage = SelectField("Stage", choices=STAGE_CHOICES)
    start_week = count("Start week")
    mode = SelectField("In person or remote", choices=MODE_CHOICES)
    travel = SelectField("Travel", choices=TRAVEL_CHOICES)
    start_time = StringField("Meeting start time", validators=[
        Optional(), Length(max=5, message="Meeting start time must be like 10:30"),
        Regexp(r"^\d{1,2}:\d{2}$", message="Meeting start time must be like 10:30")])
    bsl = BooleanField("BSL interpreters needed")
    personal_assistants = count("Personal assistants")
    carers = count("Carers needing replacement care")


class PlanForm(FlaskForm):
    """The roles-and-activities page: every line plus the plan-wide settings."""

    activities = FieldList(FormField(ActivityForm), min_entries=0, max_entries=200)
    easy_read_pages = count("Easy read pages")
    existing_network = BooleanField("Contributors come from an existing network")
    contributors = count("Distinct contributors", required=False)
    new_role = SelectField("Role for the new line", choices=ROLE_CHOICES)
    row_version = HiddenField()


class LevelForm(FlaskForm):
    """Choose a level; 'none' needs the written reason."""

    level = RadioField("Level of co-production", choices=LEVEL_CHOICES,
                       validators=[InputRequired("Choose a level of co-production")])
    justification = TextAreaField("Why is co-production not proportionate for this bid?",
                                  validators=[Optional(), Length(
                                      max=5000, message="Justification must be 5,000 "
                                                        "characters or fewer")])
    row_version = HiddenField()


NEEDS_FIELDS = {"bsl": "bsl", "personal_assistants": "personal_assistants",
                "carers_needing_replacement_care": "carers"}


def activity_from_form(line: ActivityForm) -> dict:
    """The contract's activity object from one parsed line of the form."""
    activity = {
        "role": line.role.data, "people": line.people.data, "sessions": line.sessions.data,
        "hours_per_session": _plain(line.hours_per_session.data),
        "prep_hours_per_session": _plain(line.prep_hours_per_session.data),
        "stage": line.stage.data, "start_week": line.start_week.data, "mode": line.mode.data,
        "travel": line.travel.data,
        "needs": {key: getattr(line, name).data for key, name in NEEDS_FIELDS.items()},
    }
    activity["needs"]["bsl"] = bool(activity["needs"]["bsl"])
    if line.start_time.data:
        activity["start_time"] = line.start_time.data.zfill(5)
    return activity


def activity_form_data(activity: dict, defaults: dict | None = None) -> dict:
    """A line's initial form data from a stored activity; `defaults` fills what the
    stored document left out (the engine's defaults, as it costed them)."""
    data = {key: activity.get(key, (defaults or {}).get(key)) for key in (
        "role", "people", "sessions", "hours_per_session", "prep_hours_per_session", "stage",
        "start_week", "mode", "travel", "start_time")}
    needs = activity.get("needs") or {}
    data.update({name: needs.get(key, 0) for key, name in NEEDS_FIELDS.items()})
    data["bsl"] = bool(needs.get("bsl"))
    return data


def engine_defaults(activity: dict, index: int, inputs: dict, estimate: dict | None) -> dict:
    """The values the engine used for a line's omitted optional fields: the role's hours,
    preparation and stage, in person, the bid's scope as travel, and the start week the
    estimate's timeline placed it at."""
    role = vocabulary.ROLES.get(activity.get("role"))
    defaults = {"mode": "in_person", "travel": (inputs.get("bid") or {}).get("scope")}
    if role is not None:
        defaults.update(hours_per_session=role.hours_per_session,
                        prep_hours_per_session=role.prep_hours_per_session, stage=role.stage)
    for row in (estimate or {}).get("timeline", []):
        if row.get("kind") == "activity" and row.get("activity_index") == index:
            defaults["start_week"] = row["start_week"]
    return defaults


def plan_form_data(inputs: dict, estimate: dict | None, row_version: int | None) -> dict:
    """The activities form's initial data from a stored version's inputs and estimate."""
    activities = inputs.get("activities", [])
    return {
        "activities": [activity_form_data(activity,
                                          engine_defaults(activity, index, inputs, estimate))
                       for index, activity in enumerate(activities)],
        "easy_read_pages": (inputs.get("accessible_formats") or {}).get("easy_read_pages", 0),
        "existing_network": bool(inputs.get("existing_network")),
        "contributors": inputs.get("contributors"),
        "row_version": row_version or "",
    }


def inputs_from_plan_form(form: PlanForm, inputs: dict) -> dict:
    """The stored inputs with this form's lines and plan-wide settings applied."""
    return dict(inputs,
                activities=[activity_from_form(line.form) for line in form.activities],
                accessible_formats={"easy_read_pages": form.easy_read_pages.data},
                existing_network=bool(form.existing_network.data),
                contributors=form.contributors.data)


def _plain(value):
    """Decimal from the form as a JSON number (the engine reads exact decimals from it)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def attach_engine_errors(form, errors: list[dict]) -> None:
    """Put the engine's field errors on the matching form fields; others on the form."""
    for error in errors:
        field = _field_for(form, error["field"] or "")
        if field is not None:
            field.errors = [*field.errors, f"{field.label.text} {error['message']}"]
        else:
            form.form_errors.append(_form_level_message(error))


def _field_for(form, path: str):
    """The form field for an engine path like 'activities[2].needs.bsl'."""
    if path.startswith("activities[") and hasattr(form, "activities"):
        index_text, _, rest = path[len("activities["):].partition("]")
        key = rest.lstrip(".").split(".")[-1]
        key = NEEDS_FIELDS.get(key, key)
        if index_text.isdigit() and int(index_text) < len(form.activities):
            return getattr(form.activities[int(index_text)].form, key, None)
        return None
    name = {"accessible_formats.easy_read_pages": "easy_read_pages"}.get(path, path)
    if not name or "." in name or "[" in name or name == "activities":
        return None
    return getattr(form, name, None)


def _form_level_message(error: dict) -> str:
    field = error.get("field") or ""
    if field.startswith("bid."):
        return f"The bid's {field[4:].replace('_', ' ')} {error['message']}: edit the bid to fix it."
    if error.get("code") == "no_activities":
        return "Add at least one activity line, or choose the level “none” with a reason."
    return f"{field.replace('_', ' ').capitalize()} {error['message']}".strip()
