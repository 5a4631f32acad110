"""Publishing an appeal: the citizen asks, staff approve redacted texts after the answer, and
only the approved version is on any public reader."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from maslikhat.appeals import selectors, services
from maslikhat.appeals.models import Appeal
from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.core.models import ActionLog
from maslikhat.directory.models import Organization
from maslikhat.notifications import selectors as digest_selectors
from maslikhat.notifications import services as follow_services
from tests.factories import MembershipFactory, PersonFactory, UserFactory

SECRET = "Please light the path behind house 8; Айгүл Бекова, +7 701 234 56 78."
ANSWER = "Dear Айгүл Бекова, lamps will be installed in May."


def _public_urls(body_id: int) -> list[str]:
    return [
        "/en/",
        "/en/bodies/",
        f"/en/bodies/{body_id}/",
        "/en/areas/KZ-71/",
        "/en/news/",
        "/en/news/feed/",
        f"/en/news/bodies/{body_id}/feed/",
        "/api/v1/bodies",
        f"/api/v1/bodies/{body_id}",
        "/api/v1/export/popolo.json",
    ]


def _public_texts(client, body_id: int) -> str:
    responses = [client.get(url) for url in _public_urls(body_id)]
    return "".join((b"".join(r.streaming_content) if r.streaming else r.content).decode() for r in responses)


@pytest.fixture
def requested(submit, astana):
    """An appeal whose applicant asked for publication at submission, answered."""
    appeal, token = submit(is_public=True, text=SECRET)
    services.appeal_answer(actor=astana["staff_user"], appeal=appeal, text=ANSWER)
    appeal.refresh_from_db()
    return appeal, token


def test_ask_answer_propose_edit_approve_then_public(submit, astana, client):
    # given an appeal whose applicant asked for publication
    appeal, token = submit(is_public=True, text=SECRET)
    number = appeal.registration_number
    client.force_login(astana["staff_user"])
    # then the answer form says the answer will be public
    page = client.get(f"/en/inbox/{number}/").content.decode()
    assert 'id="answer-public-notice"' in page
    # when staff answer
    assert client.post(f"/en/inbox/{number}/answer/", {"text": ANSWER}).status_code == 302
    # then nothing is public yet, and the staff page proposes the redacted texts
    assert "lamps will be installed" not in _public_texts(client, astana["maslikhat"].pk)
    page = client.get(f"/en/inbox/{number}/").content.decode()
    # (the marker is in the appeal's language, Russian here, whatever the staff page's language)
    assert "Please light the path behind house 8; [скрыто]." in page
    assert "Dear [скрыто], lamps will be installed in May." in page
    # when staff edit the proposal and approve it
    r = client.post(
        f"/en/inbox/{number}/publication/",
        {"text": "Please light the path behind a house.", "answer_text": "Lamps will be installed in May."},
    )
    assert r.status_code == 302
    # then the approved texts, and only they, are public
    appeal.refresh_from_db()
    assert (appeal.publication_state, appeal.published_by) == ("published", astana["staff_user"])
    public = _public_texts(client, astana["maslikhat"].pk)
    assert "Please light the path behind a house." in public
    assert "Lamps will be installed in May." in public
    for private in ("behind house 8", "Бекова", "701 234", appeal.applicant_iin, appeal.applicant_email):
        assert private not in public
    steps = [e.data.get("step") for e in appeal.events.filter(kind="published")]
    assert steps == ["requested", "approved"]
    log = ActionLog.objects.get(event="appeals.published")
    assert (log.actor, log.visibility, log.target_id) == (astana["staff_user"], "public", str(appeal.pk))
    # and the citizen sees the published version on the tracking page and in the API
    track = client.get(f"/en/appeals/{number}/?token={token}").content.decode()
    assert "Please light the path behind a house." in track
    out = client.get(f"/api/v1/appeals/{number}?token={token}").json()
    assert (out["is_public"], out["publication"]["state"]) == (True, "published")
    assert out["publication"]["answer"] == "Lamps will be installed in May."


def test_nothing_is_public_before_approval_on_any_public_reader(requested, astana, client):
    appeal, _ = requested
    assert appeal.publication_state == "requested"
    assert list(selectors.public_appeals()) == []
    assert "Please light the path" not in _public_texts(client, astana["maslikhat"].pk)
    # nor in a digest of the body
    citizen = UserFactory(username="digest-reader")
    follow = follow_services.follow_create(
        actor=citizen, kind="body", target=astana["maslikhat"], frequency="daily"
    )
    now = timezone.now()
    content = digest_selectors.digest_content(
        follow=follow, since=now - timedelta(days=1), until=now + timedelta(days=1)
    )
    assert (content.appeals_count, content.appeals) == (0, [])


def test_the_digest_lists_appeals_published_in_its_period_with_the_approved_texts(requested, astana):
    appeal, _ = requested
    services.appeal_publication_approve(
        actor=astana["staff_user"], appeal=appeal, text="A path needs light.", answer_text="In May."
    )
    citizen = UserFactory(username="digest-reader")
    follow = follow_services.follow_create(
        actor=citizen, kind="body", target=astana["maslikhat"], frequency="daily"
    )
    now = timezone.now()
    content = digest_selectors.digest_content(
        follow=follow, since=now - timedelta(hours=1), until=now + timedelta(hours=1)
    )
    assert content.appeals_count == 1
    item = content.appeals[0]
    assert (item.public_text, item.public_answer_text) == ("A path needs light.", "In May.")
    # the original texts are not even loaded
    assert {"text", "answer_text", "applicant_name"} <= item.get_deferred_fields()
    later = digest_selectors.digest_content(
        follow=follow, since=now + timedelta(hours=1), until=now + timedelta(hours=2)
    )
    assert later.appeals_count == 0


def test_public_appeals_is_one_query_and_loads_no_private_field(requested, astana, django_assert_num_queries):
    appeal, _ = requested
    services.appeal_publication_approve(actor=astana["staff_user"], appeal=appeal, text="T", answer_text="A")
    with django_assert_num_queries(1):
        rows = list(selectors.public_appeals(body_id=astana["maslikhat"].pk))
        labels = [(a.body.name, a.topic.name, a.public_text, a.public_answer_text) for a in rows]
    assert labels == [(astana["maslikhat"].name, rows[0].topic.name, "T", "A")]
    assert {"text", "answer_text", "applicant_iin", "applicant_phone"} <= rows[0].get_deferred_fields()


def test_withdrawing_the_request_before_approval_cancels_it(requested, astana, client):
    appeal, token = requested
    number = appeal.registration_number
    r = client.post(f"/en/appeals/{number}/publish/", {"token": token, "public": "0"})
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.publication_state == "none"
    # staff can no longer approve: a clear refusal, nothing changed
    with pytest.raises(NotAllowed) as exc:
        services.appeal_publication_approve(
            actor=astana["staff_user"], appeal=appeal, text="T", answer_text="A"
        )
    assert exc.value.code == "publication_not_requested"
    appeal.refresh_from_db()
    assert (appeal.published_at, appeal.public_text) == (None, "")
    assert ActionLog.objects.filter(event="appeals.publication_withdrawn").count() == 1


def test_withdrawing_after_approval_removes_the_public_version(requested, astana, client):
    appeal, token = requested
    services.appeal_publication_approve(
        actor=astana["staff_user"], appeal=appeal, text="A path needs light.", answer_text="In May."
    )
    assert "A path needs light." in client.get(f"/en/bodies/{astana['maslikhat'].pk}/").content.decode()
    client.post(f"/en/appeals/{appeal.registration_number}/publish/", {"token": token, "public": "0"})
    appeal.refresh_from_db()
    assert (appeal.publication_state, appeal.published_at, appeal.public_text, appeal.public_answer_text) == (
        "none",
        None,
        "",
        "",
    )
    assert "A path needs light." not in _public_texts(client, astana["maslikhat"].pk)
    last = appeal.events.filter(kind="published").last()
    assert last is not None
    assert last.data == {"step": "withdrawn", "unpublished": True}
    assert ActionLog.objects.get(event="appeals.publication_withdrawn").visibility == "public"
    # asking again needs a new approval
    services.appeal_publication_request(actor=None, appeal=appeal, requested=True)
    appeal.refresh_from_db()
    assert appeal.publication_state == "requested"
    assert list(selectors.public_appeals()) == []


def test_asking_later_on_the_tracking_page(submit, astana, client):
    appeal, token = submit()
    track = client.get(f"/en/appeals/{appeal.registration_number}/?token={token}").content.decode()
    assert "Ask to publish without my personal data" in track
    client.post(f"/en/appeals/{appeal.registration_number}/publish/", {"token": token, "public": "1"})
    appeal.refresh_from_db()
    assert appeal.publication_state == "requested"
    track = client.get(f"/en/appeals/{appeal.registration_number}/?token={token}").content.decode()
    assert "Withdraw the publication request" in track
    assert "publication requested" in track  # the history says which step


def test_approval_before_the_answer_is_refused_and_changes_nothing(submit, astana, client):
    appeal, _ = submit(is_public=True)
    client.force_login(astana["staff_user"])
    r = client.post(f"/en/inbox/{appeal.registration_number}/publication/", {"text": "T", "answer_text": "A"})
    assert r.status_code == 409
    assert "only after its answer" in r.content.decode()
    appeal.refresh_from_db()
    assert (appeal.published_at, appeal.public_text) == (None, "")


@pytest.mark.parametrize(
    ("text", "answer_text", "code"),
    [
        ("", "A", "required"),
        ("T", "   ", "invisible_only"),
        ("T", "", "required"),
        ("T\x00", "A", "null_characters"),
    ],
)
def test_bad_texts_are_refused_and_change_nothing(requested, astana, text, answer_text, code):
    appeal, _ = requested
    with pytest.raises(FieldErrors) as exc:
        services.appeal_publication_approve(
            actor=astana["staff_user"], appeal=appeal, text=text, answer_text=answer_text
        )
    assert code in [c for _f, c, _m in exc.value.errors]
    appeal.refresh_from_db()
    assert (appeal.published_at, appeal.public_text) == (None, "")


def test_other_bodies_staff_and_the_deputy_cannot_approve(requested, astana, client):
    appeal, _ = requested
    number = appeal.registration_number
    other = UserFactory(username="almaty-staff")
    MembershipFactory(
        person=PersonFactory(user=other),
        organization=Organization.objects.get(slug="kz-75-apparatus"),
        role="staff",
        election_method="employed",
    )
    deputy_user = UserFactory(username="addressed-deputy")
    astana["deputy"].user = deputy_user
    astana["deputy"].save()
    Appeal.objects.filter(pk=appeal.pk).update(deputy=astana["deputy"])
    for user in (other, deputy_user):
        client.force_login(user)
        r = client.post(f"/en/inbox/{number}/publication/", {"text": "T", "answer_text": "A"})
        assert r.status_code == 404
    # the deputy sees the section but no approval form
    page = client.get(f"/en/inbox/{number}/").content.decode()
    assert 'id="publication"' in page
    assert 'name="answer_text"' not in page
    appeal.refresh_from_db()
    assert appeal.published_at is None
    assert not ActionLog.objects.filter(event="appeals.published").exists()


def test_staff_api_shows_the_proposal_and_approves(requested, astana, client):
    appeal, _ = requested
    number = appeal.registration_number
    user = astana["staff_user"]
    user.set_password("staff-password-1")
    user.save()
    token = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "staff-password-1"},
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    proposal = client.get(f"/api/v1/appeals/{number}/publication", **auth).json()
    assert (proposal["state"], proposal["can_approve"]) == ("requested", True)
    assert proposal["answer_text"] == "Dear [скрыто], lamps will be installed in May."
    r = client.post(
        f"/api/v1/appeals/{number}/publication",
        {"text": proposal["text"], "answer_text": proposal["answer_text"]},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200
    inbox = client.get("/api/v1/inbox", **auth).json()["items"]
    assert [(i["publication_requested"], i["published"]) for i in inbox] == [(True, True)]


def test_an_appeal_marked_public_before_this_feature_counts_as_requested_not_approved(requested, astana):
    # given a row as the old code wrote it: only the old is_public column set
    appeal, _ = requested
    with connection.cursor() as cur:
        cur.execute("UPDATE appeals_appeal SET is_public = %s WHERE id = %s", [True, appeal.pk])
    appeal.refresh_from_db()
    # then it is a request awaiting approval, on no public reader
    assert (appeal.publication_requested, appeal.published_at, appeal.publication_state) == (
        True,
        None,
        "requested",
    )
    assert list(selectors.public_appeals()) == []
