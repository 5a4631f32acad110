"""A citizen in Almaty writes to their deputy with an attachment; staff answer; the citizen rates."""

import importlib
import re
from datetime import date

import pytest
from django.apps import apps as django_apps

from maslikhat.core.iin import check_digit

pytestmark = pytest.mark.e2e


@pytest.fixture
def almaty(reference):
    from maslikhat.directory.choices import AreaKind, ElectionMethod, PostRole
    from maslikhat.directory.lookup import reset_index
    from maslikhat.directory.models import Area, Organization
    from maslikhat.directory.services import area_upsert
    from tests.factories import MembershipFactory, PersonFactory, PostFactory, UserFactory

    # transactional tests flush the data migration's topics: put them back
    importlib.import_module("maslikhat.appeals.migrations.0002_topics").add_topics(django_apps, None)
    region = Area.objects.get(code="KZ-75")
    body = Organization.objects.get(slug="kz-75-maslikhat")
    constituency, _ = area_upsert(
        actor=None,
        code="KZ-75-T01",
        defaults={
            "kind": AreaKind.CONSTITUENCY,
            "parent": region,
            "body": body,
            "number": 1,
            "name_kk": "№1 сайлау округі",
            "name_ru": "Избирательный округ №1",
            "name_en": "Constituency No. 1",
            "boundary": region.boundary,
            "valid_from": date(2023, 3, 19),
        },
    )
    post = PostFactory(organization=body, area=constituency, label_en="Deputy for constituency No. 1")
    deputy = PersonFactory(name_en="Nurlan Almatov", name_ru="Нурлан Алматов", name_kk="Нұрлан Алматов")
    MembershipFactory(person=deputy, organization=body, post=post)
    staff = UserFactory(username="staff-e2e-kz-75", is_staff=True, password="staff-password-1")
    MembershipFactory(
        person=PersonFactory(user=staff),
        organization=Organization.objects.get(slug="kz-75-apparatus"),
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    reset_index()
    return {"deputy": deputy, "staff": staff}


@pytest.mark.django_db(transaction=True)
def test_citizen_appeal_answered_and_rated(live_server, browser, shot, almaty, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a scanned letter\n")
    iin = "85031530012" + str(check_digit("85031530012"))
    citizen = browser.new_context(viewport={"width": 390, "height": 844})
    page = citizen.new_page()
    # find the deputy for a point in Almaty and write to them
    page.goto(f"{live_server.url}/ru/find/?lat=43.238&lon=76.889")
    page.get_by_text("Нурлан Алматов").first.wait_for()
    page.locator(f'a[href$="?deputy={almaty["deputy"].pk}"]').first.click()
    page.wait_for_url(re.compile(r"/ru/appeals/new/"))
    page.select_option("select[name=kind]", "application")
    page.select_option("select[name=topic]", "roads")
    page.fill("textarea[name=text]", "Просим отремонтировать дорогу на улице Абая.")
    page.fill("input[name=full_name]", "Айгуль Бекова")
    page.fill("input[name=iin]", iin)
    page.fill("input[name=address]", "Алматы, ул. Абая, 1")
    page.fill("input[name=phone]", "+7 701 234 56 78")
    page.fill("input[name=email]", "aigul@example.org")
    shot(page, "appeal-form-ru-phone")
    page.locator("form.appeal-form button[type=submit]").click()
    # the preview: what is sent and what is public; the files are chosen here, then confirmed
    page.get_by_text("Просим отремонтировать дорогу на улице Абая.").wait_for()
    page.set_input_files("input[name=attachments]", str(scan))
    page.locator("button[name=step][value=confirm]").click()
    page.wait_for_url(re.compile(r"/ru/appeals/KZ-75-\d{4}-000001/\?token="))
    tracking_url = page.url
    assert "KZ-75-" in page.locator(".regno").inner_text()
    shot(page, "appeal-registered-ru-phone")
    number = page.locator(".regno").inner_text().strip()
    # staff of the Almaty maslikhat log in and answer it
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    spage = staff.new_page()
    spage.goto(f"{live_server.url}/en/accounts/login/")
    spage.fill("input[name=login]", "staff-e2e-kz-75")
    spage.fill("input[name=password]", "staff-password-1")
    spage.locator("form:has(input[name=login]) button[type=submit]").click()
    spage.goto(f"{live_server.url}/en/inbox/")
    spage.get_by_role("link", name=number).click()
    spage.fill("#answer-text", "The road is in the repair plan for May.")
    spage.locator("#answer-form button[type=submit]").click()
    spage.wait_for_url(re.compile(rf"/en/inbox/{number}/$"))
    shot(spage, "staff-answered-en-desktop")
    staff.close()
    # the citizen sees the answer and rates it
    page.goto(tracking_url)
    page.get_by_text("The road is in the repair plan for May.").wait_for()
    page.check("input[name=rating][value='5']")
    page.locator('form[action$="/rate/"] button[type=submit]').click()
    # the rating is shown back for confirmation (it cannot be changed afterwards)
    page.locator("input[name=confirm]").first.wait_for(state="attached")
    page.locator("form:has(input[name=confirm]) button[type=submit]").click()
    page.wait_for_url(re.compile(r"\?token="))
    shot(page, "appeal-answered-rated-ru-phone")
    from maslikhat.appeals.models import Appeal

    appeal = Appeal.objects.get(registration_number=number)
    assert (appeal.status, appeal.rating, appeal.attachments.count()) == ("answered", 5, 1)
    citizen.close()
