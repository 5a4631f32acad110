"""Writing the search index: the full rebuild and the one-object update.

Both take their documents from the providers (`maslikhat.core.search`). The rows of an object
are replaced as a whole, so an object that stopped being public (a withdrawn item, a draft
again) leaves the index when it is re-indexed. The full rebuild replaces every row in one
transaction: running it twice gives the same index.

A row's text is the document's text, then `query.INDEX_MARK` and `query.index_tail`: the folded
spelling of its Kazakh letters (and the folded stems of Kazakh text), so that Kazakh typed
without its letters finds it on either engine; `query.visible_text` is the text without it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice
from typing import Any

from django.db import connection, transaction

from maslikhat.core.background import after_commit
from maslikhat.core.search import LANGUAGES, Document, day_of, provider_get, providers

from . import engines
from .models import SearchDocument
from .query import INDEX_MARK, index_tail

logger = logging.getLogger(__name__)

BATCH = 2000
# the snippet markers, and the index's own mark
_CONTROL = str.maketrans({"\x00": " ", "\x01": " ", "\x02": " ", INDEX_MARK: " "})
MAX_BODY = 100_000


def _text(value: str, limit: int | None = None) -> str:
    text = (value or "").translate(_CONTROL).strip()
    return text[:limit] if limit else text


class AreaPaths:
    """The path "/<root id>/.../<id>/" of areas, read up the parents once per area."""

    def __init__(self) -> None:
        self.parent: dict[int, int | None] = {}

    def load_all(self) -> None:
        from maslikhat.directory.models import Area

        self.parent.update(Area.objects.values_list("id", "parent_id"))

    def _fetch(self, ids: set[int]) -> None:
        from maslikhat.directory.models import Area

        while ids:
            rows = dict(Area.objects.filter(id__in=ids).values_list("id", "parent_id"))
            self.parent.update(rows)
            for missing in ids - rows.keys():
                self.parent[missing] = None
            ids = {p for p in rows.values() if p is not None and p not in self.parent}

    def path(self, area_id: int | None) -> str:
        if area_id is None:
            return ""
        if area_id not in self.parent:
            self._fetch({area_id})
        chain: list[int] = []
        current: int | None = area_id
        while current is not None and current not in chain:
            chain.append(current)
            if current not in self.parent:
                self._fetch({current})
            current = self.parent.get(current)
        return "/" + "/".join(str(i) for i in reversed(chain)) + "/"


def indexed_body(title: str, body: str, language: str) -> str:
    """The text a row is indexed with: the document's own, then the index's tail after its mark."""
    tail = index_tail(title, body, language)[:MAX_BODY]
    return f"{body}\n{INDEX_MARK}\n{tail}" if tail else body


def _row(kind: str, doc: Document, paths: AreaPaths) -> SearchDocument | None:
    title = _text(doc.title, 500)
    if not title or doc.language not in LANGUAGES:
        return None
    body = _text(doc.body, MAX_BODY)
    return SearchDocument(
        kind=kind,
        object_id=doc.pk,
        key=(doc.key or str(doc.pk))[:80],
        language=doc.language,
        title=title,
        body=indexed_body(title, body, doc.language),
        url=doc.url[:500],
        area_id=doc.area_id,
        area_path=paths.path(doc.area_id),
        organization_id=doc.body_id,
        date=day_of(doc.date),
        weight=doc.weight,
    )


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _write(kind: str, docs: Iterable[Document], paths: AreaPaths) -> int:
    written = 0
    seen: set[tuple[int, str]] = set()
    for batch in _batches(docs, BATCH):
        rows = []
        for doc in batch:
            if (doc.pk, doc.language) in seen:
                continue  # one row per object and language: the first document wins
            row = _row(kind, doc, paths)
            if row is not None:
                seen.add((doc.pk, doc.language))
                rows.append(row)
        created = SearchDocument.objects.bulk_create(rows)
        ids = [r.pk for r in created]
        if not all(ids):  # a backend that does not return ids
            ids = list(
                SearchDocument.objects.filter(
                    kind=kind, object_id__in={r.object_id for r in rows}
                ).values_list("id", flat=True)
            )
        engines.write(ids)
        written += len(rows)
    return written


def index_rebuild() -> int:
    """Rebuild the whole index from the providers; the number of rows. Idempotent."""
    engines.ensure_configuration()
    paths = AreaPaths()
    paths.load_all()
    total = 0
    with transaction.atomic():
        engines.clear_all()
        SearchDocument.objects.all().delete()
        for provider in providers():
            n = _write(provider.kind, provider.documents(None), paths)
            logger.info("search: %s documents of kind %s", n, provider.kind)
            total += n
    return total


def index_object(kind: str, pk: int) -> int:
    """Re-index one object (its rows replaced; none when it is not public); the rows written."""
    provider = provider_get(kind)
    if provider is None:
        raise ValueError(f"unknown search kind {kind!r}")
    with transaction.atomic():
        _delete(kind, [pk])
        return _write(kind, provider.documents([pk]), AreaPaths())


def index_remove(kind: str, pk: int) -> int:
    """Remove an object's rows; the number removed."""
    with transaction.atomic():
        return _delete(kind, [pk])


def _delete(kind: str, pks: list[int]) -> int:
    ids = list(SearchDocument.objects.filter(kind=kind, object_id__in=pks).values_list("id", flat=True))
    if not ids:
        return 0
    engines.delete(ids)
    SearchDocument.objects.filter(id__in=ids).delete()
    return len(ids)


# ------------------------------------------------------------------ after-commit scheduling


def schedule_index(kind: str, pk: int) -> None:
    """Re-index one object once the current transaction commits (the job `search.index`)."""
    after_commit("search.index", kind, int(pk))


def schedule_remove(kind: str, pk: int) -> None:
    after_commit("search.remove", kind, int(pk))


def database_engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


# ------------------------------------------------------------------ saved searches

MAX_SAVED = 20


def saved_search_create(*, user: Any, query: str, kinds: list[str], area_code: str, language: str) -> Any:
    """Save a citizen's search (the same one again changes nothing); QueryError for a query
    that cannot be searched, an unknown area or too many saved searches."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .models import SavedSearch
    from .query import QueryError, parse
    from .selectors import area_path

    parse(query)
    if area_code:
        area_path(area_code)
    language = language[:2] if language[:2] in LANGUAGES else "kk"
    values = {"query": query.strip()[:200], "kinds": ",".join(sorted(kinds)), "area_code": area_code[:40]}
    with transaction.atomic():
        found = SavedSearch.objects.select_for_update().filter(user=user, **values).first()
        if found is not None:
            return found
        if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED:
            raise QueryError("too_many_saved", _("You can save at most %(n)d searches.") % {"n": MAX_SAVED})
        return SavedSearch.objects.create(
            user=user, language=language, sent_until=timezone.localdate() - timedelta(days=1), **values
        )


def saved_search_delete(*, user: Any, saved: Any) -> None:
    from .models import SavedSearch

    SavedSearch.objects.filter(pk=saved.pk, user=user).delete()
