"""The register's forms: every field bounded, every message naming what to fix.

The CSV import feeds each row through MemberForm too, so a rule lives once.
"""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.formfields import DayField, WholeNumberField, date_in_range
from app.membership.vocabulary import (
    CONSENT_LABELS,
    CONSENT_PURPOSES,
    INVOLVEMENT_LABELS,
    INVOLVEMENT_STATUSES,
    KIND_LABELS,
    KINDS,
    MEETING_FORMAT_LABELS,
    MEETING_FORMATS,
    MEMBER_STATUS_LABELS,
    NEED_LABELS,
    NEEDS,
    ORGANISATION_TYPE_LABELS,
    ORGANISATION_TYPES,
    PAYMENT_LABELS,
    PAYMENT_PREFERENCES,
    REGION_LABELS,
    REGIONS,
    ROLE_CHOICES,
    STATUSES,
    choices,
)

MAX_TAGS, MAX_TAG_LENGTH = 20, 60


class CheckboxesField(SelectMultipleField):
    """Several choices ticked from a list (GOV.UK checkboxes)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        known = {value for value, _ in self.choices}
        unknown = [value for value in self.data or [] if value not in known]
        if unknown:
            raise ValidationError(f"{self.label.text}: “{unknown[0]}” is not one of the choices")


def not_in_future(label: str):
    def check(form, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(f"{label} must be today or in the past")
    return check


def split_tags(text: str | None) -> list[str]:
    """Lived-experience tags as typed: separated by commas or semicolons, trimmed."""
    return [tag.strip() for tag in (text or "").replace(";", ",").split(",") if tag.strip()]


class RegisterForm(FlaskForm):
    """WTForms' "Not a valid choice" says nothing of the field: these messages name it."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            field.errors = [f"{field.label.text}: choose one of the options"
                            if message in ("Not a valid choice.", "Invalid Choice: could not coerce.")
                            else message for message in field.errors]
        return valid


class MemberForm(RegisterForm):
    kind = RadioField("Kind of member", choices=choices(KINDS, KIND_LABELS),
                      validators=[InputRequired("Choose whether this is a person or an "
                                                "organisation's representative")])
    display_name = StringField("Name", validators=[
        DataRequired("Enter the member's name"),
        Length(max=120, message="Name must be 120 characters or fewer")])
    organisation_name = StringField("Organisation", validators=[
        Length(max=200, message="Organisation must be 200 characters or fewer")])
    organisation_type = SelectField(
        "Kind of organisation",
        choices=[("", "Not an organisation")] + choices(ORGANISATION_TYPES,
                                                         ORGANISATION_TYPE_LABELS),
        default="", validate_choice=False)
    email = StringField("Email address", validators=[
        Optional(), Length(max=254, message="Email address must be 254 characters or fewer"),
        Email("Enter an email address like name@example.org", check_deliverability=False)])
    phone = StringField("Phone", validators=[
        Optional(), Length(max=40, message="Phone must be 40 characters or fewer"),
        Regexp(r"^[0-9 +()-]+$", message="Phone can only use numbers, spaces and + ( ) -")])
    region = SelectField("Region", choices=[("", "Choose a region")]
                         + choices(REGIONS, REGION_LABELS), default="", validate_choice=False,
                         validators=[DataRequired("Choose the member's region"),
                                     AnyOf(REGIONS, message="Choose a region from the list")])
    local_authority = StringField("Local authority", validators=[
        Length(max=120, message="Local authority must be 120 characters or fewer")])
    roles = CheckboxesField("Roles they want", choices=ROLE_CHOICES)
    lived_experience = StringField("Areas of lived experience", validators=[
        Length(max=2000, message="Areas of lived experience must be 2,000 characters or fewer")])
    needs = CheckboxesField("Access and communication needs", choices=choices(NEEDS, NEED_LABELS))
    payment_preference = RadioField(
        "Payment preference", choices=choices(PAYMENT_PREFERENCES, PAYMENT_LABELS),
        validators=[InputRequired("Choose the member's payment preference")])
    joined_on = DayField("Joined the network on",
                         parse_message="Joined the network on must be a real date, like 2025-04-01",
                         validators=[InputRequired("Enter the day the member joined"),
                                     date_in_range("Joined the network on"),
                                     not_in_future("Joined the network on")])
    row_version = HiddenField()

    def validate_organisation_name(self, field) -> None:
        if self.kind.data == "organisation" and not (field.data or "").strip():
            raise ValidationError("Enter the organisation this member represents")

    def validate_organisation_type(self, field) -> None:
        if self.kind.data == "organisation" and not field.data:
            raise ValidationError("Choose the kind of organisation")
        if field.data and field.data not in ORGANISATION_TYPES:
            raise ValidationError("Choose a kind of organisation from the list")

    def validate_lived_experience(self, field) -> None:
        tags = split_tags(field.data)
        if len(tags) > MAX_TAGS:
            raise ValidationError(f"Areas of lived experience: at most {MAX_TAGS} areas")
        if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise ValidationError(f"Areas of lived experience: each area must be "
                                  f"{MAX_TAG_LENGTH} characters or fewer")

    def values(self) -> dict:
        """The validated member fields, as the domain stores them."""
        organisation = self.kind.data == "organisation"
        return {
            "kind": self.kind.data, "display_name": self.display_name.data.strip(),
            "organisation_name": (self.organisation_name.data or "").strip() if organisation
            else "",
            "organisation_type": self.organisation_type.data if organisation else "",
            "email": (self.email.data or "").strip().lower(),
            "phone": (self.phone.data or "").strip(), "region": self.region.data,
            "local_authority": (self.local_authority.data or "").strip(),
            "roles": sorted(self.roles.data or []),
            "lived_experience": split_tags(self.lived_experience.data),
            "needs": sorted(self.needs.data or []),
            "payment_preference": self.payment_preference.data,
            "joined_on": self.joined_on.data,
        }


class NewMemberForm(MemberForm):
    """Adding a member records their consent to bid work at the same time (if given)."""

    consent_bid_work = BooleanField("They consent to being proposed for bid work")
    may_be_named = BooleanField("They may be named in bid documents")
    consent_given_on = DayField("Consent given on",
                                parse_message="Consent given on must be a real date, like 2025-04-01",
                                validators=[Optional(), date_in_range("Consent given on"),
                                            not_in_future("Consent given on")])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.consent_bid_work.data and not self.consent_given_on.data \
                and not self.consent_given_on.errors:
            self.consent_given_on.errors = ["Enter the day they gave consent"]
            valid = False
        return valid

    def validate_may_be_named(self, field) -> None:
        if field.data and not self.consent_bid_work.data:
            raise ValidationError("Being named needs consent to bid work: tick both, or neither")

    def consent(self) -> dict | None:
        if not self.consent_bid_work.data:
            return None
        return {"purpose": "bid_work", "given_on": self.consent_given_on.data,
                "may_be_named": bool(self.may_be_named.data)}


class ConsentForm(RegisterForm):
    purpose = RadioField("What the consent is for", choices=choices(CONSENT_PURPOSES,
                                                                    CONSENT_LABELS),
                         validators=[InputRequired("Choose what the consent is for")])
    given_on = DayField("Consent given on",
                        parse_message="Consent given on must be a real date, like 2025-04-01",
                        validators=[InputRequired("Enter the day consent was given"),
                                    date_in_range("Consent given on"),
                                    not_in_future("Consent given on")])
    may_be_named = BooleanField("They may be named in bid documents")


class DayForm(RegisterForm):
    """One date: when a consent was withdrawn."""

    on = DayField("Withdrawn on", parse_message="Withdrawn on must be a real date, like 2026-04-01",
                  validators=[InputRequired("Enter the day"), date_in_range("Withdrawn on"),
                              not_in_future("Withdrawn on")])


class StatusForm(RegisterForm):
    status = SelectField("Status", choices=choices(STATUSES, MEMBER_STATUS_LABELS),
                         validators=[DataRequired("Choose a status")])
    on = DayField("From", parse_message="From must be a real date, like 2026-04-01",
                  validators=[InputRequired("Enter the day the status changed"),
                              date_in_range("From"), not_in_future("From")])


class ConfirmForm(RegisterForm):
    """A button that needs only its CSRF token (erasure asks for a typed confirmation)."""

    confirm = StringField("Type ERASE to confirm", validators=[
        DataRequired("Type ERASE to confirm the erasure"),
        Regexp(r"^ERASE$", message="Type ERASE, in capitals, to confirm the erasure")])


class ImportForm(RegisterForm):
    file = FileField("CSV file")


class MemberFilterForm(RegisterForm):
    """The list's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    role = SelectField("Role wanted", choices=[("", "Any role")] + ROLE_CHOICES,
                       default="", validators=[Optional()])
    region = SelectField("Region", choices=[("", "Any region")] + choices(REGIONS, REGION_LABELS),
                         default="", validators=[Optional()])
    status = SelectField("Status", choices=[("", "Any status")] + choices(STATUSES,
                                                                          MEMBER_STATUS_LABELS),
                         default="", validators=[Optional()])
    kind = SelectField("Kind", choices=[("", "Any kind")] + choices(KINDS, KIND_LABELS),
                       default="", validators=[Optional()])
    need = SelectField("Need", choices=[("", "Any needs")] + choices(NEEDS, NEED_LABELS),
                       default="", validators=[Optional()])


class MeetingForm(RegisterForm):
    title = StringField("Title", validators=[
        DataRequired("Enter the meeting's title"),
        Length(max=200, message="Title must be 200 characters or fewer")])
    held_on = DayField("Held on", parse_message="Held on must be a real date, like 2026-10-14",
                       validators=[InputRequired("Enter the day the meeting was held"),
                                   date_in_range("Held on")])
    format = RadioField("Format", choices=choices(MEETING_FORMATS, MEETING_FORMAT_LABELS),
                        validators=[InputRequired("Choose the meeting's format")])
    attendees = CheckboxesField("Who attended", coerce=int)


class InvolvementForm(RegisterForm):
    status = RadioField("Involvement", choices=choices(INVOLVEMENT_STATUSES, INVOLVEMENT_LABELS),
                        validators=[InputRequired("Choose assigned or took part")])
    took_part_on = DayField("Took part on",
                            parse_message="Took part on must be a real date, like 2026-10-14",
                            validators=[Optional(), date_in_range("Took part on")])
    sessions_attended = WholeNumberField(
        "Sessions attended", parse_message="Sessions attended must be a whole number",
        validators=[Optional(), NumberRange(min=0, max=500,
                                            message="Sessions attended must be 0 to 500")])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.status.data == "took_part" and not self.took_part_on.data \
                and not self.took_part_on.errors:
            self.took_part_on.errors = ["Enter the day they took part"]
            valid = False
        return valid


class AssignForm(RegisterForm):
    members = CheckboxesField("Members to assign", coerce=int)


class RetentionForm(RegisterForm):
    months = WholeNumberField("Retention period in months",
                              parse_message="Retention period must be a whole number of months",
                              validators=[InputRequired("Enter the retention period in months"),
                                          NumberRange(min=1, max=120,
                                                      message="Retention period must be 1 to "
                                                              "120 months")])
