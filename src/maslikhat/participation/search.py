"""What participation puts in the public search (see maslikhat.core.search): initiatives once
past moderation (the public statuses; never one only submitted) and the budget projects
admitted to the vote. Never their authors or supporters. The texts have no language field:
each is indexed in the language its letters show (`guess_language`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from maslikhat.core.search import Document, SearchProvider, each, fixed, guess_language, localized_documents

from .choices import PUBLIC_STATUSES, ProjectStatus
from .models import BudgetProcess, Initiative, Project


def initiative_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = Initiative.objects.filter(status__in=PUBLIC_STATUSES).only(
        "id", "title", "text", "body_id", "area_id", "place_area_id", "created_at"
    )
    for initiative in each(qs, pks):
        yield from localized_documents(
            initiative,
            title=fixed(initiative.title),
            body=fixed(initiative.text),
            url="participation:initiative",
            languages=[guess_language(f"{initiative.title} {initiative.text}")],
            area=initiative.place_area_id or initiative.area_id,
            organization="body_id",
            date="created_at",
        )


def project_documents(pks: Iterable[int] | None) -> Iterator[Document]:
    qs = (
        Project.objects.filter(status=ProjectStatus.FEASIBLE)
        .select_related("process")
        .only(
            "id",
            "title",
            "text",
            "object_ref",
            "process_id",
            "process__area_id",
            "process__body_id",
            "process__title",
        )
    )
    for project in each(qs, pks):
        yield from localized_documents(
            project,
            title=fixed(project.title),
            body=fixed("\n".join(t for t in [project.text, project.object_ref, project.process.title] if t)),
            url="participation:process",
            url_args=(project.process_id,),
            anchor=f"#project-{project.pk}",
            languages=[guess_language(f"{project.title} {project.text}")],
            area="process.area_id",
            organization="process.body_id",
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
