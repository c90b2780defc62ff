"""WTForms for the org pages. Rules live in services; forms only shape the input."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app import clock
from app.services.orgs import CURRENCIES
from tenants.roles import ROLE_CHOICES

CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]
ZONE_HELP = "When a day and a month begin for the organisation: today, this month, budgets."


def zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, UTC first (sign-up, new org and settings offer the same list)."""
    names = sorted(n for n in clock.zone_names() if n != clock.DEFAULT_ZONE)
    return [(clock.DEFAULT_ZONE, clock.DEFAULT_ZONE), *((n, n.replace("_", " ")) for n in names)]


class OrgForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    base_currency = SelectField("Base currency", choices=CURRENCY_CHOICES, default="EUR")
    # The orgs service checks the zone, so a bad one gets its message, not WTForms' generic one.
    time_zone = SelectField(
        "Time zone", choices=zone_choices, validate_choice=False, description=ZONE_HELP
    )
    submit = SubmitField("Save")


class InviteForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=255)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="member")
    submit = SubmitField("Send invitation")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change")


class ConfirmForm(FlaskForm):
    """A bare POST with its CSRF token, for buttons that change something."""

    submit = SubmitField("Confirm")


class ProfileForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=120)])
    default_org = SelectField("Default organisation", coerce=int, choices=[])
    locale = SelectField(
        "Number and date format",
        choices=[],
        validate_choice=False,  # the profile service names the field in its message
        description="How amounts and dates are written for you; the interface stays in English.",
    )
    submit = SubmitField("Save")


class DeleteOrgForm(FlaskForm):
    confirm_name = StringField("Type the organisation's name to confirm")
    submit = SubmitField("Delete organisation")


class TransferForm(FlaskForm):
    membership_id = SelectField("New owner", choices=[], validate_choice=False)
    stay_owner = BooleanField("I stay an owner too (otherwise I become an accountant)")
    submit = SubmitField("Transfer ownership")
