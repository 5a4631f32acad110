"""The in-person verification screen (staff find an account and record the identity document
seen, through residency_in_person) and the initiative form's settlement picker and place."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from maslikhat.directory.models import Area
from maslikhat.participation.models import Initiative, Verification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/participation/staff/verify/"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[70.0, 50.0], [71.0, 50.0], [71.0, 51.0], [70.0, 51.0], [70.0, 50.0]]],
}


def _user(**kw: Any) -> Any:
    return UserFactory(**kw)


def _client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def test_only_maslikhat_staff_open_the_screen(locality: dict[str, Any]) -> None:
    assert _client().get(URL).status_code == 302  # to sign in
    assert _client(locality["outsider"]).get(URL).status_code == 404
    assert _client(locality["staff"]).get(URL).status_code == 200
    assert _client(_user(is_superuser=True, is_staff=True)).get(URL).status_code == 200


def test_staff_find_an_account_by_exact_name_or_email_only(locality: dict[str, Any]) -> None:
    person = _user(username="aigerim-k", email="aigerim@example.kz")
    client = _client(locality["staff"])
    by_name = client.get(URL, {"who": "AIGERIM-K"}).content.decode()
    assert f'name="user" value="{person.pk}"' in by_name
    by_email = client.get(URL, {"who": "aigerim@example.kz"}).content.decode()
    assert f'name="user" value="{person.pk}"' in by_email
    partial = client.get(URL, {"who": "aigerim"}).content.decode()
    assert 'name="user"' not in partial and "No single account" in partial
    # the email is never shown
    assert "aigerim@example.kz" not in by_name


def test_staff_record_a_residency(locality: dict[str, Any]) -> None:
    person = _user(username="aigerim-k")
    response = _client(locality["staff"]).post(
        URL,
        {"user": person.pk, "who": "aigerim-k", "area": locality["village"].code, "document_note": "ID card"},
    )
    assert response.status_code == 302 and "done=1" in response["Location"]
    (v,) = Verification.objects.filter(user=person)
    assert (v.method, v.area_id, v.verified_by_id, v.document_note) == (
        "in_person",
        locality["village"].pk,
        locality["staff"].pk,
        "ID card",
    )
    page = _client(locality["staff"]).get(response["Location"]).content.decode()
    assert "Residency recorded." in page and "in person" in page


def test_the_settlement_is_chosen_from_the_area_search(locality: dict[str, Any]) -> None:
    Area.objects.filter(pk=locality["village"].pk).update(
        name_en="Zhanakonys", name_ru="Жанаконыс", name_kk="Жаңақоныс"
    )
    Area.objects.get(pk=locality["village"].pk).save()  # the search key follows the names
    person = _user(username="aigerim-k")
    html: str = (
        _client(locality["staff"]).get(URL, {"who": "aigerim-k", "place_q": "zhanakon"}).content.decode()
    )
    assert (
        f'type="radio" id="area-{locality["village"].pk}" name="area" value="{locality["village"].code}"'
        in html
    )
    assert person.username in html


def test_staff_of_another_maslikhat_are_refused_and_nothing_is_recorded(locality: dict[str, Any]) -> None:
    person = _user()
    response = _client(locality["staff"]).post(
        URL, {"user": person.pk, "area": locality["other_village"].code, "document_note": "ID card"}
    )
    assert response.status_code == 403
    assert "Only the staff of this maslikhat" in response.content.decode()
    assert not Verification.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    "data",
    [
        {},  # nobody chosen
        {"area": "NO-SUCH"},
        {"document_note": ""},
        {"document_note": "x" * 201},
        {"document_note": "   "},
        {"user": "not a number"},
        {"user": "99999999999999999999"},
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(
    locality: dict[str, Any], data: dict[str, Any]
) -> None:
    person = _user()
    form = {"user": person.pk, "area": locality["village"].code, "document_note": "ID card", **data}
    if not data:
        form = {}
    response = _client(locality["staff"]).post(URL, form)
    assert response.status_code == 422
    assert 'class="notice error"' in response.content.decode()
    assert not Verification.objects.exists()


def test_nul_in_the_form_is_refused_before_the_view(locality: dict[str, Any]) -> None:
    person = _user()
    response = _client(locality["staff"]).post(
        URL, {"user": person.pk, "area": locality["village"].code, "document_note": "ID\x00card"}
    )
    assert response.status_code in (400, 422)
    assert not Verification.objects.exists()


# ------------------------------------------------------------------ the initiative form


def test_the_initiative_form_offers_the_residents_settlement_and_finds_others(
    locality: dict[str, Any], resident: Any
) -> None:
    Area.objects.filter(pk=locality["other_village"].pk).update(name_en="Karatobe")
    Area.objects.get(pk=locality["other_village"].pk).save()
    client = _client(resident)
    start = client.get("/en/participation/initiatives/new/").content.decode()
    assert f'name="area" value="{locality["village"].code}" checked' in start
    found = client.post(
        "/en/participation/initiatives/new/", {"action": "find", "place_q": "karatob", "title": "Kept"}
    ).content.decode()
    assert f'value="{locality["other_village"].code}"' in found and 'value="Kept"' in found
    assert not Initiative.objects.exists()


def _submit(client: Client, area: Any, **extra: Any) -> Any:
    data = {
        "action": "submit",
        "area": area.code,
        "title": "Playground",
        "text": "A playground by the school.",
        "category": "yards",
        **extra,
    }
    return client.post("/en/participation/initiatives/new/", data)


def test_a_place_inside_the_area_is_kept(locality: dict[str, Any], resident: Any) -> None:
    Area.objects.filter(pk=locality["district"].pk).update(boundary=SQUARE, boundary_web=SQUARE)
    response = _submit(_client(resident), locality["village"], lat="50,5", lon="70.5")
    assert response.status_code == 302
    (i,) = Initiative.objects.all()
    assert (i.lat, i.lon) == (50.5, 70.5)


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("52.5", "70.5", "The point is outside this area."),
        ("50.5", "", "Enter both a latitude and a longitude"),
        ("north", "70.5", "Enter both a latitude and a longitude"),
        ("1e400", "70.5", "Enter both a latitude and a longitude"),
        ("5" * 40, "70.5", "Enter both a latitude and a longitude"),
    ],
)
def test_a_place_outside_or_malformed_is_refused(
    locality: dict[str, Any], resident: Any, lat: str, lon: str, message: str
) -> None:
    Area.objects.filter(pk=locality["district"].pk).update(boundary=SQUARE, boundary_web=SQUARE)
    response = _submit(_client(resident), locality["village"], lat=lat, lon=lon)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Initiative.objects.exists()


def test_huge_or_broken_text_is_refused(locality: dict[str, Any], resident: Any) -> None:
    client = _client(resident)
    assert _submit(client, locality["village"], text="x" * 10_001).status_code == 422
    assert not Initiative.objects.exists()


def test_lone_surrogates_are_refused_by_the_services(locality: dict[str, Any], resident: Any) -> None:
    # (a browser cannot send one: the page decodes bad UTF-8 as replacement characters)
    from maslikhat.core.errors import FieldErrors
    from maslikhat.participation.services import initiative_create, residency_in_person

    with pytest.raises(FieldErrors) as caught:
        initiative_create(
            actor=resident,
            area=locality["village"],
            title="Play \ud800ground",
            text="Text.",
            category="yards",
        )
    assert "characters that are not allowed" in str(caught.value.errors[0][2])
    person = _user()
    with pytest.raises(FieldErrors):
        residency_in_person(
            actor=locality["staff"], user=person, area=locality["village"], document_note="ID \udfff"
        )
    assert not Initiative.objects.exists()
    assert not Verification.objects.filter(user=person).exists()
