from django.core.files.uploadedfile import SimpleUploadedFile

from maslikhat.appeals.models import Appeal
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n%test\n"


def test_staff_inbox_and_answer_with_file(submit, astana, client):
    appeal, _ = submit()
    client.force_login(astana["staff_user"])
    inbox = client.get("/ru/inbox/")
    assert inbox.status_code == 200
    assert appeal.registration_number in inbox.content.decode()
    page = client.get(f"/ru/inbox/{appeal.registration_number}/")
    assert appeal.applicant_iin in page.content.decode()  # the handler sees personal data
    r = client.post(
        f"/ru/inbox/{appeal.registration_number}/answer/",
        {"text": "Ремонт запланирован на май.", "files": [SimpleUploadedFile("reply.pdf", PDF)]},
    )
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.attachments.filter(is_answer=True).count()) == ("answered", 1)


def test_staff_bad_action_shows_error_and_changes_nothing(submit, astana, client):
    appeal, _ = submit()
    client.force_login(astana["staff_user"])
    r = client.post(f"/en/inbox/{appeal.registration_number}/extend/", {"until": "2099-01-01", "reason": "x"})
    assert r.status_code == 422
    assert 'role="alert"' in r.content.decode()
    appeal.refresh_from_db()
    assert appeal.due_on == appeal.original_due_on


def test_outsiders_get_404(submit, astana, client):
    appeal, _ = submit()
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/en/inbox/").status_code == 404
    assert client.get(f"/en/inbox/{appeal.registration_number}/").status_code == 404
    assert client.post(f"/en/inbox/{appeal.registration_number}/close/").status_code == 404
    client.logout()
    assert client.get("/en/inbox/").status_code == 302
    assert Appeal.objects.get().status == "registered"


def test_bulk_assign_to_a_colleague_and_deputy_filter(submit, astana, client):
    a1, _ = submit()
    a2, _ = submit(deputy=astana["deputy"])
    colleague = UserFactory.create(username="deputy-colleague", is_staff=True)
    astana["deputy"].user = colleague
    astana["deputy"].save()
    client.force_login(astana["staff_user"])
    inbox = client.get(f"/en/inbox/?deputy={astana['deputy'].pk}")
    assert [r.appeal.registration_number for r in inbox.context["rows"]] == [a2.registration_number]
    assert (colleague.pk, astana["deputy"].name) in inbox.context["candidates"]
    r = client.post(
        "/en/inbox/assign/",
        {"assignee": colleague.pk, "numbers": [a1.registration_number, a2.registration_number]},
    )
    assert r.status_code == 302
    assert set(Appeal.objects.values_list("assignee__username", flat=True)) == {"deputy-colleague"}
