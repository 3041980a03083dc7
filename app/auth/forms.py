from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.accounts import MIN_PASSWORD_LENGTH


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
        Email("Enter an email address in the correct format, like name@example.org",
              check_deliverability=False)])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password"),
        Length(max=256, message="Password must be 256 characters or fewer")])


class TokenForm(FlaskForm):
    """A new API token: what it is for."""

    name = StringField("What is this token for?", validators=[
        DataRequired("Enter what the token is for, like “Reporting script”"),
        Length(max=80, message="The name must be 80 characters or fewer")])


class PasswordForm(FlaskForm):
    """A new password for the signed-in user: the current one first."""

    current = PasswordField("Current password", validators=[
        DataRequired("Enter your current password"),
        Length(max=256, message="Password must be 256 characters or fewer")])
    new = PasswordField("New password", validators=[
        DataRequired("Enter a new password"),
        Length(min=MIN_PASSWORD_LENGTH, max=256,
               message=f"New password must be {MIN_PASSWORD_LENGTH} to 256 characters")])
    confirm = PasswordField("New password again", validators=[
        DataRequired("Enter the new password again"),
        EqualTo("new", message="The two new passwords are not the same")])
