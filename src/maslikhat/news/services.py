"""Writes for news. Each use case is one function; each writes a PublicationEvent and an
ActionLog row. Bad input raises FieldErrors before anything is written."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maslikhat.core.audit import log_action
from maslikhat.core.errors import DomainError, FieldErrors, NotAllowed
from maslikhat.core.i18n import CONTENT_LANGUAGES
from maslikhat.core.models import Visibility
from maslikhat.directory.models import Area, Organization

from . import permissions
from .choices import TRANSITIONS, PublicationEventKind, PublicationStatus
from .models import Publication, PublicationEvent, Tag
from .uploads import CheckedPhoto, check_photo

MAX_TITLE = 300
MAX_TEXT = 50000
MAX_TAGS = 20
MAX_AREAS = 50


class NotPermitted(DomainError):
    """The actor may not do this for this body (HTTP 403)."""

    status = 403


def _require(actor: Any, body: Organization) -> None:
    """`actor=None` is the system (demo data, commands); a user must be allowed for the body."""
    if actor is None:
        return
    if not permissions.can_publish_for_body(actor, body):
        raise NotPermitted("forbidden", _("You may not publish news for this body."))


def _clean_content(content: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str, Any]]]:
    errors: list[tuple[str, str, Any]] = []
    cleaned: dict[str, str] = {}
    for lang in CONTENT_LANGUAGES:
        title = (content.get(f"title_{lang}") or "").strip()
        text = (content.get(f"text_{lang}") or "").strip()
        if len(title) > MAX_TITLE:
            errors.append((f"title_{lang}", "too_long", _("The title is longer than 300 characters.")))
        if len(text) > MAX_TEXT:
            errors.append((f"text_{lang}", "too_long", _("The text is longer than 50,000 characters.")))
        if bool(title) != bool(text):
            field = f"text_{lang}" if title else f"title_{lang}"
            errors.append((field, "incomplete_language", _("Give both a title and a text in this language.")))
        cleaned[f"title_{lang}"] = title
        cleaned[f"text_{lang}"] = text
    if not any(cleaned[f"title_{lang}"] for lang in CONTENT_LANGUAGES):
        errors.append(("title_kk", "required", _("Write the title and the text in at least one language.")))
    return cleaned, errors


def _validate(
    *,
    content: dict[str, str],
    tag_codes: Iterable[str],
    area_codes: Iterable[str],
    photo: Any,
) -> tuple[dict[str, str], list[Tag], list[Area], CheckedPhoto | None]:
    cleaned, errors = _clean_content(content)
    codes = sorted({c.strip() for c in tag_codes if c and c.strip()})
    tags = list(Tag.objects.filter(code__in=codes)) if codes else []
    if len(codes) > MAX_TAGS:
        errors.append(("tags", "too_many", _("At most 20 tags.")))
    elif len(tags) != len(codes):
        errors.append(("tags", "invalid_choice", _("Unknown tag.")))
    acodes = sorted({c.strip() for c in area_codes if c and c.strip()})
    areas = list(Area.objects.filter(code__in=acodes).only("id", "code")) if acodes else []
    if len(acodes) > MAX_AREAS:
        errors.append(("areas", "too_many", _("At most 50 areas.")))
    elif len(areas) != len(acodes):
        errors.append(("areas", "invalid_choice", _("Unknown area.")))
    checked = None
    if photo is not None:
        try:
            checked = check_photo(photo)
        except FieldErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise FieldErrors(errors)
    return cleaned, tags, areas, checked


def _store_photo(publication: Publication, checked: CheckedPhoto) -> None:
    name = f"{uuid.uuid4().hex}.{checked.name.rsplit('.', 1)[-1]}"
    publication.photo.save(name, File(checked.upload, name=name), save=False)
    publication.photo_content_type = checked.content_type


def _event(
    publication: Publication,
    *,
    kind: str,
    actor: Any,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
) -> PublicationEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return PublicationEvent.objects.create(
        publication=publication,
        kind=kind,
        actor=user,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


@transaction.atomic
def publication_create(
    *,
    actor: Any,
    body: Organization,
    title_kk: str = "",
    title_ru: str = "",
    title_en: str = "",
    text_kk: str = "",
    text_ru: str = "",
    text_en: str = "",
    tag_codes: Iterable[str] = (),
    area_codes: Iterable[str] = (),
    photo: Any = None,
    photo_alt: str = "",
    is_demo: bool = False,
) -> Publication:
    """A new draft of a body's publication."""
    _require(actor, body)
    content = {
        "title_kk": title_kk,
        "title_ru": title_ru,
        "title_en": title_en,
        "text_kk": text_kk,
        "text_ru": text_ru,
        "text_en": text_en,
    }
    cleaned, tags, areas, checked = _validate(
        content=content, tag_codes=tag_codes, area_codes=area_codes, photo=photo
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    publication = Publication(
        body=body, author=user, is_demo=is_demo, photo_alt=photo_alt.strip()[:300], **cleaned
    )
    if checked is not None:
        _store_photo(publication, checked)
    publication.save()
    publication.tags.set(tags)
    publication.areas.set(areas)
    _event(publication, kind=PublicationEventKind.CREATED, actor=actor, to_status=publication.status)
    log_action(actor=actor, event="news.publication_created", target=publication)
    return publication


@transaction.atomic
def publication_update(
    *,
    actor: Any,
    publication: Publication,
    title_kk: str = "",
    title_ru: str = "",
    title_en: str = "",
    text_kk: str = "",
    text_ru: str = "",
    text_en: str = "",
    tag_codes: Iterable[str] = (),
    area_codes: Iterable[str] = (),
    photo: Any = None,
    photo_alt: str = "",
    remove_photo: bool = False,
) -> Publication:
    """Replace the content, tags and areas of a publication (its status is unchanged)."""
    publication = Publication.objects.select_for_update().select_related("body").get(pk=publication.pk)
    _require(actor, publication.body)
    content = {
        "title_kk": title_kk,
        "title_ru": title_ru,
        "title_en": title_en,
        "text_kk": text_kk,
        "text_ru": text_ru,
        "text_en": text_en,
    }
    cleaned, tags, areas, checked = _validate(
        content=content, tag_codes=tag_codes, area_codes=area_codes, photo=photo
    )
    changed = [k for k, v in cleaned.items() if getattr(publication, k) != v]
    for key, value in cleaned.items():
        setattr(publication, key, value)
    publication.photo_alt = photo_alt.strip()[:300]
    if remove_photo and publication.photo:
        publication.photo = ""
        publication.photo_content_type = ""
        changed.append("photo")
    if checked is not None:
        _store_photo(publication, checked)
        changed.append("photo")
    publication.save()
    publication.tags.set(tags)
    publication.areas.set(areas)
    _event(publication, kind=PublicationEventKind.UPDATED, actor=actor, data={"fields": changed})
    log_action(
        actor=actor,
        event="news.publication_updated",
        target=publication,
        visibility=Visibility.PUBLIC if publication.is_public else Visibility.INTERNAL,
        data={"fields": changed},
    )
    return publication


def _transition(
    publication: Publication, *, actor: Any, to: str, event: str, data: dict[str, Any]
) -> Publication:
    publication = Publication.objects.select_for_update().select_related("body").get(pk=publication.pk)
    _require(actor, publication.body)
    if to not in TRANSITIONS[publication.status]:
        raise NotAllowed(
            "invalid_transition",
            _("A %(from)s publication cannot become %(to)s.")
            % {"from": PublicationStatus(publication.status).label, "to": PublicationStatus(to).label},
        )
    previous = publication.status
    publication.status = to
    return _finish_transition(publication, actor=actor, previous=previous, event=event, data=data)


def _finish_transition(
    publication: Publication, *, actor: Any, previous: str, event: str, data: dict[str, Any]
) -> Publication:
    publication.save()
    _event(
        publication,
        kind=PublicationEventKind.STATUS,
        actor=actor,
        from_status=previous,
        to_status=publication.status,
        data=data,
    )
    log_action(actor=actor, event=event, target=publication, visibility=Visibility.PUBLIC, data=data)
    return publication


@transaction.atomic
def publication_publish(
    *, actor: Any, publication: Publication, published_on: date | None = None
) -> Publication:
    """Make a draft (or a withdrawn publication) public. The date shown defaults to today."""
    locked = Publication.objects.select_for_update().select_related("body").get(pk=publication.pk)
    _require(actor, locked.body)
    if PublicationStatus.PUBLISHED not in TRANSITIONS[locked.status]:
        raise NotAllowed(
            "invalid_transition",
            _("A %(from)s publication cannot become %(to)s.")
            % {"from": PublicationStatus(locked.status).label, "to": PublicationStatus.PUBLISHED.label},
        )
    now = timezone.now()
    previous = locked.status
    locked.status = PublicationStatus.PUBLISHED
    locked.published_at = now
    locked.published_on = published_on or locked.published_on or timezone.localdate(now)
    return _finish_transition(
        locked,
        actor=actor,
        previous=previous,
        event="news.publication_published",
        data={"published_on": locked.published_on.isoformat()},
    )


@transaction.atomic
def publication_withdraw(*, actor: Any, publication: Publication, reason: str = "") -> Publication:
    """Take a published publication off the public pages and feeds (it stays on record)."""
    return _transition(
        publication,
        actor=actor,
        to=PublicationStatus.WITHDRAWN,
        event="news.publication_withdrawn",
        data={"reason": reason.strip()[:1000]},
    )


@transaction.atomic
def tag_upsert(
    *, actor: Any, code: str, name_kk: str, name_ru: str = "", name_en: str = "", is_demo: bool = False
) -> Tag:
    """Create or rename a tag by its code (used by admins' imports and the demo)."""
    if not code or not name_kk:
        raise FieldErrors([("code", "required", _("Give a code and a Kazakh name."))])
    tag, created = Tag.objects.update_or_create(
        code=code, defaults={"name_kk": name_kk, "name_ru": name_ru, "name_en": name_en, "is_demo": is_demo}
    )
    log_action(actor=actor, event="news.tag_created" if created else "news.tag_updated", target=tag)
    return tag
