"""Public hearings: announced with topic, date, place and an optional draft; signed-in residents
register to speak once each under the name they choose, within the capacity, until it begins;
the staff publish the record afterwards; the hearing is on the maslikhat's calendar."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from maslikhat.core.errors import DomainError, FieldErrors, NotAllowed
from maslikhat.proceedings import services
from maslikhat.proceedings.models import HearingRegistration, PublicHearing
from maslikhat.proceedings.services import PeriodClosed
from tests.factories import UserFactory


def _url(name: str, pk: Any, **kw: Any) -> str:
    with translation.override("en"):
        return reverse(f"proceedings:{name}", kwargs={"pk": pk, **kw})


@pytest.fixture
def hearing(body: dict[str, Any]) -> PublicHearing:
    return services.hearing_announce(
        actor=body["staff"],
        body=body["maslikhat"],
        topic={"kk": "Бюджет тыңдауы", "ru": "Слушания по бюджету", "en": "Budget hearing"},
        starts_at=timezone.now() + timedelta(days=7),
        place="Akimat, hall 1",
        capacity=2,
    )


def test_residents_register_once_under_the_name_they_choose(
    body: dict[str, Any], hearing: PublicHearing
) -> None:
    row = services.hearing_register(
        actor=body["resident"], hearing=hearing, shown_name="A. N.", subject="Roads"
    )
    assert row.shown_name == "A. N."
    with pytest.raises(NotAllowed) as exc:
        services.hearing_register(actor=body["resident"], hearing=hearing, shown_name="Again")
    assert exc.value.code == "already_registered"
    services.hearing_register(actor=body["other"], hearing=hearing, shown_name="B")
    with pytest.raises(NotAllowed) as exc:
        services.hearing_register(actor=UserFactory(), hearing=hearing, shown_name="C")
    assert exc.value.code == "hearing_full"
    services.hearing_unregister(actor=body["other"], hearing=hearing)
    assert HearingRegistration.objects.filter(hearing=hearing).count() == 1


def test_registration_closes_when_the_hearing_begins(body: dict[str, Any], hearing: PublicHearing) -> None:
    PublicHearing.objects.filter(pk=hearing.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    hearing.refresh_from_db()
    with pytest.raises(PeriodClosed) as exc:
        services.hearing_register(actor=body["resident"], hearing=hearing, shown_name="Late")
    assert exc.value.code == "registration_closed" and exc.value.status == 422


def test_anonymous_cannot_register(hearing: PublicHearing) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(DomainError):
        services.hearing_register(actor=AnonymousUser(), hearing=hearing, shown_name="X")


def test_the_record_is_published_after_the_hearing(body: dict[str, Any], hearing: PublicHearing) -> None:
    with pytest.raises(NotAllowed) as exc:
        services.hearing_record_publish(actor=body["staff"], hearing=hearing, record="Early.")
    assert exc.value.code == "hearing_not_over"
    PublicHearing.objects.filter(pk=hearing.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    done = services.hearing_record_publish(
        actor=body["staff"], hearing=hearing, record="Twelve residents spoke."
    )
    assert done.status == "held" and done.record_published_at is not None
    page = Client().get(_url("hearing", hearing.pk)).content.decode()
    assert "Twelve residents spoke." in page and "Register to speak" not in page


def test_announce_validates_the_draft_and_capacity(body: dict[str, Any]) -> None:
    draft = services.draft_create(
        actor=body["staff"], body=body["maslikhat"], title={"kk": "Ж", "ru": "П"}, text_kk="а", text_ru="б"
    )
    with pytest.raises(FieldErrors) as exc:
        services.hearing_announce(
            actor=body["staff"],
            body=body["maslikhat"],
            topic={"en": "T"},
            starts_at=timezone.now() + timedelta(days=1),
            place="Hall",
            draft=draft,
            capacity=0,
        )
    assert {e[0] for e in exc.value.errors} == {"draft", "capacity"}


def test_the_hearing_is_on_the_maslikhats_calendar_with_a_stable_uid(
    body: dict[str, Any], hearing: PublicHearing
) -> None:
    url = _url("body_calendar", body["maslikhat"].pk)
    events = Calendar.from_ical(Client().get(url).content).walk("VEVENT")
    uid = [str(e["uid"]) for e in events if str(e["uid"]).startswith("hearing-")]
    assert uid == [f"hearing-{hearing.pk}@" + uid[0].split("@")[1]]
    services.hearing_cancel(actor=body["staff"], hearing=hearing, reason="Moved to spring.")
    again = [
        e for e in Calendar.from_ical(Client().get(url).content).walk("VEVENT") if str(e["uid"]) == uid[0]
    ]
    assert str(again[0]["status"]) == "CANCELLED" and again[0].decoded("sequence") == 1


def test_the_page_and_the_registration_form(body: dict[str, Any], hearing: PublicHearing) -> None:
    client = Client()
    assert "Sign in to register to speak" in client.get(_url("hearing", hearing.pk)).content.decode()
    client.force_login(body["resident"])
    answer = client.post(
        _url("hearing_act", hearing.pk, action="register"), {"shown_name": "Aliya N.", "subject": "Parks"}
    )
    assert answer.status_code == 302
    page = client.get(_url("hearing", hearing.pk)).content.decode()
    assert "You are registered to speak as Aliya N." in page
    assert (
        client.post(_url("hearing_act", hearing.pk, action="register"), {"shown_name": "X"}).status_code
        == 409
    )
    listing = Client().get(_url("sessions", body["maslikhat"].pk)).content.decode()
    assert "Budget hearing" in listing and "Announce a public hearing" not in listing


@pytest.mark.parametrize(
    "data",
    [
        {"shown_name": ""},
        {"shown_name": "A\x00B"},
        {"shown_name": "x" * 100_000},
        {"shown_name": "Ok", "subject": "y" * 100_000},
    ],
    ids=["empty", "nul", "huge-name", "huge-subject"],
)
def test_bad_registration_is_a_clear_error_and_nothing_changes(
    body: dict[str, Any], hearing: PublicHearing, data: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(body["resident"])
    answer = client.post(_url("hearing_act", hearing.pk, action="register"), data)
    assert answer.status_code in (400, 422)
    assert not HearingRegistration.objects.exists()


def test_a_lone_surrogate_in_the_registration_form_is_refused(
    body: dict[str, Any], hearing: PublicHearing
) -> None:
    client = Client()
    client.force_login(body["resident"])
    answer = client.post(
        _url("hearing_act", hearing.pk, action="register"),
        b"shown_name=%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 422 and "cannot be stored" in answer.content.decode()
    assert not HearingRegistration.objects.exists()


def test_staff_announce_through_the_form_and_bad_input_changes_nothing(body: dict[str, Any]) -> None:
    client = Client()
    client.force_login(body["staff"])
    url = _url("hearing_new", body["maslikhat"].pk)
    good = {"topic_en": "Parks", "starts_at": "2031-05-01T15:00", "place": "Hall", "capacity": "30"}
    for bad in (
        {"capacity": "abc"},
        {"topic_en": "\x00"},
        {"place": "p" * 5000},
        {"draft": "999999"},
        {"starts_at": "x"},
    ):
        assert client.post(url, {**good, **bad}).status_code in (400, 422), bad
    assert not PublicHearing.objects.exists()
    assert client.post(url, good).status_code == 302
    assert PublicHearing.objects.get().capacity == 30
    other = Client()
    other.force_login(body["resident"])
    assert other.post(url, good).status_code == 403
    assert (
        other.post(
            _url("hearing_act", PublicHearing.objects.get().pk, action="cancel"), {"reason": "x"}
        ).status_code
        == 403
    )


def test_the_demo_builds_meetings_hearings_and_a_late_report_once(body: dict[str, Any]) -> None:
    from maslikhat.demo.proceedings_hearings_demo import delete_demo_hearings, generate_demo_hearings
    from maslikhat.directory.choices import ElectionMethod, PostRole
    from maslikhat.proceedings.models import AgendaItem, CommissionMeeting
    from tests.factories import MembershipFactory

    conv = body["convocation"]
    conv.is_demo = True
    conv.save()
    for person in body["deputies"][:3]:
        MembershipFactory(
            person=person,
            organization=body["commission"],
            role=PostRole.COMMISSION_MEMBER,
            election_method=ElectionMethod.INDIRECT,
            start_date=conv.start_date,
        )
    session = services.session_plan(
        actor=body["staff"], convocation=conv, number=1, starts_at=timezone.now() + timedelta(days=30)
    )
    services.agenda_item_add(actor=body["staff"], session=session, title={"en": "Budget"})
    services.session_convene(actor=body["staff"], session=session, notice="Convened.")
    for n in range(1, 6):
        UserFactory(username=f"demo-resident-{n}", first_name=f"R{n}")
    made = generate_demo_hearings(seed=1)
    assert made == CommissionMeeting.objects.count() + PublicHearing.objects.count() + 5 + 1
    held = CommissionMeeting.objects.get(status="held")
    assert (held.members, held.is_demo) == (3, True)
    assert PublicHearing.objects.filter(status="held", is_demo=True).count() == 1
    late = AgendaItem.objects.get(kind="akim_report")
    assert services.materials_late(late, session, 21)
    assert generate_demo_hearings(seed=1) == 0
    delete_demo_hearings()
    assert not CommissionMeeting.objects.exists() and not PublicHearing.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency of row locks is a PostgreSQL property (run on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_never_exceed_the_capacity() -> None:
    import threading

    from django.db import connections

    from maslikhat.directory.choices import OrganizationKind
    from tests.factories import OrganizationFactory

    body: Any = OrganizationFactory(kind=OrganizationKind.DISTRICT_MASLIKHAT)
    hearing = services.hearing_announce(
        actor=None,
        body=body,
        topic={"en": "Parks"},
        starts_at=timezone.now() + timedelta(days=3),
        place="Hall",
        capacity=3,
    )
    users = [UserFactory() for _ in range(8)]
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.hearing_register(actor=users[i], hearing=hearing, shown_name=f"Speaker {i}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(users))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert HearingRegistration.objects.filter(hearing=hearing).count() == 3
    assert len(errors) == 5 and all(getattr(e, "code", "") == "hearing_full" for e in errors)


def test_hearing_and_sessions_pages_queries_do_not_grow(body: dict[str, Any], hearing: PublicHearing) -> None:
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(_url("hearing", hearing.pk))  # warm the per-process caches
    services.hearing_register(actor=body["resident"], hearing=hearing, shown_name="One")
    with CaptureQueriesContext(connection) as one:
        client.get(_url("hearing", hearing.pk))
    with CaptureQueriesContext(connection) as one_list:
        client.get(_url("sessions", body["maslikhat"].pk))
    services.hearing_register(actor=body["other"], hearing=hearing, shown_name="Two")
    services.hearing_announce(
        actor=body["staff"],
        body=body["maslikhat"],
        topic={"en": "Another"},
        starts_at=timezone.now() + timedelta(days=9),
        place="Hall",
    )
    with CaptureQueriesContext(connection) as two:
        client.get(_url("hearing", hearing.pk))
    with CaptureQueriesContext(connection) as two_list:
        client.get(_url("sessions", body["maslikhat"].pk))
    assert len(two) == len(one) <= 10
    assert len(two_list) == len(one_list)
