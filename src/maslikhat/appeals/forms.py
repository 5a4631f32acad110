"""Forms for the citizen's pages; validation of substance stays in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maslikhat.core.forms import SafeForm

from .choices import AppealKind
from .models import Topic


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


class AppealForm(SafeForm):
    kind = forms.ChoiceField(label=_("Kind of appeal"), choices=AppealKind.choices)
    topic = forms.ChoiceField(label=_("Topic"))
    text = forms.CharField(label=_("Your appeal"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    attachments = MultipleFileField(
        label=_("Attachments (PDF, JPEG or PNG; up to 5 files of 10 MB)"), required=False
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        min_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Address"), max_length=300, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=40, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    language = forms.ChoiceField(
        label=_("Language of the answer"), choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
    )
    is_public = forms.BooleanField(
        label=_("Ask to publish my appeal and its answer without my personal data"),
        help_text=_(
            "Published only after the answer, once the maslikhat's staff have removed your personal "
            "data from both texts. You can withdraw the request on the appeal's page at any time."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = cast(forms.ChoiceField, self.fields["topic"])
        topic.choices = [(t.code, t.name) for t in Topic.objects.filter(is_active=True)]

    def add_service_errors(self, errors: list[tuple[str, str, Any]]) -> None:
        for field, _code, message in errors:
            name = field.removeprefix("applicant.").replace("full_name", "full_name")
            if name == "topic" or name in self.fields:
                self.add_error(name if name in self.fields else None, message)
            else:
                self.add_error(None, message)


class RatingForm(SafeForm):
    rating = forms.TypedChoiceField(
        label=_("Your rating of the answer"), choices=[(i, str(i)) for i in range(1, 6)], coerce=int
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ComplaintForm(SafeForm):
    text = forms.CharField(
        label=_("Your complaint about the answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
