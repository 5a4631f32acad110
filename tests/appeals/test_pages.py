from django.core.files.uploadedfile import SimpleUploadedFile

from maslikhat.appeals.models import Appeal
from maslikhat.appeals.services import appeal_answer, appeal_publication_approve

PDF = b"%PDF-1.4\n%test\n"


def _form(applicant, **extra):
    data = {
        "kind": "application",
        "topic": "roads",
        "text": "Please repair the road on Abai street.",
        "full_name": applicant["full_name"],
        "iin": applicant["iin"],
        "address": applicant["address"],
        "phone": applicant["phone"],
        "email": applicant["email"],
        "language": "ru",
    }
    data.update(extra)
    return data


def test_citizen_submits_to_a_deputy_and_follows_the_appeal(astana, applicant, client):
    deputy = astana["deputy"]
    page = client.get(f"/ru/appeals/new/?deputy={deputy.pk}")
    assert page.status_code == 200
    # the first POST is the preview: nothing is stored yet
    preview = client.post(f"/ru/appeals/new/?deputy={deputy.pk}", _form(applicant))
    assert preview.status_code == 200
    assert preview.templates[0].name == "appeals/preview.html"
    assert Appeal.objects.count() == 0
    # the confirmation sends it, with the files chosen on the preview
    response = client.post(
        f"/ru/appeals/new/?deputy={deputy.pk}",
        {**_form(applicant), "step": "confirm", "attachments": [SimpleUploadedFile("scan.pdf", PDF)]},
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.deputy, appeal.body) == (deputy, astana["maslikhat"])
    assert response["Location"].startswith(f"/ru/appeals/{appeal.registration_number}/?token=")
    track = client.get(response["Location"])
    assert track.status_code == 200
    content = track.content.decode()
    assert appeal.registration_number in content
    assert applicant["iin"] not in content  # the citizen's page does not echo personal data
    # the attachment is reachable with the token, not without
    att = appeal.attachments.get()
    token = response["Location"].split("token=")[1].split("&")[0]
    assert (
        client.get(f"/ru/appeals/{appeal.registration_number}/files/{att.pk}/?token={token}").status_code
        == 200
    )
    assert client.get(f"/ru/appeals/{appeal.registration_number}/files/{att.pk}/").status_code == 404


def test_wrong_token_is_404(astana, submit, client):
    appeal, _ = submit()
    assert client.get(f"/ru/appeals/{appeal.registration_number}/?token=guess").status_code == 404
    assert client.get("/ru/appeals/KZ-71-2026-999999/?token=guess").status_code == 404


def test_anonymous_form_is_refused_and_nothing_stored(astana, applicant, client):
    body = astana["maslikhat"]
    response = client.post(
        f"/kk/appeals/new/?body={body.pk}", _form(applicant, full_name="", iin="", email="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Appeal.objects.count() == 0


def test_bad_iin_shows_error(astana, applicant, client):
    body = astana["maslikhat"]
    response = client.post(f"/en/appeals/new/?body={body.pk}", _form(applicant, iin="123456789012"))
    assert response.status_code == 200
    assert "iin" in response.context["form"].errors
    assert Appeal.objects.count() == 0


def test_rate_limit_answers_429_with_retry_after(astana, applicant, client, settings):
    from django.core.cache import cache

    cache.clear()
    body = astana["maslikhat"]
    statuses = [
        client.post(
            f"/en/appeals/new/?body={body.pk}", _form(applicant, text=f"Appeal {i}", step="confirm")
        ).status_code
        for i in range(11)
    ]
    assert statuses == [302] * 10 + [429]
    last = client.post(f"/en/appeals/new/?body={body.pk}", _form(applicant, step="confirm"))
    assert int(last["Retry-After"]) > 0
    assert Appeal.objects.count() == 10
    cache.clear()


def test_withdraw_rate_and_publish_through_pages(astana, submit, client):
    appeal, token = submit()
    appeal_answer(actor=astana["staff_user"], appeal=appeal, text="Done.")
    r = client.post(
        f"/en/appeals/{appeal.registration_number}/rate/", {"token": token, "rating": "5", "confirm": "1"}
    )
    assert r.status_code == 302
    client.post(f"/en/appeals/{appeal.registration_number}/publish/", {"token": token, "public": "1"})
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.publication_requested) == (5, True)
    # withdrawing an answered appeal is refused with a clear message
    refused = client.post(f"/en/appeals/{appeal.registration_number}/withdraw/", {"token": token})
    assert refused.status_code == 409
    appeal.refresh_from_db()
    assert appeal.status == "answered"


def test_public_appeal_on_body_page_without_personal_data(astana, submit, client, applicant):
    # given an appeal whose applicant asked for publication, answered, and a private one
    public, _ = submit(is_public=True, text="Please light the park path at night.")
    private, _ = submit(text="A private matter about my flat.")
    appeal_answer(actor=astana["staff_user"], appeal=public, text="The lights go up in May.")
    body_page = f"/en/bodies/{astana['maslikhat'].pk}/"
    # then before staff approve the redacted version nothing of it is on the body page
    assert "Please light the park path at night." not in client.get(body_page).content.decode()
    # when staff approve the redacted texts
    appeal_publication_approve(
        actor=astana["staff_user"],
        appeal=public,
        text="Please light the park path at night.",
        answer_text="The lights go up in May.",
    )
    page = client.get(body_page).content.decode()
    # then the approved version is shown, without personal data, and the private one is not
    assert "Please light the park path at night." in page
    assert "The lights go up in May." in page
    assert "A private matter about my flat." not in page
    for value in applicant.values():
        assert value not in page
    assert "Appeals in figures" in page


def test_forms_require_csrf_token(astana, submit, applicant):
    from django.test import Client

    appeal, token = submit()
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(f"/en/appeals/{appeal.registration_number}/withdraw/", {"token": token}).status_code
        == 403
    )
    new_page = f"/en/appeals/new/?body={astana['maslikhat'].pk}"
    assert client.post(new_page, _form(applicant, step="confirm")).status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == "registered"
    assert Appeal.objects.count() == 1
