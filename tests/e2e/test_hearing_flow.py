"""A resident on a phone in Kazakh registers to speak at a public hearing; a draft's versions are
compared (the diff shows what changed)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    from maslikhat.directory.choices import OrganizationKind
    from maslikhat.proceedings import services
    from tests.factories import OrganizationFactory, UserFactory

    body: Any = OrganizationFactory(kind=OrganizationKind.DISTRICT_MASLIKHAT, name_kk="Талғар мәслихаты")
    UserFactory(
        username="e2e-resident", first_name="Әлия", last_name="Нұрова", password="resident-password-1"
    )
    hearing = services.hearing_announce(
        actor=None,
        body=body,
        topic={"kk": "Аудан бюджеті", "ru": "Бюджет района", "en": "The district budget"},
        starts_at=timezone.now() + timedelta(days=10),
        place="Әкімдік, мәжіліс залы",
        capacity=10,
    )
    draft = services.draft_create(
        actor=None,
        body=body,
        title={"kk": "Салық туралы", "ru": "О налоге"},
        text_kk="1. Салық 5 теңге.\n\n2. Бірдей.",
        text_ru="1. Налог 5 тенге.\n\n2. Одинаково.",
    )
    draft = services.draft_revise(
        actor=None,
        draft=draft,
        text_kk="1. Салық 7 теңге.\n\n2. Бірдей.",
        text_ru="1. Налог 7 тенге.\n\n2. Одинаково.",
    )
    draft = services.draft_publish(actor=None, draft=draft)
    return {"hearing": hearing, "draft": draft}


@pytest.mark.django_db(transaction=True)
def test_resident_registers_to_speak_and_compares_versions(
    live_server: Any, browser: Any, shot: Any, world: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="kk-KZ")
    page = context.new_page()
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.fill("input[name=login]", "e2e-resident")
    page.fill("input[name=password]", "resident-password-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/kk/proceedings/hearings/{world['hearing'].pk}/")
    page.fill("input[name=shown_name]", "Әлия Н.")
    page.fill("input[name=subject]", "Саябақтар")
    shot(page, "hearing-register-kk-phone")
    page.locator("#register button").click()
    page.wait_for_load_state()
    page.get_by_text("Әлия Н.").first.wait_for()
    shot(page, "hearing-registered-kk-phone")
    assert page.locator("ol li", has_text="Әлия Н.").count() == 1

    page.goto(f"{live_server.url}/kk/proceedings/drafts/{world['draft'].pk}/?from=1&to=2#compare")
    assert page.locator("#compare del", has_text="5").count() == 2
    assert page.locator("#compare ins", has_text="7").count() == 2
    shot(page, "draft-diff-kk-phone")
    context.close()
