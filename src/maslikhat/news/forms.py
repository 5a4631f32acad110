"""Forms for the newsroom pages; the rules themselves live in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maslikhat.core.forms import SafeForm
from maslikhat.core.i18n import CONTENT_LANGUAGES

from .models import Publication, Tag

LANGUAGE_LABELS = {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")}


class PublicationForm(SafeForm):
    body = forms.TypedChoiceField(label=_("Body"), coerce=int)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    text_kk = forms.CharField(
        label=_("Text (Kazakh)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    text_ru = forms.CharField(
        label=_("Text (Russian)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    text_en = forms.CharField(
        label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    tags = forms.MultipleChoiceField(label=_("Tags"), required=False, widget=forms.CheckboxSelectMultiple)
    areas = forms.CharField(
        label=_("Areas concerned (codes, separated by spaces)"),
        required=False,
        max_length=2000,
        help_text=_("Leave empty when the news concern the whole area of the body."),
    )
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG, up to 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
    )
    photo_alt = forms.CharField(
        label=_("Photo description (for screen readers)"), max_length=300, required=False
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(self, *args: Any, bodies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["body"]).choices = [(b.pk, b.name) for b in bodies]
        cast(forms.MultipleChoiceField, self.fields["tags"]).choices = [
            (t.code, t.name) for t in Tag.objects.order_by("position", "code")
        ]

    @property
    def language_groups(self) -> list[tuple[Any, Any, Any]]:
        return [(LANGUAGE_LABELS[c], self[f"title_{c}"], self[f"text_{c}"]) for c in CONTENT_LANGUAGES]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            **{f"{k}_{c}": d[f"{k}_{c}"] for k in ("title", "text") for c in CONTENT_LANGUAGES},
            "tag_codes": d["tags"],
            "area_codes": d["areas"].replace(",", " ").split(),
            "photo": d.get("photo") or None,
            "photo_alt": d["photo_alt"],
        }

    def add_service_errors(self, errors: list[tuple[str, str, Any]]) -> None:
        for field, _code, message in errors:
            self.add_error(field if field in self.fields else None, message)

    @classmethod
    def initial_for(cls, publication: Publication) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f"{k}_{c}": getattr(publication, f"{k}_{c}") for k in ("title", "text") for c in CONTENT_LANGUAGES
        }
        initial.update(
            body=publication.body_id,
            tags=[t.code for t in publication.tags.all()],
            areas=" ".join(a.code for a in publication.areas.all()),
            photo_alt=publication.photo_alt,
        )
        return initial
