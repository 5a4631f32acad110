from maslikhat.appeals.models import Appeal
from maslikhat.directory.models import Organization
from tests.factories import MembershipFactory, PersonFactory, UserFactory


def test_inbox_shows_only_own_body_sorted_by_due_date(submit, astana, client, applicant):
    # given two appeals to Astana and one to Almaty
    from maslikhat.appeals.services import appeal_submit

    a1, _ = submit()
    a2, _ = submit()
    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    other, _ = appeal_submit(
        actor=None,
        body=almaty,
        kind="application",
        topic_code="roads",
        text="x",
        language="kk",
        applicant=dict(applicant),
        notify=False,
    )
    # when Astana's staff opens the inbox
    client.force_login(astana["staff_user"])
    response = client.get("/en/admin/appeals/appeal/")
    # then only Astana's appeals are listed
    assert response.status_code == 200
    listed = [a.registration_number for a in response.context["cl"].result_list]
    assert listed == [a1.registration_number, a2.registration_number]
    # and the other body's appeal is not reachable
    assert client.get(f"/en/admin/appeals/appeal/{other.pk}/change/").status_code == 302


def test_overdue_filter_and_bulk_assign(submit, astana, client):
    appeal, _ = submit()
    client.force_login(astana["staff_user"])
    response = client.post(
        "/en/admin/appeals/appeal/", {"action": "assign_to_me", "_selected_action": [appeal.pk]}, follow=True
    )
    assert response.status_code == 200
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assignee) == ("assigned", astana["staff_user"])
    overdue = client.get("/en/admin/appeals/appeal/?due=overdue")
    assert list(overdue.context["cl"].result_list) == []


def test_citizen_and_other_staff_cannot_see_inbox(submit, astana, client):
    submit()
    almaty_staff = UserFactory(username="staff-almaty", is_staff=True)
    MembershipFactory(
        person=PersonFactory(user=almaty_staff),
        organization=Organization.objects.get(slug="kz-75-apparatus"),
        role="staff",
        election_method="employed",
    )
    client.force_login(almaty_staff)
    response = client.get("/en/admin/appeals/appeal/")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    client.force_login(UserFactory(username="plain"))
    assert client.get("/en/admin/appeals/appeal/").status_code == 302
    assert Appeal.objects.count() == 1
