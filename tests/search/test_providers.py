"""Each module's documents: what is public is found, what is not never is (proceedings,
participation), and the index follows the owning services after commit."""

from __future__ import annotations

from typing import Any

import pytest

from maslikhat.search import selectors, services
from maslikhat.search.models import SearchDocument
from tests.appeals.fixtures import submit  # noqa: F401 (fixtures)
from tests.proceedings.fixtures import body, sitting  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _found(query: str, kind: str, language: str = "ru") -> set[str]:
    return {h.key for h in selectors.search(query, language=language, kinds=[kind]).results}


def test_sessions_drafts_and_planned(sitting: dict[str, Any]) -> None:  # noqa: F811
    from datetime import UTC, datetime

    from maslikhat.proceedings import services as proceedings

    planned = proceedings.session_plan(
        actor=sitting["staff"],
        convocation=sitting["convocation"],
        number=6,
        starts_at=datetime(2031, 5, 1, tzinfo=UTC),
    )
    proceedings.agenda_item_add(actor=sitting["staff"], session=planned, title={"ru": "О секретном плане"})
    services.index_rebuild()
    assert _found("бюджете", "session") == {str(sitting["session"].pk)}  # convened: its agenda is public
    assert _found("бюджет", "session", "kk") == {str(sitting["session"].pk)}
    assert _found("секретном", "session") == set()  # planned: not public yet
    assert not SearchDocument.objects.filter(kind="session", object_id=planned.pk).exists()


def test_initiatives_only_after_moderation(django_capture_on_commit_callbacks: Any) -> None:
    from maslikhat.participation.services import initiative_create, initiative_moderate, residency_in_person
    from tests.factories import UserFactory
    from tests.participation.world import build_locality

    local = build_locality(prefix="SR")
    citizen: Any = UserFactory()
    residency_in_person(actor=local["staff"], user=citizen, area=local["village"], document_note="ID card")
    with django_capture_on_commit_callbacks(execute=True):
        initiative = initiative_create(
            actor=citizen,
            area=local["village"],
            title="Скамейки в парке",
            text="Поставить скамейки у школы.",
            category="yards",
        )
    assert _found("скамейки", "initiative") == set()  # submitted: awaiting moderation
    with django_capture_on_commit_callbacks(execute=True):
        initiative_moderate(actor=local["staff"], initiative=initiative, publish=True)
    assert _found("скамейка", "initiative") == {str(initiative.pk)}
    doc = SearchDocument.objects.get(kind="initiative", object_id=initiative.pk)
    assert doc.language == "ru"
    assert citizen.username not in doc.body and citizen.email not in doc.body  # never the author


SECRET = "Please light the path behind house 8; Айгүл Бекова, +7 701 234 56 78."
ANSWER = "Dear Айгүл Бекова, lamps will be installed in May."


def test_appeals_only_their_approved_redacted_texts(
    submit: Any,  # noqa: F811
    astana: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.test import Client

    from maslikhat.appeals import services as appeals

    with django_capture_on_commit_callbacks(execute=True):
        appeal, _token = submit(is_public=True, text=SECRET)
        appeals.appeal_answer(actor=astana["staff_user"], appeal=appeal, text=ANSWER)
    assert _found("lamps", "appeal", "en") == set()  # answered, not yet approved: not public
    client = Client()
    client.force_login(astana["staff_user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/inbox/{appeal.registration_number}/publication/",
            {"text": "Please light the path.", "answer_text": "Lamps will be installed in May."},
        )
    assert response.status_code == 302
    assert _found("lamps", "appeal", "en") == {appeal.registration_number}
    docs = list(SearchDocument.objects.filter(kind="appeal").values_list("title", "body"))
    for private in ("house 8", "Бекова", "701 234", appeal.applicant_email):
        assert all(private not in title and private not in text for title, text in docs)
    assert _found("Бекова", "appeal") == set()


def test_localized_documents_reads_paths_and_values() -> None:
    # given an object with a Kazakh and a Russian title (no English), a body and a date
    from datetime import date
    from types import SimpleNamespace

    from maslikhat.core.search import fixed, localized_documents

    owner = SimpleNamespace(area_id=7)
    obj = SimpleNamespace(
        pk=3,
        number="12/4",
        title_kk="Шешім",
        title_ru="Решение",
        title_en="",
        text_kk="мәтін",
        text_ru="текст",
    )
    obj.body, obj.body_id, obj.adopted_on = owner, 9, date(2026, 5, 4)
    docs = localized_documents(
        obj,
        title="title",
        body=("text",),
        url="news:detail",
        key="number",
        area="body.area_id",
        organization="body_id",
        date="adopted_on",
        weight=1.2,
    )
    # then one document per language with a title, the paths read from the object
    assert [(d.language, d.title, d.body, d.url) for d in docs] == [
        ("kk", "Шешім", "мәтін", "/kk/news/3/"),
        ("ru", "Решение", "текст", "/ru/news/3/"),
    ]
    assert {(d.key, d.area_id, d.body_id, d.date, d.weight) for d in docs} == {
        ("12/4", 7, 9, date(2026, 5, 4), 1.2)
    }
    # and a text without translations: one language, the values as given, the URL's own
    # arguments and anchor
    (one,) = localized_documents(
        obj,
        title=fixed("Жалғыз"),
        url="news:detail",
        url_args=(5,),
        anchor="#x-3",
        languages=["kk"],
        area=None,
        organization=4,
    )
    assert (one.language, one.title, one.body, one.url, one.key) == (
        "kk",
        "Жалғыз",
        "",
        "/kk/news/5/#x-3",
        "",
    )
    assert (one.area_id, one.body_id, one.date, one.weight) == (None, 4, None, 1.0)
