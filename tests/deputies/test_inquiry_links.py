"""A deputy inquiry linked to the session agenda item where it was discussed (issue 14: "they
can be linked to appeals and to session items")."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from maslikhat.core.errors import FieldErrors
from maslikhat.core.models import ActionLog
from maslikhat.deputies import selectors, services
from maslikhat.proceedings import services as proceedings
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _session_item(
    body: Any, actor: Any, *, number: int = 3, title: str = "On the answers to inquiries"
) -> Any:
    conv = proceedings.convocation_create(
        actor=actor, body=body, number=8 + number, start_date=date(2023, 3, 29), seats=25
    )
    session = proceedings.session_plan(
        actor=actor, convocation=conv, number=number, starts_at=timezone.now() + timedelta(days=20)
    )
    item = proceedings.agenda_item_add(actor=actor, session=session, title={"en": title})
    proceedings.session_convene(actor=actor, session=session, notice="The session is convened.")
    return item


@pytest.fixture
def inquiry(office: dict[str, Any]) -> Any:
    return services.inquiry_register(
        actor=office["deputy_user"],
        deputy=office["deputy"],
        addressee="Akimat of Astana",
        subject="Street lighting on Beibitshilik",
        text="Voters ask when the lights will be repaired.",
    )


def test_the_office_links_an_inquiry_to_an_agenda_item_and_the_page_shows_it(
    office: dict[str, Any], inquiry: Any
) -> None:
    item = _session_item(office["maslikhat"], office["staff_user"])
    c = Client()
    c.force_login(office["deputy_user"])
    page = c.get(f"/en/deputies/inquiries/{inquiry.pk}/").content.decode()
    assert "Link to a session agenda item" in page and "On the answers to inquiries" in page
    r = c.post(
        f"/en/deputies/{office['deputy'].pk}/office/link_item/", {"inquiry": inquiry.pk, "item": item.pk}
    )
    assert r.status_code == 302
    assert list(inquiry.agenda_items.all()) == [item]
    public = Client().get(f"/en/deputies/inquiries/{inquiry.pk}/").content.decode()
    assert "Discussed at the maslikhat’s sessions" in public
    assert f"/en/proceedings/sessions/{item.session_id}/#item-{item.order}" in public
    assert "Link to a session agenda item" not in public  # the form is the office's
    # linking twice changes nothing and logs once
    services.inquiry_link_agenda_item(actor=office["deputy_user"], inquiry=inquiry, item=item)
    assert inquiry.agenda_items.count() == 1
    assert ActionLog.objects.filter(event="deputies.inquiry_linked").count() == 1


@pytest.mark.parametrize("raw", ["", "abc", "\x00", "999999", "-1"])
def test_a_forged_or_foreign_item_is_a_clear_error(office: dict[str, Any], inquiry: Any, raw: str) -> None:
    _session_item(office["maslikhat"], office["staff_user"])
    c = Client()
    c.force_login(office["deputy_user"])
    r = c.post(f"/en/deputies/{office['deputy'].pk}/office/link_item/", {"inquiry": inquiry.pk, "item": raw})
    if raw == "\x00":  # refused before the view, for every form (core's bad-bytes middleware)
        assert r.status_code == 400
    else:
        assert r.status_code == 422 and 'role="alert"' in r.content.decode()
    assert inquiry.agenda_items.count() == 0


def test_another_maslikhats_item_is_refused_by_the_service(office: dict[str, Any], inquiry: Any) -> None:
    other = OrganizationFactory(slug="other-maslikhat", kind="district_maslikhat", seats=25)
    foreign = _session_item(other, office["staff_user"], number=4, title="Elsewhere")
    assert selectors.inquiry_agenda_item(inquiry, foreign.pk) is None  # not offered
    with pytest.raises(FieldErrors):
        services.inquiry_link_agenda_item(actor=office["deputy_user"], inquiry=inquiry, item=foreign)
    assert inquiry.agenda_items.count() == 0


def test_someone_elses_inquiry_cannot_be_linked_through_this_office(
    office: dict[str, Any], inquiry: Any
) -> None:
    item = _session_item(office["maslikhat"], office["staff_user"])
    c = Client()
    c.force_login(office["resident"])
    r = c.post(
        f"/en/deputies/{office['deputy'].pk}/office/link_item/", {"inquiry": inquiry.pk, "item": item.pk}
    )
    assert r.status_code in (302, 403, 404)
    assert inquiry.agenda_items.count() == 0
