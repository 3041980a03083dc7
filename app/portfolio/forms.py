"""Portfolio forms: the table's filters and the summary's year (GET), the targets (POST)."""
from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.choices import SCOPE_CHOICES, STATUS_CHOICES, WORK_TYPE_CHOICES
from app.costing.vocabulary import LEVEL_LABELS, LEVELS
from app.formfields import MoneyField, WholeNumberField
from app.models import OUTCOMES
from app.portfolio.periods import FinancialYear
from app.portfolio.queries import NOT_CHOSEN, SORT_KEYS

LEVEL_CHOICES = [("", "Any level"), *((key, LEVEL_LABELS[key]) for key in LEVELS),
                 (NOT_CHOSEN, "No level chosen or no plan")]
OUTCOME_CHOICES = [("", "Any outcome"), *((key, key.capitalize()) for key in OUTCOMES)]
MAX_INCOME_GBP = Decimal("1000000000")


def year_choices(years: list[int]) -> list[tuple[str, str]]:
    return [(str(year), FinancialYear(year).label) for year in years]


class ChoiceField(SelectField):
    """A select whose wrong value gets a message naming the field."""

    def pre_validate(self, form) -> None:
        if (self.data or "") not in {str(value) for value, _ in self.choices}:
            raise ValidationError(f"Choose a {self.label.text.lower()} from the list")


def printable(_form, field) -> None:
    """Refuse control characters (PostgreSQL cannot even compare text holding NUL)."""
    if field.data and any(ord(character) < 32 or character == "\x7f"
                          for character in field.data):
        raise ValidationError(f"{field.label.text} can only use printable characters")


class _GetForm(FlaskForm):
    """A filter form read from the query string: no CSRF token, nothing is changed."""

    class Meta:
        csrf = False

    def value(self, name: str) -> str | None:
        """A field's value if it is valid and not empty, else None (the filter is ignored)."""
        field = self[name]
        return field.data if field.data and not field.errors else None


class SummaryForm(_GetForm):
    year = ChoiceField("Financial year")
    team = ChoiceField("Team")

    def __init__(self, formdata, *, years: list[int], teams, all_teams_label: str,
                 **defaults) -> None:
        super().__init__(formdata, **defaults)
        self.year.choices = year_choices(years)
        self.team.choices = [("", all_teams_label), *((str(t.id), t.name) for t in teams)]


class PortfolioFilterForm(SummaryForm):
    status = ChoiceField("Status", choices=[("", "Any status"), *STATUS_CHOICES])
    level = ChoiceField("Level of co-production", choices=LEVEL_CHOICES)
    client = StringField("Client or funder contains", validators=[
        Optional(), Length(max=200, message="Client or funder must be 200 characters or fewer"),
        printable])
    work_type = ChoiceField("Kind of work", choices=[("", "Any kind of work"),
                                                     *WORK_TYPE_CHOICES])
    scope = ChoiceField("Scope", choices=[("", "Any scope"), *SCOPE_CHOICES])
    outcome = ChoiceField("Outcome", choices=OUTCOME_CHOICES)
    sort = HiddenField(default="deadline")
    order = HiddenField(default="asc")

    def __init__(self, formdata, **kwargs) -> None:
        super().__init__(formdata, **kwargs)
        self.year.choices = [("", "All years"), *self.year.choices]

    def sort_key(self) -> str:
        return self.sort.data if self.sort.data in SORT_KEYS else "deadline"

    def descending(self) -> bool:
        return self.order.data == "desc"


class TargetsForm(FlaskForm):
    year = ChoiceField("Financial year")
    considered_percent = WholeNumberField(
        "Target share of bids that recorded co-production was considered (%)",
        parse_message="Target share must be a whole number from 0 to 100", validators=[
            InputRequired("Enter the target share of bids, from 0 to 100"),
            NumberRange(min=0, max=100,
                        message="Target share must be a whole number from 0 to 100")])
    income_gbp = MoneyField(
        "Co-production income target for the year, in pounds", places=2,
        parse_message="Income target must be an amount in pounds, like 100000", validators=[
            InputRequired("Enter the income target in pounds, like 100000"),
            NumberRange(min=Decimal(0), max=MAX_INCOME_GBP,
                        message="Income target must be from £0 to £1,000,000,000")])

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year.choices = year_choices(years)
