"""Writing an appeal on the page: every error at once and in the page's language, an error
summary that links to each field, the page and the API deciding every rule alike, the text's
limit shown and enforced (refused, never cut), the preview that stores nothing, "edit" that
keeps what was typed, the labelled publication checkbox; rating with no value chosen in
advance and a confirmation; withdrawing with a confirmation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation

from maslikhat.appeals import rules
from maslikhat.appeals.models import Appeal, AppealEvent
from maslikhat.appeals.services import appeal_answer, appeal_rate
from maslikhat.core.errors import FieldErrors
from maslikhat.core.models import ActionLog


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _form(applicant: dict[str, str], **extra: Any) -> dict[str, Any]:
    data = {
        "kind": "application",
        "topic": "roads",
        "text": "Please repair the road on Abai street.",
        **applicant,
        "language": "ru",
    }
    data.update(extra)
    return data


def _url(astana: dict[str, Any], lang: str = "en") -> str:
    return f"/{lang}/appeals/new/?body={astana['maslikhat'].pk}"


def _stored() -> tuple[int, int, int]:
    return Appeal.objects.count(), AppealEvent.objects.count(), ActionLog.objects.count()


def _summary(html: str) -> list[tuple[str, str]]:
    block = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', block)


# ------------------------------------------------------------------ errors


def test_a_short_iin_on_the_kazakh_page_is_refused_in_kazakh_with_every_other_error(
    astana, applicant, client
):
    # given the Kazakh page and a form with a short IIN, no email, a bad phone and no text
    before = _stored()
    data = _form(applicant, iin="85031", email="", phone="12", text="")
    # when it is sent
    response = client.post(_url(astana, "kk"), data)
    # then every error is shown at once, each in Kazakh, and the summary links to each field
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"text", "iin", "phone", "email"}
    assert errors["iin"] == ["ЖСН дәл 12 цифрдан тұруы керек."]
    html = response.content.decode()
    assert _summary(html) == [
        ("id_text", str(errors["text"][0])),
        ("id_iin", "ЖСН дәл 12 цифрдан тұруы керек."),
        ("id_phone", str(errors["phone"][0])),
        ("id_email", str(errors["email"][0])),
    ]
    assert "Ensure this value" not in html  # no English built-in message of Django's
    # and each field is described by its error
    assert 'aria-describedby="id_iin_error id_iin_helptext"' in html
    assert 'aria-invalid="true"' in html
    assert _stored() == before


def test_the_check_digit_error_comes_with_the_others(astana, applicant, client):
    # given an IIN with a wrong check digit and a missing name and address
    iin = applicant["iin"][:11] + str((int(applicant["iin"][11]) + 1) % 10)
    response = client.post(_url(astana), _form(applicant, iin=iin, full_name="", address=""))
    errors = response.context["form"].errors
    # then the check digit is reported together with the missing parts, not after them
    assert errors["iin"] == ["The IIN check digit is wrong."]
    assert set(errors) == {"iin", "full_name", "address"}
    assert Appeal.objects.count() == 0


CASES = [
    {"iin": "85031"},
    {"iin": "850315300129", "email": "not-an-email"},
    {"full_name": "", "phone": "++", "text": ""},
    {"address": "A" * 301, "kind": "petition"},
    {"topic": "", "language": "de"},
    {"text": "x" * 20001},
]


@pytest.mark.parametrize("case", CASES)
def test_the_page_and_the_api_decide_every_rule_alike(astana, applicant, client, case):
    # given the same bad input on the page and in the API
    applicant_part = {k: case.get(k, v) for k, v in applicant.items()}
    rest = {k: v for k, v in case.items() if k not in applicant}
    page = client.post(_url(astana), _form(applicant, **case))
    payload = {
        "body_id": astana["maslikhat"].pk,
        "kind": rest.get("kind", "application"),
        "topic": rest.get("topic", "roads"),
        "text": rest.get("text", "Please repair the road on Abai street."),
        "language": rest.get("language", "ru"),
        "applicant": applicant_part,
    }
    api = client.post("/api/v1/appeals", payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    # then both refuse the same fields with the same messages
    assert api.status_code == 422
    from_api = {(e["field"].removeprefix("applicant."), e["message"]) for e in api.json()["errors"]}
    from_page = {(f, str(m)) for f, ms in page.context["form"].errors.items() for m in ms}
    assert from_page == from_api
    assert Appeal.objects.count() == 0


def test_the_rules_are_one_function_each_and_translated_when_shown():
    # the message is built in the language active when it is shown, not at import time
    with translation.override("en"):
        [(field, code, message)] = rules.iin_problems("123")
    assert (field, code) == ("applicant.iin", "iin_format")
    with translation.override("kk"):
        assert str(message) == "ЖСН дәл 12 цифрдан тұруы керек."
    with translation.override("ru"):
        assert str(message) == "ИИН должен состоять ровно из 12 цифр."
    with translation.override("en"):
        assert str(rules.text_problems("x" * 20001)[0][2]) == (
            "This is 20,001 characters long, 1 more than the limit of 20,000. "
            "Shorten it: nothing is cut off automatically."
        )


# ------------------------------------------------------------------ the limit


def test_the_limit_is_shown_without_script_and_no_field_cuts_text(astana, client):
    html = client.get(_url(astana)).content.decode()
    form = html.split('class="appeal-form"', 1)[1].split("</form>", 1)[0]
    assert "<textarea" in form and "maxlength" not in form  # a browser would cut pasted text silently
    assert "Up to 20,000 characters." in html
    assert 'data-counter-for="id_text" data-limit="20000"' in html
    assert "appeals/appeal-form.js" in html


def test_a_text_over_the_limit_is_refused_with_its_length_and_nothing_is_cut(
    astana, applicant, client, submit
):
    # given a text one character over the limit
    response = client.post(_url(astana), _form(applicant, text="я" * 20001))
    # then it is refused with the count, and nothing is stored
    assert response.context["form"].errors["text"] == [
        "This is 20,001 characters long, 1 more than the limit of 20,000. "
        "Shorten it: nothing is cut off automatically."
    ]
    assert Appeal.objects.count() == 0
    # and a text at the limit whose line breaks came as CR LF is accepted whole
    text = ("abcd\r\n" * 4000)[:-2]  # 4,000 lines: 19,999 characters as seen
    appeal, _token = submit(text=text)
    assert appeal.text == text


def test_a_rating_comment_over_its_limit_is_refused_not_cut(astana, submit):
    appeal, _token = submit()
    appeal_answer(actor=astana["staff_user"], appeal=appeal, text="Done.")
    with pytest.raises(FieldErrors) as exc:
        appeal_rate(actor=None, appeal=appeal, rating=4, comment="c" * 2001)
    assert [(f, c) for f, c, _m in exc.value.errors] == [("comment", "too_long")]
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.rating_comment) == (None, "")


# ------------------------------------------------------------------ preview, edit, confirm


def test_the_preview_shows_what_is_sent_and_what_is_public_and_stores_nothing(
    astana, applicant, client, django_assert_num_queries
):
    before = _stored()
    with django_assert_num_queries(6):
        response = client.post(_url(astana), _form(applicant, is_public="on"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check your appeal before sending" in html
    assert "Nothing has been sent yet." in html
    for value in (applicant["full_name"], applicant["iin"], applicant["email"], "Please repair the road"):
        assert value in html
    assert "Never public: your name, IIN, address, phone and email." in html
    assert 'name="step" value="confirm"' in html and 'name="step" value="edit"' in html
    assert 'type="file" name="attachments"' in html
    assert _stored() == before


def test_a_private_appeal_preview_says_nothing_is_public(astana, applicant, client):
    html = client.post(_url(astana), _form(applicant)).content.decode()
    assert "Nothing. Your appeal and its answer stay between you and those who handle it." in html
    assert '<input type="hidden" name="is_public"' not in html


def test_edit_returns_to_the_form_with_what_was_typed(astana, applicant, client):
    data = _form(applicant, text="Line one\r\nline two", is_public="on", step="edit")
    response = client.post(_url(astana), data)
    form = response.context["form"]
    assert not form.is_bound and not form.errors
    html = response.content.decode()
    assert f'value="{applicant["iin"]}"' in html
    assert "Line one\r\nline two</textarea>" in html
    assert re.search(r'<input type="checkbox" name="is_public"[^>]*checked', html)
    assert Appeal.objects.count() == 0


def test_confirm_checks_every_rule_again(astana, applicant, client):
    # given hidden fields changed between the preview and the confirmation
    response = client.post(_url(astana), _form(applicant, iin="123", step="confirm"))
    # then the form comes back with the error, and nothing is stored
    assert response.templates[0].name == "appeals/new.html"
    assert "iin" in response.context["form"].errors
    assert Appeal.objects.count() == 0


def test_confirm_sends_exactly_what_was_previewed(astana, applicant, client):
    response = client.post(_url(astana), _form(applicant, is_public="on", step="confirm"))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.text, appeal.applicant_iin, appeal.language, appeal.publication_requested) == (
        "Please repair the road on Abai street.",
        applicant["iin"],
        "ru",
        True,
    )


def test_the_publication_checkbox_is_labelled_and_says_what_is_public(astana, client):
    html = client.get(_url(astana)).content.decode()
    assert '<input type="checkbox" name="is_public"' in html
    label = "Ask to publish my appeal and its answer, without my name and personal data"
    assert f'<label for="id_is_public">{label}</label>' in html
    assert "Your name is never shown." in html
    assert not re.search(r'name="is_public"[^>]*checked', html)


# ------------------------------------------------------------------ rating and withdrawing


def test_rating_has_no_value_chosen_and_records_only_after_confirmation(astana, submit, client):
    appeal, token = submit()
    appeal_answer(actor=astana["staff_user"], appeal=appeal, text="Done.")
    number = appeal.registration_number
    track = client.get(f"/en/appeals/{number}/?token={token}").content.decode()
    # the scale is explained and nothing is checked in advance
    assert "1 — very bad: the answer did not address my question" in track
    assert "5 — very good: the answer fully addressed my question" in track
    assert not re.search(r'name="rating"[^>]*checked', track)
    # sending without a choice asks for one
    empty = client.post(f"/en/appeals/{number}/rate/", {"token": token})
    assert "Choose a rating from 1 (very bad) to 5 (very good)." in empty.content.decode()
    # a choice is shown back for confirmation, not recorded
    asked = client.post(f"/en/appeals/{number}/rate/", {"token": token, "rating": "2", "comment": "Slow"})
    html = asked.content.decode()
    assert "Once recorded, the rating cannot be changed." in html
    assert "2 — bad" in html
    appeal.refresh_from_db()
    assert appeal.rating is None
    # changing returns to the choice with it kept
    change = client.post(f"/en/appeals/{number}/rate/", {"token": token, "rating": "2", "step": "change"})
    assert re.search(r'value="2"[^>]*checked', change.content.decode())
    # the confirmation records it
    confirm = {"token": token, "rating": "2", "comment": "Slow", "confirm": "1"}
    done = client.post(f"/en/appeals/{number}/rate/", confirm)
    assert done.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.rating_comment) == (2, "Slow")


def test_withdrawing_asks_for_confirmation_and_says_it_cannot_be_undone(submit, client):
    appeal, token = submit()
    number = appeal.registration_number
    asked = client.post(f"/en/appeals/{number}/withdraw/", {"token": token})
    assert asked.status_code == 200
    assert "This cannot be undone." in asked.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "registered"
    done = client.post(f"/en/appeals/{number}/withdraw/", {"token": token, "confirm": "1"})
    assert done.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "withdrawn"
