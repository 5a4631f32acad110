"""Council pages: the public record, council staff pages and a maslikhat's own pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from maslikhat.council import services
from maslikhat.council.choices import MeetingStatus, ProposalStatus, ReportStatus
from maslikhat.council.models import Meeting, Proposal, Recommendation

# query counts pin each page's own work: the public page cache is off here (see conftest.uncached)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]


@pytest.fixture
def record(council_record: dict[str, Any]) -> dict[str, Any]:
    rec = council_record
    services.meeting_publish(actor=rec["council_staff"], meeting=rec["meeting"])
    return rec


def _client(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_public_index_lists_published_meetings_only(
    record: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = _client()
    client.get("/en/council/")  # warm the once-a-minute demo-data check
    with django_assert_num_queries(5):
        response = client.get("/en/council/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Assessing the maslikhats" in body
    assert "Next meeting (draft)" not in body
    assert "Local fees for district maslikhats" in body


def test_draft_meeting_is_hidden_from_public_and_visible_to_council_staff(record: dict[str, Any]) -> None:
    url = f"/en/council/meetings/{record['draft'].pk}/"
    assert _client().get(url).status_code == 404
    assert _client(record["staff_user"]).get(url).status_code == 404
    assert _client(record["council_staff"]).get(url).status_code == 200


def test_meeting_page_shows_agenda_participants_and_recommendation(
    record: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = _client()
    client.get("/kk/council/")
    with django_assert_num_queries(6):
        response = client.get(f"/kk/council/meetings/{record['meeting'].pk}/")
    body = response.content.decode()
    assert "Мәслихаттарды бағалау" in body
    assert "Scorecard for 2026" in body
    assert "Hold monthly receptions" in body
    assert "Serik" in body or "Серік" in body  # Astana's chair invited to the extended meeting


def test_recommendation_page_shows_who_reported(record: dict[str, Any]) -> None:
    report = record["rec"].reports.get(body=record["maslikhat"])
    services.report_file(actor=record["staff_user"], report=report, text="Twelve receptions held")
    response = _client().get(f"/en/council/recommendations/{record['rec'].pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="reported-count">1</strong> / 2' in body
    assert "Twelve receptions held" in body
    assert "File the report" not in body  # anonymous visitors get no form


def test_maslikhat_staff_files_its_own_report_through_the_page(record: dict[str, Any]) -> None:
    rec = record["rec"]
    report = rec.reports.get(body=record["maslikhat"])
    client = _client(record["staff_user"])
    page = client.get(f"/en/council/recommendations/{rec.pk}/").content.decode()
    assert "File the report" in page and f"report-{record['maslikhat'].pk}" in page
    response = client.post(
        f"/en/council/recommendations/{rec.pk}/reports/{report.pk}/", {"text": "Done in full"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.FILED and report.text == "Done in full"


def test_a_maslikhat_cannot_file_another_maslikhats_report(record: dict[str, Any]) -> None:
    rec = record["rec"]
    almaty_report = rec.reports.get(body=record["almaty"])
    response = _client(record["staff_user"]).post(
        f"/en/council/recommendations/{rec.pk}/reports/{almaty_report.pk}/", {"text": "Not ours"}
    )
    assert response.status_code == 404
    almaty_report.refresh_from_db()
    assert almaty_report.status == ReportStatus.PENDING and almaty_report.text == ""


def test_empty_report_shows_a_translated_error_and_changes_nothing(record: dict[str, Any]) -> None:
    rec = record["rec"]
    report = rec.reports.get(body=record["maslikhat"])
    response = _client(record["staff_user"]).post(
        f"/ru/council/recommendations/{rec.pk}/reports/{report.pk}/", {"text": " "}
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING


def test_council_staff_prepares_and_publishes_a_meeting_with_a_recommendation(
    council_world: dict[str, Any],
) -> None:
    client = _client(council_world["council_staff"])
    response = client.post(
        "/en/council/meetings/new/",
        {
            "held_on": "2026-12-20",
            "kind": "extended",
            "title_en": "December meeting",
            "agenda": "Reports\nProposals",
            "agenda_language": "en",
            "invite": "on",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title_en="December meeting")
    assert list(meeting.agenda_items.values_list("title_en", flat=True)) == ["Reports", "Proposals"]
    assert meeting.participants.filter(role="maslikhat_chair").count() == 20
    response = client.post(
        f"/en/council/meetings/{meeting.pk}/recommend/",
        {
            "title_en": "Open sessions",
            "text_en": "Stream sessions",
            "due_on": "2027-04-01",
            "scope": "regional",
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(meeting=meeting)
    assert rec.reports.count() == 20
    client.post(f"/en/council/meetings/{meeting.pk}/publish/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED


def test_maslikhat_staff_cannot_manage_meetings(record: dict[str, Any]) -> None:
    client = _client(record["staff_user"])
    assert client.get("/en/council/meetings/new/").status_code == 404
    assert client.post(f"/en/council/meetings/{record['draft'].pk}/publish/").status_code == 404
    record["draft"].refresh_from_db()
    assert record["draft"].status == MeetingStatus.DRAFT


def test_maslikhat_submits_a_proposal_and_council_reviews_it(council_world: dict[str, Any]) -> None:
    client = _client(council_world["staff_user"])
    form = client.get("/en/council/proposals/new/").content.decode()
    assert council_world["maslikhat"].name_en in form and council_world["almaty"].name_en not in form
    response = client.post(
        "/en/council/proposals/new/",
        {
            "body": council_world["maslikhat"].pk,
            "title": "Receptions online",
            "text": "Allow online receptions.",
            "language": "en",
            "policy_area": "local_government",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="Receptions online")
    # the maslikhat cannot move its own proposal along; the council can
    assert (
        _client(council_world["staff_user"]).post(f"/en/council/proposals/{proposal.pk}/review/").status_code
        == 404
    )
    assert (
        _client(council_world["council_staff"])
        .post(f"/en/council/proposals/{proposal.pk}/review/")
        .status_code
        == 302
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW


def test_proposal_for_another_maslikhat_is_refused(council_world: dict[str, Any]) -> None:
    response = _client(council_world["staff_user"]).post(
        "/en/council/proposals/new/",
        {
            "body": council_world["almaty"].pk,
            "title": "T",
            "text": "X",
            "language": "en",
            "policy_area": "budget",
        },
    )
    assert response.status_code == 422
    assert Proposal.objects.count() == 0


def test_internal_notes_are_hidden_from_the_public(record: dict[str, Any]) -> None:
    url = f"/en/council/proposals/{record['proposal'].pk}/"
    assert "Ask the ministry first" not in _client().get(url).content.decode()
    assert "Ask the ministry first" not in _client(record["almaty_staff"]).get(url).content.decode()
    assert "Ask the ministry first" in _client(record["staff_user"]).get(url).content.decode()
    assert "Ask the ministry first" in _client(record["council_staff"]).get(url).content.decode()


def test_co_signing_through_the_page(record: dict[str, Any]) -> None:
    proposal = record["proposal"]
    client = _client(record["almaty_staff"])
    assert "Co-sign for" in client.get(f"/en/council/proposals/{proposal.pk}/").content.decode()
    client.post(f"/en/council/proposals/{proposal.pk}/back/", {"body": record["almaty"].pk})
    assert list(proposal.backers.values_list("body_id", flat=True)) == [record["almaty"].pk]


def test_mine_lists_the_reports_owed_and_own_proposals(record: dict[str, Any]) -> None:
    page = _client(record["staff_user"]).get("/en/council/mine/").content.decode()
    assert "Hold monthly receptions" in page
    assert "Local fees for district maslikhats" in page
    assert _client(record["council_staff"]).get("/en/council/mine/").status_code == 404


def test_list_pages_query_counts(record: dict[str, Any], django_assert_num_queries: Any) -> None:
    client = _client()
    client.get("/en/council/")
    with django_assert_num_queries(2):
        assert client.get("/en/council/proposals/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/en/council/recommendations/").status_code == 200


def test_real_2022_meeting_is_loaded_once(reference: Any) -> None:
    from maslikhat.council.history import MEETING_2022, load_council_history

    assert load_council_history() == 1
    assert load_council_history() == 0
    meeting = Meeting.objects.get(held_on=MEETING_2022)
    assert meeting.is_demo is False and meeting.status == MeetingStatus.PUBLISHED
    assert meeting.council.slug == "senate-council-on-maslikhats"
    assert meeting.participants.filter(role="maslikhat_chair").count() == 20
    page = _client().get(f"/en/council/meetings/{meeting.pk}/").content.decode()
    assert "Deputy Speaker of the Senate" in page
    assert "16 March 2022" in page


def test_detail_and_own_pages_query_counts(record: dict[str, Any], django_assert_num_queries: Any) -> None:
    # the same number of queries whatever the number of reports and proposals (no N+1)
    anonymous, staff = _client(), _client(record["staff_user"])
    anonymous.get("/en/council/")
    rec_url = f"/en/council/recommendations/{record['rec'].pk}/"
    with django_assert_num_queries(3):
        assert anonymous.get(rec_url).status_code == 200
    with django_assert_num_queries(6):
        assert staff.get("/en/council/mine/").status_code == 200
    # given more reports owed and more proposals, the same counts
    for n in range(3):
        services.recommendation_adopt(
            actor=record["council_staff"],
            meeting=record["meeting"],
            title={"en": f"More {n}"},
            text={"en": "More work."},
            due_on=date(2027, 3, 1),
            addressees=[record["maslikhat"], record["almaty"]],
        )
        services.proposal_submit(
            actor=record["staff_user"],
            body=record["maslikhat"],
            title=f"Another proposal {n}",
            text="More.",
            language="en",
            policy_area="budget",
        )
    with django_assert_num_queries(3):
        assert anonymous.get(rec_url).status_code == 200
    with django_assert_num_queries(6):
        page = staff.get("/en/council/mine/").content.decode()
    assert "More 2" in page and "Another proposal 2" in page
