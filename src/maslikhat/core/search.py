"""The registry of search providers: what each domain puts in the public search, without the
search app importing the domains.

Each domain app declares its providers in its own `search.py` as `PROVIDERS` (a list of
`SearchProvider`); the search app (`maslikhat.search`) imports every installed `maslikhat.*`
app's `search` module from its `AppConfig.ready` (`autodiscover`), which calls `register`. The
registry lives here, in `core`, because a domain app may import only the layers below it.

A provider is one *kind* of result ("news", "decision", ...). Its `documents(pks)` yields the
public documents of the objects with these primary keys (all of them for `pks=None`, the full
rebuild): one `Document` per language the object has text in. An object that is not public
(a draft, a withdrawn item) yields nothing, so re-indexing it removes it from the index. Only
public content may ever be yielded: no drafts, internal notes or personal data.

`watch` names the models whose saves and deletions change the provider's documents, each with
a function from the changed instance to the primary keys to re-index (`None`: the instance's
own key). The search app connects them to `post_save` / `post_delete` and re-indexes after the
transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.functional import Promise

LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True)
class Document:
    """One searchable text of one object in one language."""

    pk: int  # the object's primary key in its provider (for the incremental update)
    language: str  # kk | ru | en
    title: str
    body: str = ""
    url: str = ""  # a path on the site, in that language
    key: str = ""  # a stable public key (an area code, a decision number); default str(pk)
    area_id: int | None = None  # the directory area the object concerns
    body_id: int | None = None  # the maslikhat (directory organization) it belongs to
    date: date | datetime | None = None
    weight: float = 1.0  # a multiplier of the rank (a body outranks one of its news items)


# pks (None: every object) -> the public documents of those objects
Documents = Callable[[Iterable[int] | None], Iterable[Document]]
# a changed instance of a watched model -> the keys of this provider's objects to re-index
Affected = Callable[[Any], Iterable[int]]


@dataclass(frozen=True)
class SearchProvider:
    kind: str  # unique, lower-case: "area", "news", "decision"
    label: Promise | str  # the plural heading of the kind in the results ("News")
    documents: Documents
    # "app_label.ModelName" -> the affected keys of a saved / deleted instance (None: its pk)
    watch: Mapping[str, Affected | None] = field(default_factory=dict)
    # Kinds come in this order in the filters, then in registration order.
    order: int = 100
    # False when a just-created object of the kind is never public (an appeal is published only
    # after staff approve it): its creation schedules no index job, its later saves do.
    index_created: bool = True


PROVIDERS: dict[str, SearchProvider] = {}


def register(kind: str, provider: SearchProvider) -> None:
    """Add a provider under its kind. Registering the same one again changes nothing (a ready()
    may run more than once); another provider under a taken kind is an error."""
    if provider.kind != kind:
        raise ValueError(f"search provider {provider.kind!r} registered as {kind!r}")
    if not kind or not kind.replace("_", "").isalnum() or kind != kind.lower():
        raise ValueError(f"bad search kind {kind!r}")
    known = PROVIDERS.get(kind)
    if known is not None and known != provider:
        raise ValueError(f"search kind registered twice: {kind}")
    PROVIDERS[kind] = provider


def register_all(providers: Iterable[SearchProvider]) -> None:
    for provider in providers:
        register(provider.kind, provider)


def providers() -> list[SearchProvider]:
    return sorted(PROVIDERS.values(), key=lambda p: p.order)  # stable among equals


def provider_get(kind: str) -> SearchProvider | None:
    return PROVIDERS.get(kind)


def kinds() -> list[str]:
    return [p.kind for p in providers()]


def autodiscover() -> None:
    """Import `<app>.search` of every installed maslikhat app; each registers its `PROVIDERS`."""
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if not config.name.startswith("maslikhat.") or config.label == "search":  # the index itself
            continue
        if not module_has_submodule(config.module, "search"):
            continue
        module = import_module(f"{config.name}.search")
        register_all(getattr(module, "PROVIDERS", ()))


# ------------------------------------------------------------------ helpers for providers


def only(qs: Any, pks: Iterable[int] | None) -> Any:
    """The queryset's objects with these primary keys (all of them for None, the full rebuild)."""
    return qs if pks is None else qs.filter(pk__in=list(pks))


def each(qs: Any, pks: Iterable[int] | None, *, chunk_size: int = 1000) -> Iterator[Any]:
    """The objects of `only(qs, pks)` by primary key, read in chunks (a provider's loop)."""
    return only(qs, pks).order_by("id").iterator(chunk_size=chunk_size)


def attribute(obj: Any, path: str) -> Any:
    """The value at a dotted attribute path ("body.area_id"); None when a step is None."""
    value = obj
    for name in path.split("."):
        if value is None:
            return None
        value = getattr(value, name)
    return value


def _value(obj: Any, given: Any) -> Any:
    """A parameter of `localized_documents`: a dotted path of the object, or the value itself."""
    return attribute(obj, given) if isinstance(given, str) else given


def localized_documents(
    obj: Any,
    *,
    title: str | Callable[[str], str],
    body: Iterable[str] | Callable[[str], str] = (),
    url: str | Callable[[str], str],
    url_args: Iterable[Any] | None = None,
    anchor: str = "",
    languages: Iterable[str] = LANGUAGES,
    key: str = "",
    area: str | int | None = None,
    organization: str | int | None = None,
    date: str | date | datetime | None = None,
    weight: float = 1.0,
) -> list[Document]:
    """The object's Documents, one per language it has text in (`<field>_kk/_ru/_en` fields).

    `title` is a field stem ("name") or a function of the language; `body` field stems joined,
    or a function of the language. A language whose title is empty yields no document.
    `url` is a URL name, reversed in each language with `url_args` (default: the object's key)
    and followed by `anchor`, or a function of the language. `languages`: those to try (the one
    language of a text without translations). `key` (the public key, default the primary key),
    `area` (the directory area's id), `organization` (the maslikhat's id) and `date` are dotted
    attribute paths of the object ("body.area_id") or, when not a string, the values themselves."""
    args = tuple(url_args) if url_args is not None else (obj.pk,)
    shared = {
        "key": attribute(obj, key) or "" if key else "",
        "area_id": _value(obj, area),
        "body_id": _value(obj, organization),
        "date": _value(obj, date),
        "weight": weight,
    }
    docs = []
    for language in languages:
        text = title(language) if callable(title) else (getattr(obj, f"{title}_{language}", "") or "")
        if not text:
            continue
        if callable(body):
            content = body(language)
        else:
            content = "\n".join(getattr(obj, f"{stem}_{language}", "") or "" for stem in body)
        path = url(language) if callable(url) else url_in(language, url, *args) + anchor
        docs.append(Document(pk=obj.pk, language=language, title=text, body=content, url=path, **shared))
    return docs


def url_in(language: str, name: str, *args: Any) -> str:
    """The path of a named URL in a language (the i18n prefix of that language)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse(name, args=args)


_KAZAKH_LETTERS = frozenset("әіңғүұқөһӘІҢҒҮҰҚӨҺ")


def guess_language(text: str) -> str:
    """The language of a text written without a language field (a citizen's initiative):
    Kazakh when it has letters only Kazakh has, Russian for other Cyrillic, else English."""
    if any(c in _KAZAKH_LETTERS for c in text):
        return "kk"
    if any("\u0400" <= c <= "\u04ff" for c in text):
        return "ru"
    return "en" if any(c.isalpha() for c in text) else "kk"


def translated(language: str, text: Any) -> str:
    """A lazy translation (or a format of one) rendered in a language."""
    from django.utils import translation

    with translation.override(language):
        return str(text() if callable(text) else text)


def fixed(text: str) -> Callable[[str], str]:
    """The same text in every language (for `localized_documents`, a text without translations)."""

    def same(language: str) -> str:
        return text

    return same


def day_of(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
