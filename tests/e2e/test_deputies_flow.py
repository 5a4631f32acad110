"""On a phone, in Russian: a resident finds their deputy from where they are, books a Saturday
reception from the deputy's page and gets the confirmation (the page and an email); on the day
the maslikhat's apparatus (signed in with their second factor) records the visit and turns the
question raised into an appeal; the resident sees the appeal's number on their booking's page."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
STAFF_PASSWORD = "astana-staff-password-1"
QUESTION = "Во дворе дома на улице Кенесары, 40 не работает освещение."


def _code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def world(astana: dict[str, Any], settings: Any) -> dict[str, Any]:
    """Astana's deputy with a weekly Saturday reception (3 places) and an evening one by phone;
    the apparatus's staff account with a TOTP authenticator (the second factor is required)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from maslikhat.deputies import services

    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    staff = astana["staff_user"]
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    saturday = services.schedule_create(
        actor=staff,
        deputy=astana["deputy"],
        place="Астана, ул. Бейбитшилик, 11, каб. 204",
        mode="in_person",
        recurrence="weekly",
        weekday=5,
        start_time=time(10, 0),
        duration_minutes=120,
        capacity=3,
        first_date=timezone.localdate() + timedelta(days=1),
        weeks=2,
    )
    services.schedule_create(
        actor=staff,
        deputy=astana["deputy"],
        place="По телефону",
        mode="phone",
        recurrence="weekly",
        weekday=2,
        start_time=time(18, 30),
        duration_minutes=60,
        capacity=4,
        first_date=timezone.localdate() + timedelta(days=1),
        weeks=2,
    )
    slot = saturday.slots.order_by("starts_at").first()
    return {**astana, "staff": staff, "secret": secret, "slot": slot}


@pytest.mark.django_db(transaction=True)
def test_resident_books_a_saturday_reception_and_sees_the_appeal_number(
    live_server: Any, browser: Any, shot: Any, world: dict[str, Any]
) -> None:
    from maslikhat.appeals.models import Appeal
    from maslikhat.deputies.models import Booking, ReceptionSlot
    from tests.factories import valid_iin

    url = live_server.url
    slot = world["slot"]
    assert timezone.localtime(slot.starts_at).weekday() == 5

    # a resident on a phone finds the deputies where they are, in Russian
    context = browser.new_context(
        viewport=PHONE,
        locale="ru-RU",
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 51.128, "longitude": 71.430},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(f"{url}/ru/find/?lat=51.12800&lon=71.43000")
    shot(page, "deputies-find-phone-ru")
    page.get_by_role("link", name="Айгерим Тестова").first.click()
    page.wait_for_url(re.compile(rf"/ru/people/{world['deputy'].pk}/$"))
    # the deputy's page shows the coming receptions with their free places
    record = page.locator(".dp-record")
    assert "Приём избирателей" in record.inner_text()
    shot(page, "deputies-person-record-phone-ru")
    record.locator(f'a.button[href$="/deputies/receptions/{slot.pk}/"]').click()
    page.wait_for_url(re.compile(rf"/ru/deputies/receptions/{slot.pk}/$"))
    page.fill("#name", "Айгуль Серикова")
    page.fill("#phone", "8 701 234 56 78")
    page.fill("#email", "aigul@example.org")
    page.fill("#topic", "Освещение во дворе")
    shot(page, "deputies-book-form-phone-ru")
    page.locator("#book-submit").click()
    page.wait_for_url(re.compile(r"/ru/deputies/booking/\?token="))
    confirmation = page.url
    status = page.locator("#booking-status").inner_text()
    assert "забронировано" in status.lower(), status
    shot(page, "deputies-booking-confirmed-phone-ru")
    booking = Booking.objects.get(slot=slot)
    assert booking.status == "booked" and booking.phone == "+77012345678" and booking.language == "ru"
    # and the confirmation email, in Russian, with the private link of the booking page
    sent = [m for m in mail.outbox if m.to == ["aigul@example.org"]]
    assert len(sent) == 1
    assert "Айгерим Тестова" in sent[0].subject
    assert confirmation.split("?token=")[1] in sent[0].body
    assert "Ваше место" in sent[0].body or "забронировано" in sent[0].body, sent[0].body

    # Saturday comes: the reception has begun (it is moved to half an hour ago)
    start = timezone.now() - timedelta(minutes=30)
    ReceptionSlot.objects.filter(pk=slot.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))

    # the apparatus signs in with the second factor and records the visit with the question
    staff_context = browser.new_context(viewport=PHONE, locale="ru-RU", is_mobile=True, has_touch=True)
    staff = staff_context.new_page()
    staff.goto(f"{url}/ru/accounts/login/")
    staff.fill("input[name=login]", world["staff"].username)
    staff.fill("input[name=password]", STAFF_PASSWORD)
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_load_state()
    assert "/accounts/2fa/authenticate/" in staff.url, staff.url
    staff.fill("input[name=code]", _code(world["secret"]))
    staff.locator("main form button[type=submit]").first.click()
    staff.wait_for_load_state()
    staff.goto(f"{url}/ru/deputies/receptions/{slot.pk}/office/")
    assert staff.url.endswith(f"/receptions/{slot.pk}/office/"), staff.url
    assert "Айгуль Серикова" in staff.locator("#slot-bookings").inner_text()
    shot(staff, "deputies-slot-office-phone-ru")
    staff.fill(f"#q-{booking.pk}", QUESTION)
    staff.locator(f"#came-{booking.pk}").click()
    staff.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.status == "attended"
    # and turns the question into an appeal in one step
    staff.locator('a.button[href*="/deputies/questions/"]').first.click()
    staff.wait_for_url(re.compile(r"/ru/deputies/questions/\d+/appeal/$"))
    staff.fill("#full_name", "Серикова Айгуль Бекболатовна")
    staff.fill("#iin", valid_iin("85031540012"))
    staff.fill("#address", "Астана, ул. Кенесары, 40, кв. 12")
    staff.fill("#phone", "+7 701 234 56 78")
    staff.fill("#email", "aigul@example.org")
    staff.select_option("#topic", "utilities")
    shot(staff, "deputies-question-appeal-form-phone-ru")
    staff.locator("#make-appeal").click()
    staff.wait_for_load_state()
    appeal = Appeal.objects.get()
    assert appeal.deputy_id == world["deputy"].pk and appeal.text == QUESTION
    assert appeal.registration_number in staff.locator("#appeal-number").inner_text()
    shot(staff, "deputies-question-appeal-registered-phone-ru")

    # the resident opens their booking's link again and sees the appeal's number
    page.goto(confirmation)
    raised = page.locator("#raised").inner_text()
    assert QUESTION in raised and appeal.registration_number in raised, raised
    shot(page, "deputies-booking-appeal-number-phone-ru")
    staff_context.close()
    context.close()
