"""Admin forms: a new rate card copied from an existing one, and users.

The rate card form has one field per input of ``app.admin.cardinputs`` (one per
value of the engine's card, one per key of a table of numbers). WTForms checks
each input on its own (present, a number, not negative); the engine's
``RateCard.from_dict`` then checks the card as a whole, and its messages are
put back at the inputs they are about.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    FormField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app import fieldpaths
from app.accounts import MIN_PASSWORD_LENGTH
from app.admin.cardinputs import (
    CARD_GROUPS,
    CARD_INPUTS,
    SEPARATOR,
    SOURCE_KEYS,
    SOURCE_STATUS_LABELS,
    CardInput,
    input_for_path,
    source_key,
)
from app.costing.errors import PlanError
from app.costing.ratecard import RateCard as EngineCard
from app.costing.ratecard_fields import FIELDS, SECTIONS, STATUSES
from app.costing.vocabulary import LEVEL_LABELS, LEVELS
from app.extensions import db
from app.formfields import DayField, NumberField, WholeNumberField, date_in_range
from app.models import ROLES, RateCard, User

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ROLE_DESCRIPTIONS = {
    "admin": "Admin: sees every team's bids, manages users and rate cards",
    "reviewer": "Reviewer: writes and reviews the bids of their teams",
    "writer": "Writer: writes the bids of their teams",
    "viewer": "Viewer: reads the bids of their teams, changes nothing",
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _make_field(card_input: CardInput):
    kind, name = card_input.card_field.kind, card_input.full_label
    required = InputRequired(f"Enter a value for {name}")
    not_negative = NumberRange(min=0, message=f"{name} must be 0 or more")
    if kind == "level":
        return SelectField(card_input.label, choices=[(k, LEVEL_LABELS[k]) for k in LEVELS],
                           validators=[InputRequired(f"Choose {name}")])
    if kind == "clock":
        return StringField(card_input.label, filters=[_strip], validators=[
            required, Length(max=5, message=f"{name} must be a time as HH:MM, like 10:00")])
    if kind == "chars":
        return WholeNumberField(card_input.label, validators=[required, not_negative],
                                parse_message=f"{name} must be a whole number, like "
                                              f"{card_input.example}")
    bounds = [] if kind == "inflation" else [not_negative]  # deflation is allowed
    return NumberField(card_input.label, places=None,
                       parse_message=f"{name} must be a number, like {card_input.example}",
                       validators=[required, *bounds])


_SECTION_WORDS = "|".join(SECTIONS)
_KEY_WORDS = "|".join(sorted({f.key for f in FIELDS if "_" in f.key},  # only keys with an underscore
                             key=len, reverse=True))
_PATH_WORDS = re.compile(rf"\b(?:(?:{_SECTION_WORDS})\.)?({_KEY_WORDS})\b")
_LABEL_FOR_KEY = {f.key: f.label for f in FIELDS}


def _readable(message: str) -> str:
    """The engine's message with value keys (``policy.limited_below_gbp``) as their labels."""
    return _PATH_WORDS.sub(lambda match: f"“{_LABEL_FOR_KEY[match[1]]}”", message)


class RateCardForm(FlaskForm):
    """A new rate card: its name and date, and every value (see CARD_INPUTS), named and
    nested as in a card document (``rates.travel_return.local`` is
    ``form.rates.travel_return.local``)."""

    id = StringField("Card ID", filters=[_strip], validators=[
        DataRequired("Enter a card ID"),
        Length(max=64, message="Card ID must be 64 characters or fewer"),
        Regexp(SLUG, message="Card ID can only use lowercase letters, digits and single "
                             "hyphens, like org-2027")])
    label = StringField("Name", filters=[_strip], validators=[
        DataRequired("Enter a name for the card"),
        Length(max=200, message="Name must be 200 characters or fewer")])
    description = TextAreaField("Description", filters=[_strip], validators=[
        Optional(), Length(max=2000, message="Description must be 2,000 characters or fewer")])
    effective_from = DayField("Effective from",
                              parse_message="Effective from must be a real date, like 2027-04-01",
                              validators=[InputRequired("Enter the date the card takes effect"),
                                          date_in_range("Effective from")])

    def validate_id(self, field) -> None:
        """Card IDs are unique: a card is never replaced."""
        if db.session.get(RateCard, field.data) is not None:
            raise ValidationError("A rate card with this ID already exists: choose another ID")

    def validate_card(self, source_document: Mapping) -> EngineCard | None:
        """Check each input, then the whole card with the engine; the card if all is well."""
        self.validate()
        try:
            card = EngineCard.from_dict(self.card_document(source_document))
        except PlanError as error:
            self.add_engine_errors(error.errors)
            return None
        return None if self.errors else card

    def card_document(self, source_document: Mapping) -> dict[str, Any]:
        """The new card document: the inputs (null where one was bad) and the source's sources."""
        day = None if self.effective_from.errors else self.effective_from.data
        document: dict[str, Any] = {
            "id": self.id.data, "label": self.label.data,
            "description": self.description.data or None,
            "currency": source_document.get("currency", "GBP"),
            "effective_from": day.isoformat() if day else None,
            "sources": self.sources_document()}
        for section in SECTIONS:
            document[section] = {}
        for card_input in CARD_INPUTS:
            field = self.input_field(card_input)
            value = None if field.errors else field.data
            section = document[card_input.card_field.section]
            if card_input.sub_key is None:
                section[card_input.card_field.key] = value
            else:
                section.setdefault(card_input.card_field.key, {})[card_input.sub_key] = value
        return document

    def sources_document(self) -> dict[str, Any]:
        """Each value's ``{status, basis, checked}`` as typed (left out where one is bad)."""
        sources = {}
        for card_field in FIELDS:
            inputs = getattr(self.sources, source_key(card_field))
            entry = {key: getattr(inputs, key) for key in SOURCE_KEYS}
            sources[card_field.path] = {
                key: (field.data.isoformat() if key == "checked" and field.data else field.data)
                for key, field in entry.items() if not field.errors and field.data}
        return sources

    def source_fields(self, card_field) -> Any:
        """The status, basis and checked inputs of one value."""
        return getattr(self.sources, source_key(card_field))

    def input_field(self, card_input: CardInput):
        """The form field of one card input (found by its path in the card)."""
        return fieldpaths.field_at(self, card_input.path)

    def add_engine_errors(self, errors: list[dict[str, Any]]) -> None:
        """Put the engine's field errors at the inputs (skipping inputs already in error)."""
        fieldpaths.attach_engine_errors(
            self, [dict(error, message=_readable(error["message"])) for error in errors],
            name=_name_in_message)


def _name_in_message(field, error: Mapping[str, Any]) -> str:
    """A card value as messages name it: "Return travel: Local travel" for one input,
    "Return travel" for a whole table."""
    card_input = input_for_path(error["field"])
    if card_input is None:
        return field.label.text
    return card_input.full_label if error["field"] == card_input.path else \
        card_input.card_field.label


def _inputs_form(name: str, fields: dict[str, Any]) -> type[Form]:
    return type(name, (Form,), fields)


def _section_form(section: str) -> FormField:
    """A FormField holding a section's inputs (a table of numbers as a nested one)."""
    fields: dict[str, Any] = {}
    for card_field, inputs in CARD_GROUPS:
        if card_field.section != section:
            continue
        if inputs[0].sub_key is None:
            fields[card_field.key] = _make_field(inputs[0])
        else:
            fields[card_field.key] = FormField(
                _inputs_form(f"{card_field.key}_form", {i.sub_key: _make_field(i) for i in inputs}),
                label=card_field.label, separator=SEPARATOR)
    return FormField(_inputs_form(f"{section}_form", fields), separator=SEPARATOR)


def _source_form(card_field) -> FormField:
    """A value's status, basis and checked date: kept from the card copied, editable."""
    name = card_field.label
    fields = {
        "status": SelectField("Where the figure comes from",
                              choices=[(key, SOURCE_STATUS_LABELS[key]) for key in STATUSES],
                              validators=[InputRequired(f"Choose where {name} comes from")]),
        "basis": StringField("Basis: who publishes it, for which period, or why we assume it",
                             filters=[_strip], validators=[
                                 InputRequired(f"Enter the basis of {name}"),
                                 Length(max=1000, message=f"The basis of {name} must be "
                                                          "1,000 characters or fewer")]),
        "checked": DayField("Date checked", parse_message=f"The date {name} was checked must "
                            "be a real date, like 2026-12-01",
                            validators=[Optional(), date_in_range(f"The date {name} was "
                                                                  "checked")]),
    }
    return FormField(_inputs_form(f"{source_key(card_field)}_source", fields),
                     label=name, separator=SEPARATOR)


def _sources_form() -> FormField:
    fields = {source_key(card_field): _source_form(card_field) for card_field in FIELDS}
    return FormField(_inputs_form("sources_form", fields), separator=SEPARATOR)


for _section in SECTIONS:
    setattr(RateCardForm, _section, _section_form(_section))
RateCardForm.sources = _sources_form()


class UserForm(FlaskForm):
    """A new user: email, name, initial password, role and teams."""

    email = EmailField("Email address", filters=[_strip], validators=[
        DataRequired("Enter the email address"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
        Email("Enter an email address in the correct format, like name@example.org",
              check_deliverability=False)])
    name = StringField("Full name", filters=[_strip], validators=[
        Optional(), Length(max=120, message="Full name must be 120 characters or fewer")])
    password = PasswordField("Initial password", validators=[
        InputRequired("Enter an initial password"),
        Length(min=MIN_PASSWORD_LENGTH, max=256,
               message=f"Initial password must be {MIN_PASSWORD_LENGTH} to 256 characters")])
    role = SelectField("Role", default="writer", validators=[DataRequired("Choose a role")],
                       choices=[(role, ROLE_DESCRIPTIONS[role]) for role in ROLES])
    team_ids = SelectMultipleField("Teams", coerce=int)
    network_coordinator = BooleanField("Network coordinator")
    new_team = StringField("New team", filters=[_strip], validators=[
        Length(max=120, message="New team must be 120 characters or fewer")])

    def __init__(self, *args, teams=(), user: User | None = None,
                 acting_user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team_ids.choices = [(team.id, team.name) for team in teams]
        self.user, self.acting_user = user, acting_user

    def validate(self, extra_validators=None) -> bool:
        """Validate; on failure, never send the typed password back to the browser."""
        valid = super().validate(extra_validators)
        if not valid:
            self.forget_password()
        return valid

    def forget_password(self) -> None:
        """Blank the password input when the form is shown again."""
        if self.password is not None:
            self.password.raw_data, self.password.data = None, ""

    def validate_email(self, field) -> None:
        """One user per email address, ignoring case."""
        taken = select(User.id).where(func.lower(User.email) == field.data.lower())
        if db.session.scalar(taken) is not None:
            raise ValidationError("A user with this email address already exists")

    def validate_role(self, field) -> None:
        """An admin keeps their own admin role, so there is always an admin."""
        own = self.user is not None and self.acting_user is not None \
            and self.user.id == self.acting_user.id
        if own and field.data != "admin":
            raise ValidationError("You cannot remove your own admin role: ask another admin")

    def validate_network_coordinator(self, field) -> None:
        """Reviewers take the flag (app.access.is_coordinator); admins coordinate already."""
        if field.data and self.role.data != "reviewer":
            raise ValidationError("Only a reviewer can be marked network coordinator: "
                                  "admins coordinate the network already")

    def validate_team_ids(self, field) -> None:
        """At least one team, chosen or new."""
        if field.choices and not field.data and not self.new_team.data:
            raise ValidationError("Choose at least one team, or enter a new team name")

    def validate_new_team(self, field) -> None:
        """With no teams to choose from yet, a new team's name is needed."""
        if not self.team_ids.choices and not field.data:
            raise ValidationError("Enter a team name: there are no teams yet")


class UserEditForm(UserForm):
    """Change a user's name, role and teams (email and password stay as they are)."""

    email = None
    password = None
