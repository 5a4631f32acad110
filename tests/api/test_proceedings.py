"""The proceedings API: public sessions and their agendas, votes in Open Civic Data's vote-event
shape (counts equal the roll; a secret ballot has no person votes), drafts with their versions and
comments, a resident's comment (bearer token or session; 422 after the period, 401 anonymous), and
the decisions register with the page's filters and the links both ways."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from maslikhat.api import proceedings as api_module
from maslikhat.core.tokens import api_token_issue
from maslikhat.directory.choices import ElectionMethod, OrganizationKind, PostRole
from maslikhat.proceedings import services
from maslikhat.proceedings.models import Comment
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, UserFactory

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = pytest.mark.usefixtures("uncached")

DEPUTIES = 6
API = "/api/v1/proceedings"
TEXTS = {
    "text_kk": "1. Бюджет бекітілсін.\n\n2. Шешім жарияланғаннан кейін күшіне енеді.",
    "text_ru": "1. Утвердить бюджет.\n\n2. Решение вступает в силу после опубликования.",
}


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """A maslikhat of six deputies; session 5 closed with three votes (two roll-call, one secret),
    three decisions linked (2 amends 1, 3 repeals 2); a planned session; drafts open, past and in
    preparation; a resident's comment, another's hidden by a moderator."""
    maslikhat: Any = OrganizationFactory(
        slug="api-maslikhat",
        kind=OrganizationKind.DISTRICT_MASLIKHAT,
        seats=DEPUTIES,
        name_en="Test maslikhat",
    )
    apparatus = OrganizationFactory(slug="api-apparatus", kind=OrganizationKind.APPARATUS, parent=maslikhat)
    commission: Any = OrganizationFactory(
        slug="api-budget", kind=OrganizationKind.STANDING_COMMISSION, parent=maslikhat, name_en="Budget"
    )
    deputies: list[Any] = []
    for i in range(DEPUTIES):
        person: Any = PersonFactory(name_en=f"Deputy {i}", name_kk=f"Депутат {i}", name_ru=f"Депутат {i}")
        MembershipFactory(person=person, organization=maslikhat)
        deputies.append(person)
    staff = UserFactory(username="api-proceedings-staff", is_staff=True)
    MembershipFactory(
        person=PersonFactory(user=staff),
        organization=apparatus,
        role=PostRole.STAFF,
        election_method=ElectionMethod.EMPLOYED,
    )
    resident = UserFactory(
        username="api-resident", first_name="Aliya", last_name="Nurova", email="aliya@example.kz"
    )
    other = UserFactory(
        username="api-other", first_name="Bolat", last_name="Sadykov", email="bolat@example.kz"
    )
    conv = services.convocation_create(
        actor=staff, body=maslikhat, number=8, start_date=date(2023, 3, 29), seats=DEPUTIES
    )

    today = timezone.localdate()
    open_draft = services.draft_create(
        actor=staff,
        body=maslikhat,
        title={"kk": "Бюджет туралы жоба", "ru": "Проект о бюджете", "en": "Draft on the budget"},
        explanatory_note="Why the budget changes.",
        **TEXTS,
    )
    services.draft_revise(
        actor=staff,
        draft=open_draft,
        text_kk=TEXTS["text_kk"] + "\n\n3. Үшінші.",
        text_ru=TEXTS["text_ru"] + "\n\n3. Третий.",
        note="A third paragraph.",
    )
    open_draft = services.draft_publish(actor=staff, draft=open_draft, opens_on=today - timedelta(days=7))
    past_draft = services.draft_create(
        actor=staff, body=maslikhat, title={"kk": "Ескі", "ru": "Старый"}, **TEXTS
    )
    past_draft = services.draft_publish(actor=staff, draft=past_draft, opens_on=date(2020, 1, 6))
    preparing = services.draft_create(
        actor=staff, body=maslikhat, title={"kk": "Дайын емес", "ru": "Готовится"}, **TEXTS
    )

    session = services.session_plan(
        actor=staff, convocation=conv, number=5, starts_at=datetime(2031, 3, 20, 5, 0, tzinfo=UTC)
    )
    first = services.agenda_item_add(
        actor=staff,
        session=session,
        title={"kk": "Бюджет туралы", "ru": "О бюджете", "en": "On the budget"},
        commission=commission,
        draft=open_draft,
    )
    second = services.agenda_item_add(
        actor=staff, session=session, title={"en": "On the chair of the commission"}
    )
    third = services.agenda_item_add(actor=staff, session=session, title={"en": "On the rules of the market"})
    services.session_convene(actor=staff, session=session, notice="The fifth session is convened.")
    services.session_start(actor=staff, session=session)
    services.attendance_record(
        actor=staff,
        session=session,
        present={d.pk: i != 5 for i, d in enumerate(deputies)},
        reasons={deputies[5].pk: "ill"},
    )
    roll = {deputies[0].pk: "yes", deputies[1].pk: "yes", deputies[2].pk: "yes", deputies[3].pk: "yes"}
    roll[deputies[4].pk] = "no"
    services.vote_record(actor=staff, item=first, method="roll_call", ballots=roll)
    services.vote_record(actor=staff, item=second, method="secret", secret_counts=(4, 1, 0))
    services.vote_record(
        actor=staff,
        item=third,
        method="open",
        ballots={d.pk: "yes" for d in deputies[:4]} | {deputies[4].pk: "abstain"},
    )
    d1 = services.decision_adopt(actor=staff, item=first)
    d2 = services.decision_adopt(actor=staff, item=second)
    d3 = services.decision_adopt(actor=staff, item=third)
    services.decision_publish(actor=staff, decision=d1, published_on=date(2031, 3, 25), where="Local paper")
    services.decision_enter_into_force(actor=staff, decision=d1, today=date(2031, 4, 1))
    services.decision_link(actor=staff, source=d2, target=d1, kind="amends")
    services.decision_link(actor=staff, source=d3, target=d2, kind="repeals")
    services.session_close(actor=staff, session=session)

    cancelled = services.session_plan(
        actor=staff, convocation=conv, number=4, starts_at=datetime(2031, 2, 2, 5, 0, tzinfo=UTC)
    )
    services.session_cancel(actor=staff, session=cancelled, reason="The hall is closed.")
    planned = services.session_plan(
        actor=staff, convocation=conv, number=6, starts_at=datetime(2031, 6, 1, 5, 0, tzinfo=UTC)
    )
    planned_item = services.agenda_item_add(actor=staff, session=planned, title={"en": "A secret plan"})

    on_paragraph = services.comment_post(
        actor=resident, draft=open_draft, text="Give the amounts per district.", paragraph=1, language="ru"
    )
    spam = services.comment_post(actor=other, draft=open_draft, text="Buy cheap watches")
    services.comment_support(actor=other, comment=on_paragraph, stance="support")
    services.comment_moderate(actor=staff, comment=spam, reason="Advertising.")
    return {
        "maslikhat": maslikhat,
        "commission": commission,
        "deputies": deputies,
        "staff": staff,
        "resident": resident,
        "other": other,
        "session": session,
        "planned": planned,
        "cancelled": cancelled,
        "planned_item": planned_item,
        "items": (first, second, third),
        "decisions": (d1, d2, d3),
        "open_draft": open_draft,
        "past_draft": past_draft,
        "preparing": preparing,
        "comment": on_paragraph,
        "spam": spam,
    }


def _get(path: str, **extra: Any) -> Any:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path, **extra)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _queries(path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert Client(HTTP_ACCEPT_LANGUAGE="en").get(path).status_code == 200
    return len(ctx.captured_queries)


# ------------------------------------------------------------------ sessions and agenda


def test_sessions_list_only_public_sessions_with_filters(world: dict[str, Any]) -> None:
    body = world["maslikhat"].pk
    page = _get(f"{API}/sessions?body={body}")
    # the planned session is not public; the cancelled one is, with its reason
    assert [s["id"] for s in page["items"]] == [world["session"].pk, world["cancelled"].pk]
    assert page["count"] == 2
    s, cancelled = page["items"]
    assert s["status"] == "closed" and s["agenda_items"] == 3 and s["number"] == 5
    assert s["convocation"] == {"number": 8, "start_date": "2023-03-29", "end_date": None, "seats": DEPUTIES}
    assert s["body"]["id"] == body and s["body"]["name"]["en"] == "Test maslikhat"
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "The hall is closed."
    assert _get(f"{API}/sessions?body={body}&status=planned")["count"] == 0
    assert _get(f"{API}/sessions?body={body}&status=closed&kind=regular")["count"] == 1
    assert _get(f"{API}/sessions?body={body}&kind=extraordinary")["count"] == 0
    assert _get(f"{API}/sessions?body={body}&from=2031-03-20&to=2031-03-20")["count"] == 1
    assert _get(f"{API}/sessions?body={body}&to=2031-03-19")["count"] == 1
    assert _get(f"{API}/sessions?body={body}&from=2031-03-21")["count"] == 0
    assert _get(f"{API}/sessions?body={body}&limit=1&offset=1")["items"][0]["id"] == world["cancelled"].pk
    assert _get(f"{API}/sessions?body={world['commission'].pk}")["count"] == 0  # not a maslikhat
    bad = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"{API}/sessions?status=nonsense")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_session_detail_has_agenda_attendance_counts_and_decisions(world: dict[str, Any]) -> None:
    s = _get(f"{API}/sessions/{world['session'].pk}")
    assert s["notice"] == "The fifth session is convened."
    assert s["attendance"] == {"recorded": 6, "present": 5, "absent": 1}
    assert [i["order"] for i in s["agenda"]] == [1, 2, 3]
    first = s["agenda"][0]
    assert first["title"]["en"] == "On the budget" and first["commission"]["id"] == world["commission"].pk
    assert first["draft_id"] == world["open_draft"].pk and first["outcome"] == "adopted"
    assert first["vote"] == {
        "id": first["vote"]["id"],
        "method": "roll_call",
        "result": "passed",
        "yes": 4,
        "no": 1,
        "abstain": 0,
        "absent": 1,
    }
    assert first["decision"]["number"] == world["decisions"][0].number
    assert [d["id"] for d in s["decisions"]] == [d.pk for d in world["decisions"]]
    assert "ill" not in str(s)  # counts, not the reasons of each deputy
    agenda = _get(f"{API}/sessions/{world['session'].pk}/agenda")
    assert agenda == s["agenda"]
    assert _get(f"{API}/agenda-items/{world['items'][1].pk}") == s["agenda"][1]


def test_a_planned_session_and_its_items_are_not_found(world: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for path in (
        f"{API}/sessions/{world['planned'].pk}",
        f"{API}/sessions/{world['planned'].pk}/agenda",
        f"{API}/agenda-items/{world['planned_item'].pk}",
    ):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    assert (
        client.get(f"{API}/sessions/{world['planned'].pk}").json()["message"]
        == "No public session with this id."
    )


# ------------------------------------------------------------------ votes


def test_votes_are_ocd_vote_events_whose_counts_equal_the_roll(world: dict[str, Any]) -> None:
    page = _get(f"{API}/votes?session={world['session'].pk}")
    assert page["count"] == 3
    by_item = {v["agenda_item_id"]: v for v in page["items"]}
    first, _secret, third = (by_item[i.pk] for i in world["items"])
    assert set(first) >= {"motion_text", "start_date", "result", "counts", "votes", "organization"}
    assert first["motion_text"] == "On the budget" and first["result"] == "pass"
    assert first["identifier"] == "8-5-1" and first["organization"]["id"] == world["maslikhat"].pk
    assert first["extras"] == {
        "method": "roll_call",
        "result": "passed",
        "quorum": True,
        "elected": 6,
        "present": 5,
        "entered_by_operator": True,
    }
    for event in (first, third):
        counts = {c["option"]: c["value"] for c in event["counts"]}
        roll: dict[str, int] = {}
        for v in event["votes"]:
            roll[v["option"]] = roll.get(v["option"], 0) + 1
        assert counts == {option: roll.get(option, 0) for option in ("yes", "no", "abstain", "absent")}
        assert sum(counts.values()) == DEPUTIES == len(event["votes"])
    deputy5 = world["deputies"][5]
    assert {"option": "absent", "voter_name": "Deputy 5", "voter_id": deputy5.pk} in first["votes"]
    assert _get(f"{API}/votes/{first['id']}") == first


def test_a_secret_ballot_has_counts_and_no_person_votes(world: dict[str, Any]) -> None:
    vote = world["items"][1].vote
    event = _get(f"{API}/votes/{vote.pk}")
    assert event["extras"]["method"] == "secret"
    assert event["votes"] == []
    assert event["counts"] == [
        {"option": "yes", "value": 4},
        {"option": "no", "value": 1},
        {"option": "abstain", "value": 0},
        {"option": "absent", "value": 1},
    ]
    assert "Deputy" not in str(event)


def test_votes_filters_and_unknown_ids(world: dict[str, Any]) -> None:
    assert _get(f"{API}/votes?body={world['maslikhat'].pk}")["count"] == 3
    assert _get(f"{API}/votes?session={world['planned'].pk}")["count"] == 0
    assert _get(f"{API}/votes?body={world['commission'].pk}")["count"] == 0
    assert Client().get(f"{API}/votes/999999999").status_code == 404


# ------------------------------------------------------------------ drafts and comments


def test_drafts_open_and_past_never_one_in_preparation(world: dict[str, Any]) -> None:
    body = world["maslikhat"].pk
    everything = _get(f"{API}/drafts?body={body}")
    assert {d["id"] for d in everything["items"]} == {world["open_draft"].pk, world["past_draft"].pk}
    open_now = _get(f"{API}/drafts?body={body}&open=true")
    assert [d["id"] for d in open_now["items"]] == [world["open_draft"].pk]
    assert open_now["items"][0]["open_for_comment"] is True and open_now["items"][0]["comments"] == 1
    past = _get(f"{API}/drafts?body={body}&open=false")
    assert [d["id"] for d in past["items"]] == [world["past_draft"].pk]
    assert past["items"][0]["open_for_comment"] is False
    assert Client().get(f"{API}/drafts/{world['preparing'].pk}").status_code == 404
    assert Client().get(f"{API}/drafts/{world['preparing'].pk}/comments").status_code == 404


def test_draft_detail_versions_and_paragraphs(world: dict[str, Any]) -> None:
    d = _get(f"{API}/drafts/{world['open_draft'].pk}")
    assert d["title"]["en"] == "Draft on the budget" and d["version"] == 2 and d["status"] == "open"
    assert d["paragraphs_ru"][2] == "3. Третий." and len(d["paragraphs_kk"]) == 3
    assert d["explanatory_note"] == "Why the budget changes."
    versions = _get(f"{API}/drafts/{world['open_draft'].pk}/versions")
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["note"] == "A third paragraph." and "3. Третий." not in versions[0]["text_ru"]


def test_comments_show_what_the_page_shows_and_no_personal_data(world: dict[str, Any]) -> None:
    page = _get(f"{API}/drafts/{world['open_draft'].pk}/comments")
    assert page["count"] == 2
    shown, hidden = page["items"]
    assert shown == {
        "id": world["comment"].pk,
        "draft_id": world["open_draft"].pk,
        "status": "shown",
        "author_name": "Aliya Nurova",
        "language": "ru",
        "paragraph": 1,
        "text": "Give the amounts per district.",
        "moderation_reason": "",
        "supports": 1,
        "opposes": 0,
        "response": None,
        "response_reason": "",
        "created_at": shown["created_at"],
    }
    assert hidden["status"] == "hidden" and hidden["moderation_reason"] == "Advertising."
    assert hidden["text"] == "" and hidden["author_name"] == ""
    text = str(page)
    for secret in ("watches", "Bolat", "aliya@example.kz", "api-resident", "api-other"):
        assert secret not in text
    on_one = _get(f"{API}/drafts/{world['open_draft'].pk}/comments?paragraph=1&language=ru")
    assert [c["id"] for c in on_one["items"]] == [world["comment"].pk]
    assert _get(f"{API}/drafts/{world['open_draft'].pk}/comments?language=kk&paragraph=1")["count"] == 0


def _post_comment(draft: Any, data: dict[str, Any], token: str | None = None, language: str = "en") -> Any:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(HTTP_ACCEPT_LANGUAGE=language).post(
        f"{API}/drafts/{draft.pk}/comments", data, content_type="application/json", **headers
    )


def test_a_resident_comments_with_a_bearer_token(world: dict[str, Any]) -> None:
    token = api_token_issue(username="api-resident", password="test-password")
    answer = _post_comment(
        world["open_draft"], {"text": "Add a deadline.", "paragraph": 2, "language": "kk"}, token
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["author_name"] == "Aliya Nurova" and body["paragraph"] == 2 and body["language"] == "kk"
    assert body["status"] == "shown" and body["supports"] == 0
    stored = Comment.objects.get(pk=body["id"])
    assert stored.author == world["resident"] and stored.text == "Add a deadline."
    assert _get(f"{API}/drafts/{world['open_draft'].pk}/comments")["count"] == 3


def test_a_signed_in_session_comments_and_needs_the_csrf_token(world: dict[str, Any]) -> None:
    path = f"{API}/drafts/{world['open_draft'].pk}/comments"
    guarded = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    guarded.force_login(world["other"])
    refused = guarded.post(path, {"text": "Forged."}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"]
    guarded.get(f"/en/proceedings/drafts/{world['open_draft'].pk}/")  # its comment form sets the cookie
    token = guarded.cookies["csrftoken"].value
    accepted = guarded.post(
        path, {"text": "From the browser."}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201 and accepted.json()["author_name"] == "Bolat Sadykov"
    assert not Comment.objects.filter(text="Forged.").exists()
    # a refused bearer token is a 401 even with a signed-in session
    refused_token = guarded.post(
        path,
        {"text": "With a bad token."},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
        HTTP_AUTHORIZATION="Bearer forged",
    )
    assert refused_token.status_code == 401


def test_anonymous_callers_and_bad_tokens_get_401(world: dict[str, Any]) -> None:
    count = Comment.objects.count()
    assert _post_comment(world["open_draft"], {"text": "Hello"}).status_code == 401
    assert _post_comment(world["open_draft"], {"text": "Hello"}, token="forged").status_code == 401
    assert Comment.objects.count() == count


def test_a_comment_after_the_period_is_422_comment_period_closed(world: dict[str, Any]) -> None:
    token = api_token_issue(username="api-resident", password="test-password")
    answer = _post_comment(world["past_draft"], {"text": "Too late."}, token)
    assert answer.status_code == 422
    assert answer.json()["code"] == "comment_period_closed" and answer.json()["field"] == "text"
    assert "2020" in answer.json()["message"]
    assert _post_comment(world["preparing"], {"text": "Early."}, token).status_code == 404


def test_bad_input_is_a_field_error_in_the_callers_language(world: dict[str, Any]) -> None:
    token = api_token_issue(username="api-resident", password="test-password")
    answer = _post_comment(world["open_draft"], {"text": "On nothing.", "paragraph": 9}, token, language="ru")
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    with translation.override("ru"):
        expected = gettext("The draft has no such paragraph.")
    assert error == {"field": "paragraph", "code": "no_such_paragraph", "message": expected}
    assert expected != "The draft has no such paragraph."
    blank = _post_comment(world["open_draft"], {"text": "   "}, token)
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "text"
    too_long = _post_comment(world["open_draft"], {"text": "x" * 5001}, token)
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["code"] == "too_long"
    for data in ({"paragraph": 1}, {"text": "ok", "language": "en"}, {"text": "ok", "paragraph": 0}):
        refused = _post_comment(world["open_draft"], data, token)
        assert refused.status_code == 422 and refused.json()["code"] == "validation_error", data
    assert Comment.objects.filter(author=world["resident"]).count() == 1


# ------------------------------------------------------------------ decisions


def test_decisions_have_their_links_both_ways(world: dict[str, Any]) -> None:
    d1, d2, d3 = world["decisions"]
    one = _get(f"{API}/decisions/{d1.pk}")
    assert one["status"] == "amended" and [r["id"] for r in one["amended_by"]] == [d2.pk]
    assert one["published_where"] == "Local paper" and one["commission"]["id"] == world["commission"].pk
    assert [h["to_status"] for h in one["history"]] == ["adopted", "published", "in_force", "amended"]
    two = _get(f"{API}/decisions/{d2.pk}")
    assert [r["id"] for r in two["amends"]] == [d1.pk] and [r["id"] for r in two["repealed_by"]] == [d3.pk]
    assert two["status"] == "repealed" and two["repeals"] == [] and two["amended_by"] == []
    three = _get(f"{API}/decisions/{d3.pk}")
    assert [r["number"] for r in three["repeals"]] == [d2.number]
    assert Client().get(f"{API}/decisions/999999999").status_code == 404


def test_decisions_filters_match_the_register_page(world: dict[str, Any]) -> None:
    d1, d2, d3 = world["decisions"]
    body = world["maslikhat"].pk

    def ids(query: str) -> list[int]:
        return [d["id"] for d in _get(f"{API}/decisions?body={body}&{query}")["items"]]

    assert ids("") == [d3.pk, d2.pk, d1.pk]
    assert ids(f"number={d2.number}") == [d2.pk]
    assert ids("status=repealed") == [d2.pk]
    assert ids(f"commission={world['commission'].pk}") == [d1.pk]
    assert ids("q=market rules") == [d3.pk]
    assert ids("q=бюджете") == [d1.pk]
    assert ids("from=2031-03-20&to=2031-03-20") == [d3.pk, d2.pk, d1.pk]
    assert ids("from=2031-03-21") == []
    page = _get(f"{API}/decisions?body={body}&status=repealed&q=chair")
    assert page["csv_path"] == f"/en/proceedings/bodies/{body}/decisions.csv?q=chair&status=repealed"
    csv = Client().get(page["csv_path"])
    assert csv.status_code == 200 and d2.number in csv.content.decode()
    assert _get(f"{API}/decisions")["csv_path"] is None


# ------------------------------------------------------------------ query counts


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/sessions?body={body}", 3),
        ("/votes?body={body}", 4),
        ("/drafts?body={body}", 3),
        ("/drafts/{draft}/comments", 3),
        ("/decisions?body={body}", 5),
    ],
)
def test_lists_take_the_same_queries_for_one_row_or_many(
    world: dict[str, Any], django_assert_max_num_queries: Any, path: str, most: int
) -> None:
    ids = {"body": world["maslikhat"].pk, "draft": world["open_draft"].pk}
    base = API + path.format(**ids)
    one = _queries(f"{base}{'&' if '?' in base else '?'}limit=1")
    with django_assert_max_num_queries(most):
        many = _get(f"{base}{'&' if '?' in base else '?'}limit=100")
    assert many["count"] >= 2 and len(many["items"]) == many["count"]
    assert _queries(f"{base}{'&' if '?' in base else '?'}limit=100") == one


def test_session_detail_takes_the_same_queries_whatever_its_agenda(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    staff = world["staff"]
    sizes = {}
    for number, items in ((7, 1), (8, 5)):
        s = services.session_plan(
            actor=staff,
            convocation=world["session"].convocation,
            number=number,
            starts_at=datetime(2031, 9, number, 5, 0, tzinfo=UTC),
        )
        for i in range(items):
            services.agenda_item_add(actor=staff, session=s, title={"en": f"Item {i}"})
        services.session_convene(actor=staff, session=s, notice="Convened.")
        sizes[items] = _queries(f"{API}/sessions/{s.pk}")
    assert sizes[1] == sizes[5]
    with django_assert_max_num_queries(6):  # with votes: their rolls too
        _get(f"{API}/sessions/{world['session'].pk}")


# ------------------------------------------------------------------ the adapter stays thin


def test_the_adapter_holds_no_query_no_transaction_and_no_catch_of_domain_errors() -> None:
    tree = ast.parse(Path(api_module.__file__).read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "atomic"):
            found.append(f"line {node.lineno}: .{node.attr}")
        if isinstance(node, ast.ExceptHandler):
            found.append(f"line {node.lineno}: except")
    assert found == []


# ------------------------------------------------------------------ the published schema


def test_every_proceedings_operation_and_schema_is_documented(db: None) -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    operations = {
        (method, path): op
        for path, ops in spec["paths"].items()
        if path.startswith("/api/v1/proceedings/")
        for method, op in ops.items()
    }
    assert len(operations) == 13
    assert all(op.get("summary") for op in operations.values())
    schemas = spec["components"]["schemas"]
    event = schemas["VoteEventOut"]
    assert event["description"] and {"motion_text", "start_date", "result", "counts", "votes"} <= set(
        event["properties"]
    )
    for name in (
        "SessionDetailOut",
        "AgendaItemOut",
        "DraftDetailOut",
        "CommentOut",
        "CommentIn",
        "DecisionOut",
    ):
        assert schemas[name]["description"], name
    post = operations[("post", "/api/v1/proceedings/drafts/{draft_id}/comments")]
    assert {key for requirement in post["security"] for key in requirement} == {
        "BearerToken",
        "SignedInSession",
    }
    assert set(post["responses"]) >= {"201", "401", "404", "422"}
    decisions = operations[("get", "/api/v1/proceedings/decisions")]
    assert "decisions.csv" in decisions["description"]
    assert {p["name"] for p in decisions["parameters"]} >= {
        "number",
        "q",
        "status",
        "from",
        "to",
        "commission",
    }
