"""Forms for the newsroom pages; the rules themselves live in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maslikhat.core.forms import SafeForm
from maslikhat.core.i18n import CONTENT_LANGUAGES
from maslikhat.directory import selectors as directory_selectors
from maslikhat.directory.choices import AreaKind
from maslikhat.directory.models import Area, Organization

from .models import Publication, Tag

LANGUAGE_LABELS = {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")}


class _TickBoxes(forms.MultipleChoiceField):
    """Tick boxes that ignore an empty value (a form posting `areas=` means none)."""

    def to_python(self, value: Any) -> list[str]:
        return [v for v in super().to_python(value) if v]


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
    areas = _TickBoxes(
        label=_("Areas concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when the news concern the whole area of the body."),
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

    def __init__(self, *args: Any, bodies: list[Any], areas: Iterable[Area] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["body"]).choices = [(b.pk, b.name) for b in bodies]
        self.tag_objects = tag_list()
        cast(forms.MultipleChoiceField, self.fields["tags"]).choices = [
            (t.code, t.name) for t in self.tag_objects
        ]
        self.area_objects = list(areas)
        # Areas by name (their codes travel in the form only): the body's territory, see
        # `area_choices`.
        cast(forms.MultipleChoiceField, self.fields["areas"]).choices = [
            (a.code, a.name) for a in self.area_objects
        ]

    @property
    def language_groups(self) -> list[tuple[Any, Any, Any]]:
        return [(LANGUAGE_LABELS[c], self[f"title_{c}"], self[f"text_{c}"]) for c in CONTENT_LANGUAGES]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            **{f"{k}_{c}": d[f"{k}_{c}"] for k in ("title", "text") for c in CONTENT_LANGUAGES},
            "tag_codes": d["tags"],
            "area_codes": list(d["areas"]),
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
            areas=[a.code for a in publication.areas.all()],
            photo_alt=publication.photo_alt,
        )
        return initial


def area_choices(body: Organization | None, keep: Iterable[Area] = ()) -> list[Area]:
    """The areas a body's news may concern, offered by name: its own area and the areas right
    inside it (a region's districts and cities, a district's okrugs and settlements; the
    regions for a national body), plus `keep` (the areas a publication already names)."""
    area = (
        Area.objects.defer("boundary", "boundary_web").filter(pk=body.area_id).first()
        if body is not None and body.area_id
        else None
    )
    if area is None or area.kind == AreaKind.COUNTRY:
        inside = list(directory_selectors.region_list())
        own: list[Area] = [area] if area is not None else []
    else:
        own = [area]
        inside = [c for c in directory_selectors.area_children(area=area) if c.kind != AreaKind.CONSTITUENCY]
    inside.sort(key=lambda a: a.name.casefold())
    found: dict[str, Area] = {a.code: a for a in [*own, *inside]}
    for a in keep:
        found.setdefault(a.code, a)
    return list(found.values())


def preview_of(
    form: PublicationForm, body: Organization, tags: list[Tag], areas: list[Area]
) -> dict[str, Any]:
    """What readers would see, from a valid form, nothing saved: an unsaved publication (its
    titles and texts) with the chosen tags and areas, for the preview on the form page."""
    d = form.cleaned_data
    publication = Publication(
        body=body, **{f"{k}_{c}": d[f"{k}_{c}"] for k in ("title", "text") for c in CONTENT_LANGUAGES}
    )
    chosen_tags = set(d["tags"])
    chosen_areas = set(d["areas"])
    return {
        "publication": publication,
        "tags": [t for t in tags if t.code in chosen_tags],
        "areas": [a for a in areas if a.code in chosen_areas],
        "languages": [(c, LANGUAGE_LABELS[c]) for c in CONTENT_LANGUAGES],
    }


def tag_list() -> list[Tag]:
    return list(Tag.objects.order_by("position", "code"))
