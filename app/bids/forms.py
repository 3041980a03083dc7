"""The bid form: every field bounded, every message naming what to fix."""
from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.choices import SCOPE_CHOICES, STATUS_CHOICES, WORK_TYPE_CHOICES
from app.formfields import DayField, MoneyField, WholeNumberField, date_in_range
from app.membership.vocabulary import REGION_LABELS, REGIONS

MAX_VALUE_GBP = Decimal("1000000000")


class BidForm(FlaskForm):
    title = StringField("Bid title", validators=[
        DataRequired("Enter the bid title"),
        Length(max=200, message="Bid title must be 200 characters or fewer")])
    client = StringField("Client or funder", validators=[
        DataRequired("Enter the client or funder"),
        Length(max=200, message="Client or funder must be 200 characters or fewer")])
    reference = StringField("Bid reference", validators=[
        Optional(),
        Length(max=60, message="Bid reference must be 60 characters or fewer"),
        Regexp(r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$",
               message="Bid reference can only use letters, numbers, spaces and . _ / -")])
    value_gbp = MoneyField("Bid value in pounds", places=2,
                           parse_message="Bid value must be a number, like 120000", validators=[
        InputRequired("Enter the bid value in pounds, like 120000"),
        NumberRange(min=Decimal("0.01"), max=MAX_VALUE_GBP,
                    message="Bid value must be more than £0 and at most £1,000,000,000")])
    start_date = DayField("Start date", parse_message="Start date must be a real date, like 2027-04-01",
                         validators=[
        InputRequired("Enter the start date"), date_in_range("Start date")])
    duration_months = WholeNumberField(
        "Duration in months", parse_message="Duration must be a whole number of months",
        validators=[
        InputRequired("Enter the duration in whole months"),
        NumberRange(min=1, max=120, message="Duration must be between 1 and 120 months")])
    scope = SelectField("Scope", choices=SCOPE_CHOICES,
                        validators=[DataRequired("Choose the scope")])
    region = SelectField("Region", choices=[("", "Not given")]
                         + [(key, REGION_LABELS[key]) for key in REGIONS], default="")
    work_type = SelectField("Kind of work", choices=WORK_TYPE_CHOICES,
                            validators=[DataRequired("Choose the kind of work")])
    client_requires_coproduction = BooleanField("The client requires co-production")
    deadline = DayField("Submission deadline",
                       parse_message="Submission deadline must be a real date, like 2027-01-29",
                       validators=[
        Optional(), date_in_range("Submission deadline")])
    team_id = SelectField("Team", coerce=int, validate_choice=True)
    row_version = HiddenField()

    def __init__(self, *args, teams=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team_id.choices = [(team.id, team.name) for team in teams]

    def validate_deadline(self, field) -> None:
        """The bid is submitted before the work it wins can start."""
        if field.data and self.start_date.data and field.data > self.start_date.data:
            raise ValidationError("Submission deadline must be on or before the start date")


class BidSearchForm(FlaskForm):
    """The list's search box and status filter (GET, so no CSRF)."""

    class Meta:
        csrf = False

    q = StringField("Search by title or client", validators=[Optional(), Length(max=200)])
    status = SelectField("Status", choices=[("", "Any status"), *STATUS_CHOICES,
                                            ("archived", "Archived")],
                         validators=[Optional()])
