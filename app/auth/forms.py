from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length


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
