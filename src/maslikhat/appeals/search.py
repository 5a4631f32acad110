"""What the appeals put in the public search (see maslikhat.core.search): only the published
answers, in their redacted versions (`selectors.public_appeals`: the applicant asked for
publication and staff approved the texts). Never an original text or anything about the
applicant: the documents are built from `public_text` and `public_answer_text` alone."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import (
    LANGUAGES,
    Document,
    SearchProvider,
    fixed,
    localized_documents,
    only,
    translated,
)

from .selectors import public_appeals


def appeal_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    for appeal in only(public_appeals(), pks).iterator(chunk_size=1000):  # in the selector's order

        def title(language: str, appeal: Any = appeal) -> str:
            topic = (
                getattr(appeal.topic, f"name_{language}", "") or getattr(appeal.topic, "name_kk", "") or ""
            )
            kind = translated(language, appeal.get_kind_display)
            return f"{kind}: {topic}" if topic else kind

        yield from localized_documents(
            appeal,
            title=title,
            body=fixed(f"{appeal.public_text}\n{appeal.public_answer_text}"),
            url="web:body_appeals",
            url_args=(appeal.body_id,),
            anchor=f"#appeal-{appeal.pk}",
            languages=[appeal.language if appeal.language in LANGUAGES else "kk"],
            key="registration_number",
            area="body.area_id",
            organization="body_id",
            date="published_at",
            weight=0.9,
        )


PROVIDERS = [
    SearchProvider(
        kind="appeal",
        label=_("Published answers to appeals"),
        documents=appeal_documents,
        watch={"appeals.Appeal": None},
        order=60,
        index_created=False,  # published only after staff approve it
    ),
]
