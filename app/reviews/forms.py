"""Review forms. Every POST carries a CSRF token; decisions carry the version's
row_version, so a decision taken on a stale page is refused."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from app import costing
from app.models import PlanVersion

MAX_COMMENT = 5000
SECTIONS = (("plan", "The plan as a whole"), ("level", "Level and reasons"),
            ("activities", "Roles and activities"), ("access", "Access and support"),
            ("budget", "Budget"), ("time", "Time"), ("risks", "Risks"))
OUTCOME_CHOICES = [("won", "Won"), ("lost", "Lost"), ("withdrawn", "Withdrawn")]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def text(label: str, missing: str) -> TextAreaField:
    """A required text box whose messages name it."""
    return TextAreaField(label, filters=[_strip], validators=[
        DataRequired(missing),
        Length(max=MAX_COMMENT, message=f"{label} must be {MAX_COMMENT:,} characters or fewer")])


def section_choices(version: PlanVersion) -> list[tuple[str, str]]:
    """The plan, its sections, and each of the version's lines ("Line 2: Co-trainer")."""
    lines = [(f"line-{index}", f"Line {index + 1}: "
                               f"{costing.ROLE_LABELS.get(line.get('role'), 'unknown role')}")
             for index, line in enumerate((version.inputs or {}).get("activities") or [])]
    return [*SECTIONS, *lines]


def section_label(version: PlanVersion, section: str) -> str:
    """What a stored comment is about, in words."""
    return dict(section_choices(version)).get(section, section.replace("-", " ").capitalize())


class ChoiceField(SelectField):
    """A select whose wrong value gets a message naming the field."""

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _ in self.choices}:
            raise ValidationError("Choose what the comment is about from the list")


class VersionActionForm(FlaskForm):
    """A button acting on one version as loaded: submit, approve, mark as submitted."""

    row_version = HiddenField()


class RequestChangesForm(VersionActionForm):
    reason = text("What needs to change", "Enter what needs to change before you can approve")


class CommentForm(FlaskForm):
    section = ChoiceField("What is the comment about?", default="plan")
    body = text("Comment", "Enter your comment")

    def __init__(self, *args, version: PlanVersion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.section.choices = section_choices(version)


class ReplyForm(FlaskForm):
    body = text("Reply", "Enter your reply")


class ResolveForm(FlaskForm):
    resolved = HiddenField(validators=[AnyOf(["0", "1"], message="Choose resolve or reopen")])


class OutcomeField(RadioField):
    """The outcome radios; a value not offered gets the same message as none chosen."""

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _ in self.choices}:
            raise ValidationError("Choose the outcome of the bid: won, lost or withdrawn")


class OutcomeForm(FlaskForm):
    outcome = OutcomeField("What was the outcome of the bid?", choices=OUTCOME_CHOICES,
                           validators=[InputRequired("Choose the outcome of the bid: won, "
                                                     "lost or withdrawn")])


class CompareForm(FlaskForm):
    """Which two versions to compare (read from the query string, so no CSRF)."""

    class Meta:
        csrf = False

    older = SelectField("Compare version", coerce=int, validate_choice=False)
    newer = SelectField("with version", coerce=int, validate_choice=False)

    def __init__(self, *args, numbers: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(number, f"Version {number}") for number in numbers]
        self.older.choices = self.newer.choices = choices
