"""What the appeals put in the public search (see maslikhat.core.search): only the published
answers, in their redacted versions (`selectors.public_appeals`: the applicant asked for
publication and staff approved the texts). Never an original text or anything about the
applicant: the documents are built from `public_text` and `public_answer_text` alone."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import LANGUAGES, Document, SearchProvider, translated, url_in

from .selectors import public_appeals


def appeal_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = public_appeals()
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    for appeal in qs.iterator(chunk_size=1000):
        language = appeal.language if appeal.language in LANGUAGES else "kk"
        topic = getattr(appeal.topic, f"name_{language}", "") or getattr(appeal.topic, "name_kk", "") or ""
        kind = translated(language, appeal.get_kind_display)
        title = f"{kind}: {topic}" if topic else kind
        url = url_in(language, "web:body_appeals", appeal.body_id) + f"#appeal-{appeal.pk}"
        yield Document(
            pk=appeal.pk,
            language=language,
            title=title,
            body=f"{appeal.public_text}\n{appeal.public_answer_text}",
            url=url,
            key=appeal.registration_number or str(appeal.pk),
            area_id=appeal.body.area_id,
            body_id=appeal.body_id,
            date=appeal.published_at,
            weight=0.9,
        )


PROVIDERS = [
    SearchProvider(
        kind="appeal",
        label=_("Published answers to appeals"),
        documents=appeal_documents,
        watch={"appeals.Appeal": None},
        order=60,
    ),
]
