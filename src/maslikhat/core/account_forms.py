"""allauth's account forms with the site's own labels and help texts (settings.ACCOUNT_FORMS).

Our catalogue is built from our source only, so every text the account pages show is written
here (labels, help texts) or in our templates (templates/account/, templates/mfa/), and the
errors allauth raises come from our adapter's `error_messages` (core/accounts.py). The English
placeholders allauth puts in its inputs are removed: each field has a visible label.

Every form also applies the project's text rule (`SafeFormMixin`), and works without the
`user`/`request` allauth normally passes (the hostile-text test builds each form bare): a form
that has no account to check against refuses with a plain "invalid" error.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms import SafeFormMixin

# The labels (LABELS: field -> label) and help texts (HELP: field -> text; a field not listed
# shows none, so no English help of allauth's is left).
LOGIN = _("Your username or email")
PASSWORD = _("Password")
PASSWORD_AGAIN = _("Password (again)")
NEW_PASSWORD = _("New password")
NEW_PASSWORD_AGAIN = _("New password (again)")
CURRENT_PASSWORD = _("Current password")
EMAIL = _("Email")
USERNAME = _("Username")
REMEMBER = _("Remember me on this device")
NO_ACCOUNT = _("This form needs a signed-in account.")
PASSWORD_HELP = _("At least 8 characters; not only digits, not a common password and not like your username.")


class OurLabelsMixin(SafeFormMixin):
    """Set our labels (and help texts) on the fields allauth built; drop its placeholders."""

    LABELS: dict[str, Any] = {}
    HELP: dict[str, Any] = {}

    def _relabel(self) -> None:
        for name, field in self.fields.items():
            if name in self.LABELS:
                field.label = self.LABELS[name]
            field.help_text = self.HELP.get(name, "")
            field.widget.attrs.pop("placeholder", None)

    def _no_account(self) -> ValidationError:
        return ValidationError(NO_ACCOUNT, code="invalid")


class LoginForm(OurLabelsMixin, allauth_forms.LoginForm):
    LABELS = {"login": LOGIN, "password": PASSWORD, "remember": REMEMBER}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()
        self.fields["login"].widget.attrs["autocomplete"] = "username"


class SignupForm(OurLabelsMixin, allauth_forms.SignupForm):
    LABELS = {"email": EMAIL, "username": USERNAME, "password1": PASSWORD, "password2": PASSWORD_AGAIN}
    HELP = {
        "email": _("Your appeals sent with this address are listed under “My appeals” once it is confirmed."),
        "password1": PASSWORD_HELP,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()


class AddEmailForm(OurLabelsMixin, allauth_forms.AddEmailForm):
    LABELS = {"email": EMAIL}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()

    def clean_email(self) -> str:
        if self.user is None:
            raise self._no_account()
        return str(super().clean_email())


class ChangePasswordForm(OurLabelsMixin, allauth_forms.ChangePasswordForm):
    LABELS = {"oldpassword": CURRENT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}
    HELP = {"password1": PASSWORD_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()

    def clean_oldpassword(self) -> str:
        if self.user is None:
            raise self._no_account()
        return str(super().clean_oldpassword())


class SetPasswordForm(OurLabelsMixin, allauth_forms.SetPasswordForm):
    LABELS = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}
    HELP = {"password1": PASSWORD_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()


class ResetPasswordForm(OurLabelsMixin, allauth_forms.ResetPasswordForm):
    LABELS = {"email": EMAIL}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()


class ResetPasswordKeyForm(OurLabelsMixin, allauth_forms.ResetPasswordKeyForm):
    LABELS = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}
    HELP = {"password1": PASSWORD_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()


class ReauthenticateForm(OurLabelsMixin, allauth_forms.ReauthenticateForm):
    LABELS = {"password": PASSWORD}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("user", None)
        super().__init__(*args, **kwargs)
        self._relabel()

    def clean_password(self) -> str:
        if self.user is None:
            raise self._no_account()
        return str(super().clean_password())
