"""Forms for the citizen's pages; validation of substance stays in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maslikhat.core.errors import ErrorCode, FieldErrors
from maslikhat.core.forms import SafeForm
from maslikhat.directory.models import Organization, Person

from . import rules, selectors, services
from .applicant import Applicant
from .choices import AppealKind
from .error_codes import AppealErrorCode
from .models import FollowupAnswer


class SummaryMixin:
    """An error summary for the top of the page (every error, linked to its input) and each
    input described by its hint and its error (aria-describedby, aria-invalid)."""

    fields: dict[str, forms.Field]
    errors: Any

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, field in self.fields.items():
            ids = [f"id_{name}_helptext"] if field.help_text else []
            if name in self.errors:
                ids.insert(0, f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) of every error in the order of the page; a form-wide error has no
        anchor."""
        out = [("", str(m)) for m in self.errors.get("__all__", [])]
        for name in self.fields:
            for message in self.errors.get(name, []):
                out.append((f"id_{name}", str(message)))
        return out


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


# The form's fields only carry what was typed: every rule (required parts, lengths, the IIN,
# the email, the phone, the choices) is `services._validate_submission` with `appeals.rules`,
# which the API applies too. So the fields set no `required`, no `max_length` (which would also
# make the browser cut pasted text silently) and no email field of their own.
APPLICANT_FIELDS = ("full_name", "iin", "address", "phone", "email")
APPEAL_FIELDS = ("kind", "topic", "text", *APPLICANT_FIELDS, "language", "is_public")
FORM_CODES: dict[str, str] = {
    ErrorCode.REQUIRED: "required",
    AppealErrorCode.ANONYMOUS_NOT_ALLOWED: "required",
    ErrorCode.TOO_LONG: "max_length",
}
LANGUAGE_CHOICES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


def _text(label: Any, help_text: Any = "", **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=False, strip=True, widget=forms.TextInput(attrs=attrs)
    )


class AppealForm(SummaryMixin, SafeForm):
    kind = forms.CharField(label=_("Kind of appeal"), required=False, widget=forms.Select)
    topic = forms.CharField(label=_("Topic"), required=False, widget=forms.Select)
    text = forms.CharField(
        label=_("Your appeal"),
        required=False,
        help_text=_("Up to 20,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8, "data-limit": str(rules.MAX_TEXT)}),
    )
    full_name = _text(_("Full name"), autocomplete="name")
    iin = _text(_("IIN"), _("12 digits, as on your identity card."), inputmode="numeric", autocomplete="off")
    address = _text(_("Address"), autocomplete="street-address")
    phone = _text(_("Phone"), type="tel", autocomplete="tel")
    email = _text(_("Email"), type="email", autocomplete="email")
    language = forms.CharField(label=_("Language of the answer"), required=False, widget=forms.Select)
    is_public = forms.BooleanField(
        label=_("Ask to publish my appeal and its answer, without my name and personal data"),
        help_text=_(
            "If you tick this, the text of your appeal and the answer become public on the "
            "maslikhat's page, but only after the answer and only once the staff have removed your "
            "name, IIN, address, phone and email from both texts. Your name is never shown. You can "
            "withdraw the request on the appeal's page at any time."
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        body: Organization | None = None,
        deputy: Person | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.body, self.deputy = body, deputy
        self.target: Organization | None = None
        choose = [("", _("Choose…"))]
        self.fields["kind"].widget.choices = [*choose, *AppealKind.choices]
        self.fields["topic"].widget.choices = [
            *choose,
            *((t.code, t.name) for t in selectors.topics()),
        ]
        self.fields["language"].widget.choices = LANGUAGE_CHOICES
        for name in APPLICANT_FIELDS:
            self.fields[name].widget.attrs.setdefault("aria-required", "true")
        for name in ("kind", "topic", "text"):
            self.fields[name].widget.attrs.setdefault("aria-required", "true")

    def clean(self) -> dict[str, Any]:
        """The service's rules, all at once, on what was typed (a field already refused by the
        text rule keeps that one error)."""
        data = super().clean() or {}
        try:
            self.target, _topic = services._validate_submission(
                body=self.body,
                deputy=self.deputy,
                kind=data.get("kind") or "",
                topic_code=data.get("topic") or "",
                text=data.get("text") or "",
                language=data.get("language") or "",
                applicant=Applicant.of(data),
            )
        except FieldErrors as exc:
            self.add_service_errors(exc.errors)
        return data

    def add_service_errors(self, errors: list[tuple[str, str, Any]]) -> None:
        """The service's refusals on their fields, with its messages; the form's error codes are
        Django's kinds (required, max_length, invalid): the stable codes are the API's."""
        for field, code, message in errors:
            name = field.removeprefix("applicant.")
            error = ValidationError(message, code=FORM_CODES.get(str(code), "invalid"))
            if name in self.fields:
                if name not in self.errors:
                    self.add_error(name, error)
            else:
                self.add_error(None, error)

    def submission(self) -> dict[str, Any]:
        """What appeal_submit receives (after is_valid())."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "topic_code": data["topic"],
            "text": data["text"],
            "language": data["language"],
            "applicant": Applicant.of(data),
            "is_public": data["is_public"],
        }

    def choice_label(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        return str(dict(self.fields[name].widget.choices).get(value, value))


class AttachmentsForm(SummaryMixin, SafeForm):
    """The files go with the confirmation (they are checked, and stored, only then)."""

    attachments = MultipleFileField(
        label=_("Attachments (optional: PDF, JPEG or PNG; up to 5 files of 10 MB)"), required=False
    )


RATING_CHOICES = [
    (1, _("1 — very bad: the answer did not address my question")),
    (2, _("2 — bad")),
    (3, _("3 — acceptable")),
    (4, _("4 — good")),
    (5, _("5 — very good: the answer fully addressed my question")),
]


class RatingForm(SummaryMixin, SafeForm):
    """No value is chosen in advance; the rating is recorded only after a confirmation."""

    rating = forms.TypedChoiceField(
        label=_("Your rating of the answer"),
        choices=RATING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        help_text=_("Up to 2,000 characters."),
        widget=forms.Textarea(attrs={"rows": 3, "data-limit": "2000"}),
    )

    def clean(self) -> dict[str, Any]:
        """The service's rules (appeals.rules), so that the confirmation shows only what the
        service will accept."""
        data = super().clean() or {}
        problems = rules.rating_problems(data.get("rating"))
        problems += rules.optional_text_problems(
            data.get("comment") or "", field="comment", limit=rules.MAX_RATING_COMMENT
        )
        for field, code, message in problems:
            if field not in self.errors:
                kind = "max_length" if code == ErrorCode.TOO_LONG else "required"
                self.add_error(field, ValidationError(message, code=kind))
        return data

    def rating_label(self) -> str:
        rating = self.cleaned_data.get("rating")
        return str(dict(RATING_CHOICES).get(rating, "")) if isinstance(rating, int) else ""


class ComplaintForm(SafeForm):
    # No max_length: the browser would cut pasted text; the service refuses a longer text.
    text = forms.CharField(
        label=_("Your complaint about the answer"),
        help_text=_("Up to 20,000 characters."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class FollowupForm(SummaryMixin, SafeForm):
    """Did you get a satisfying reply? The service decides what is accepted."""

    answer = forms.CharField(
        label=_("Did you get a satisfying reply to your appeal?"),
        required=False,
        widget=forms.RadioSelect(choices=FollowupAnswer.choices),
    )
