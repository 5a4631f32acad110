"""What participation puts in the public search (see maslikhat.core.search): initiatives once
past moderation (the public statuses; never one only submitted) and the budget projects
admitted to the vote. Never their authors or supporters. The texts have no language field:
each is indexed in the language its letters show (`guess_language`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import Document, SearchProvider, guess_language, url_in

from .choices import PUBLIC_STATUSES, ProjectStatus
from .models import BudgetProcess, Initiative, Project


def _only(qs: Any, pks: Iterable[int] | None) -> Any:
    return qs if pks is None else qs.filter(pk__in=list(pks))


def initiative_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = _only(Initiative.objects.filter(status__in=PUBLIC_STATUSES), pks).only(
        "id", "title", "text", "body_id", "area_id", "place_area_id", "created_at"
    )
    for initiative in qs.order_by("id").iterator(chunk_size=1000):
        language = guess_language(f"{initiative.title} {initiative.text}")
        yield Document(
            pk=initiative.pk,
            language=language,
            title=initiative.title,
            body=initiative.text,
            url=url_in(language, "participation:initiative", initiative.pk),
            area_id=initiative.place_area_id or initiative.area_id,
            body_id=initiative.body_id,
            date=initiative.created_at,
        )


def project_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = _only(Project.objects.filter(status=ProjectStatus.FEASIBLE), pks).select_related("process")
    qs = qs.only(
        "id",
        "title",
        "text",
        "object_ref",
        "process_id",
        "process__area_id",
        "process__body_id",
        "process__title",
    )
    for project in qs.order_by("id").iterator(chunk_size=1000):
        language = guess_language(f"{project.title} {project.text}")
        yield Document(
            pk=project.pk,
            language=language,
            title=project.title,
            body="\n".join(t for t in [project.text, project.object_ref, project.process.title] if t),
            url=url_in(language, "participation:process", project.process_id) + f"#project-{project.pk}",
            area_id=project.process.area_id,
            body_id=project.process.body_id,
        )


def _projects_of(process: BudgetProcess) -> list[int]:
    return list(Project.objects.filter(process=process).values_list("pk", flat=True))


PROVIDERS = [
    SearchProvider(
        kind="initiative",
        label=_("Initiatives"),
        documents=initiative_documents,
        watch={"participation.Initiative": None},
        order=80,
    ),
    SearchProvider(
        kind="project",
        label=_("Budget projects"),
        documents=project_documents,
        watch={"participation.Project": None, "participation.BudgetProcess": _projects_of},
        order=85,
    ),
]
