"""The clerk's inbox and appeal page: open appeals by default, overdue ones with their working
days late, applicant/assignee/received columns, search by number and applicant's name, sorting,
the labelled count; verbs shown exactly when the service would accept them; answer files under
the answer; errors in words; forwarding to every competent state body."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation

from maslikhat.appeals import permissions, selectors, services
from maslikhat.appeals.choices import AppealStatus
from maslikhat.appeals.models import Appeal
from maslikhat.core.calendar import working_days_between
from maslikhat.core.errors import DomainError
from maslikhat.core.i18n import localized
from maslikhat.directory.models import Organization
from maslikhat.directory.reference_country import load_akimats
from tests.factories import UserFactory
from tests.hostile.world import rolled_back

PDF = b"%PDF-1.4\n%test\n"


def _rows(response: Any) -> list[str]:
    return [r.appeal.registration_number for r in response.context["rows"]]


def _make_overdue(appeal: Appeal, days: int = 30) -> None:
    today = timezone.localdate()
    Appeal.objects.filter(pk=appeal.pk).update(
        registered_on=today - timedelta(days=days + 21), due_on=today - timedelta(days=days)
    )


@pytest.fixture
def clerk(astana: dict[str, Any], client: Any) -> Any:
    client.force_login(astana["staff_user"])
    return client


@pytest.fixture
def colleague(astana: dict[str, Any]) -> Any:
    """The Astana deputy's account: someone the clerk may assign appeals to."""
    user = UserFactory.create(username="deputy-testova")
    astana["deputy"].user = user
    astana["deputy"].save()
    return user


# ------------------------------------------------------------------ the list


def test_open_appeals_by_default_and_closed_ones_behind_the_filter(submit, clerk):
    # given two open appeals and one answered
    open1, _ = submit()
    open2, _ = submit()
    answered, _ = submit()
    services.appeal_answer(actor=None, appeal=answered, text="Done.")
    # when the clerk opens the inbox; then only the open ones, counted as such
    page = clerk.get("/en/inbox/")
    assert sorted(_rows(page)) == sorted([open1.registration_number, open2.registration_number])
    assert '<p class="inbox-count" id="inbox-count" role="status">2 open appeals</p>' in page.content.decode()
    # and the closed ones behind the filter, and everything under "all"
    closed = clerk.get("/en/inbox/?state=closed")
    assert _rows(closed) == [answered.registration_number]
    assert "1 closed appeal<" in closed.content.decode()
    assert len(_rows(clerk.get("/en/inbox/?state=all"))) == 3
    # a value the form does not know falls back to the default
    assert sorted(_rows(clerk.get("/en/inbox/?state=nonsense&sort=drop+table"))) == sorted(
        [open1.registration_number, open2.registration_number]
    )


def test_overdue_appeals_are_marked_with_their_working_days_late(submit, clerk):
    # given an appeal 30 calendar days past its due date, and one on time
    late, _ = submit()
    on_time, _ = submit()
    _make_overdue(late)
    late.refresh_from_db()
    today = timezone.localdate()
    days_late = working_days_between(late.due_on, today)
    assert days_late > 15
    # when the clerk opens the inbox
    page = clerk.get("/en/inbox/")
    html = page.content.decode()
    # then the late one comes first (soonest due), highlighted with its working days late
    assert _rows(page) == [late.registration_number, on_time.registration_number]
    row = html[html.index(late.registration_number) : html.index(on_time.registration_number)]
    assert f'<strong class="late">{days_late} working days late</strong>' in row
    assert html.count('<tr class="overdue">') == 1
    left = working_days_between(today, on_time.due_on)
    assert f"{left} working days left" in html
    # and its page says so too
    detail = clerk.get(f"/en/inbox/{late.registration_number}/").content.decode()
    assert f"Overdue: {days_late} working days late." in detail


def test_columns_show_applicant_assignee_and_received_date(submit, clerk, astana, colleague):
    appeal, _ = submit()
    services.appeal_assign(actor=None, appeal=appeal, assignee=colleague)
    html = clerk.get("/en/inbox/").content.decode()
    for header in ("Number", "Applicant", "Received", "Answer due by", "Status", "Assignee"):
        assert f'<th scope="col">{header}</th>' in html
    assert '<td data-label="Applicant">Айгүл Бекова</td>' in html
    assert f'<td data-label="Assignee">{astana["deputy"].name}</td>' in html
    with translation.override("en"):
        received = formats.date_format(timezone.localtime(appeal.received_at), "SHORT_DATE_FORMAT")
    assert f'<td data-label="Received">{received}</td>' in html


def test_search_by_number_and_by_applicant_name(submit, clerk, applicant):
    # given appeals of two applicants
    aigul, _ = submit()
    other = dict(applicant, full_name="Ержан Сапаров", email="erzhan@example.org")
    erzhan, _ = submit(applicant=other)
    # when the clerk searches a name in another letter case and word order; then only theirs
    assert _rows(clerk.get("/en/inbox/", {"q": "бекова айгүл"})) == [aigul.registration_number]
    assert _rows(clerk.get("/en/inbox/", {"q": "САПАРОВ"})) == [erzhan.registration_number]
    # and by (part of) the number
    tail = erzhan.registration_number[-6:]
    assert _rows(clerk.get("/en/inbox/", {"q": tail})) == [erzhan.registration_number]
    # and nothing for a name no one has
    page = clerk.get("/en/inbox/", {"q": "Нуржанов"})
    assert _rows(page) == [] and "No appeals match." in page.content.decode()
    assert "0 open appeals" in page.content.decode()


def test_sorting_by_due_date_received_and_number(submit, clerk):
    first, _ = submit()
    second, _ = submit()
    third, _ = submit()
    # the first received is given the latest due date
    today = timezone.localdate()
    Appeal.objects.filter(pk=first.pk).update(due_on=today + timedelta(days=60))
    numbers = [first.registration_number, second.registration_number, third.registration_number]
    assert _rows(clerk.get("/en/inbox/?sort=due")) == [numbers[1], numbers[2], numbers[0]]
    assert _rows(clerk.get("/en/inbox/?sort=-due")) == [numbers[0], numbers[2], numbers[1]]
    assert _rows(clerk.get("/en/inbox/?sort=received")) == numbers
    assert _rows(clerk.get("/en/inbox/?sort=-received")) == numbers[::-1]
    assert _rows(clerk.get("/en/inbox/?sort=number")) == sorted(numbers)
    assert _rows(clerk.get("/en/inbox/?sort=-number")) == sorted(numbers, reverse=True)


def test_bulk_assignment_with_nothing_ticked_says_so(submit, clerk, colleague):
    appeal, _ = submit()
    r = clerk.post("/en/inbox/assign/", {"assignee": colleague.pk}, follow=True)
    html = r.content.decode()
    assert "Tick the appeals to assign first." in html
    assert "appeals assigned" not in html
    appeal.refresh_from_db()
    assert (appeal.assignee_id, appeal.status) == (None, "registered")


# ------------------------------------------------------------------ the verbs


ACTION_BUTTONS = {
    "start": "Take into work",
    "close": "Close",
    "assign": "Assign to…",
    "extend": "<summary>Extend</summary>",
    "forward": "<summary>Forward</summary>",
    "refuse": "<summary>Refuse</summary>",
    "answer": 'id="answer-form"',
}


def _service_accepts(action: str, appeal: Appeal, user: Any, other_body: Organization) -> bool:
    calls = {
        "assign": lambda: services.appeal_assign(actor=user, appeal=appeal, assignee=user),
        "start": lambda: services.appeal_start(actor=user, appeal=appeal),
        "answer": lambda: services.appeal_answer(actor=user, appeal=appeal, text="An answer."),
        "extend": lambda: services.appeal_extend(
            actor=user, appeal=appeal, until=appeal.due_on + timedelta(days=1), reason="A decision."
        ),
        "forward": lambda: services.appeal_forward(
            actor=user, appeal=appeal, to_body=other_body, reason="Not ours."
        ),
        "refuse": lambda: services.appeal_refuse(actor=user, appeal=appeal, reason="No substance."),
        "close": lambda: services.appeal_close(actor=user, appeal=appeal),
    }
    with rolled_back():
        try:
            calls[action]()
        except DomainError:
            return False
    return True


@pytest.mark.parametrize("status", [s.value for s in AppealStatus])
def test_the_page_offers_exactly_what_the_service_accepts(submit, clerk, astana, status):
    # given an appeal in each status
    appeal, _ = submit()
    Appeal.objects.filter(pk=appeal.pk).update(status=status)
    appeal.refresh_from_db()
    user = astana["staff_user"]
    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    # then the verbs the permission functions offer are those the services accept
    offered = permissions.staff_actions(user, appeal)
    accepted = {a for a in ACTION_BUTTONS if _service_accepts(a, appeal, user, almaty)}
    assert offered == accepted
    # and the page shows exactly those verbs
    html = clerk.get(f"/en/inbox/{appeal.registration_number}/").content.decode()
    shown = {a for a, marker in ACTION_BUTTONS.items() if marker in html}
    assert shown == offered


def test_forwarding_is_offered_only_within_three_working_days(submit, astana, time_machine_today):
    appeal, _ = submit()
    user = astana["staff_user"]
    late = permissions.forward_deadline(appeal) + timedelta(days=1)
    assert "forward" in permissions.staff_actions(user, appeal, today=permissions.forward_deadline(appeal))
    assert "forward" not in permissions.staff_actions(user, appeal, today=late)
    time_machine_today(late)
    with pytest.raises(DomainError) as refused:
        services.appeal_forward(
            actor=user, appeal=appeal, to_body=Organization.objects.get(slug="kz-75-maslikhat"), reason="x"
        )
    assert refused.value.code == "forward_too_late"


def test_a_deputy_is_offered_only_to_take_into_work_and_answer(submit, astana, client, colleague):
    appeal, _ = submit(deputy=astana["deputy"])
    assert permissions.staff_actions(colleague, appeal) == {"start", "answer"}
    client.force_login(colleague)
    html = client.get(f"/en/inbox/{appeal.registration_number}/").content.decode()
    assert "Take into work" in html and 'id="answer-form"' in html
    assert "Assign to…" not in html and "<summary>Forward</summary>" not in html


# ------------------------------------------------------------------ the appeal page


def test_the_page_is_titled_for_staff(submit, clerk):
    appeal, _ = submit()
    html = clerk.get(f"/en/inbox/{appeal.registration_number}/").content.decode()
    assert f"<title>Appeal {appeal.registration_number}: handling · " in html
    assert "<h2>Text of the appeal</h2>" in html
    assert "Your appeal" not in html


def test_assign_to_a_colleague_answer_with_a_file_and_the_form_is_gone(submit, clerk, astana, colleague):
    appeal, _ = submit()
    url = f"/en/inbox/{appeal.registration_number}/"
    page = clerk.get(url).content.decode()
    assert f'<option value="{colleague.pk}">{astana["deputy"].name}</option>' in page
    # when the clerk assigns it to the colleague
    assert clerk.post(url + "assign/", {"assignee": colleague.pk}).status_code == 302
    appeal.refresh_from_db()
    assert (appeal.assignee, appeal.status) == (colleague, "assigned")
    assert f'<dd id="assignee">{astana["deputy"].name}</dd>' in clerk.get(url).content.decode()
    # and answers with a file
    r = clerk.post(
        url + "answer/", {"text": "Repairs in May.", "files": [SimpleUploadedFile("reply.pdf", PDF)]}
    )
    assert r.status_code == 302
    html = clerk.get(url).content.decode()
    # then the answer's files are listed under the answer, and the answer form is gone
    answer = html[html.index('<div class="answer" id="answer">') :]
    assert re.search(r'<ul class="files" id="answer-files"[^>]*><li><a href="[^"]+">reply.pdf</a>', answer)
    assert 'id="answer-form"' not in html
    assert "Take into work" not in html


def test_assigning_someone_outside_the_body_is_refused_in_words(submit, clerk):
    appeal, _ = submit()
    outsider = UserFactory.create(username="outsider")
    r = clerk.post(f"/en/inbox/{appeal.registration_number}/assign/", {"assignee": outsider.pk})
    assert r.status_code == 400
    assert "This person does not work for the addressed body." in r.content.decode()
    appeal.refresh_from_db()
    assert appeal.assignee_id is None


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("answer", {"text": "  "}, "Write the answer."),
        ("extend", {"until": "", "reason": "A decision."}, "Enter the new due date."),
        ("extend", {"until": "2020-01-01", "reason": "A decision."}, "The new date must be later"),
        ("forward", {"body_id": "", "reason": "x"}, "Choose the body to forward the appeal to."),
        ("refuse", {"reason": ""}, "Give the reason."),
    ],
)
def test_errors_are_words_without_field_codes(submit, clerk, action, data, message):
    appeal, _ = submit()
    r = clerk.post(f"/en/inbox/{appeal.registration_number}/{action}/", data)
    assert r.status_code == 422
    html = r.content.decode()
    alert = re.search(r'<div class="notice error" role="alert" id="action-error">(.*?)</div>', html, re.S)
    assert alert is not None and message in alert.group(1)
    for code in ("text:", "until:", "body_id:", "reason:", "—"):
        assert code not in alert.group(1)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.due_on, appeal.answer_text) == ("registered", appeal.original_due_on, "")


# ------------------------------------------------------------------ forwarding


def test_forwarding_offers_akimats_and_maslikhats_grouped_by_region(submit, clerk, astana):
    # given the regional akimats in the directory
    assert load_akimats() == 20
    appeal, _ = submit()
    groups = selectors.forward_groups(appeal=appeal)
    bodies = {b.slug for g in groups for b in g.bodies}
    assert {"kz-71-akimat", "kz-75-akimat", "kz-75-maslikhat", "kz-19-akimat"} <= bodies
    assert "kz-71-maslikhat" not in bodies  # not its own body
    assert not any(s.endswith("-apparatus") for s in bodies)
    assert not Organization.objects.filter(slug__in=bodies, kind="party").exists()
    # one group per region (national level first), the regional bodies first in each
    labels = [g.label for g in groups]
    assert labels[0] == "National level" and len(labels) == 21
    almaty_region = next(g for g in groups if g.label == "Almaty Region")
    assert [b.slug for b in almaty_region.bodies] == ["kz-19-akimat", "kz-19-maslikhat"]
    # and the page shows them as option groups
    html = clerk.get(f"/en/inbox/{appeal.registration_number}/").content.decode()
    assert '<optgroup label="Astana">' in html
    astana_akimat = Organization.objects.get(slug="kz-71-akimat")
    assert f'<option value="{astana_akimat.pk}">Akimat of Astana City</option>' in html


def test_forwarding_to_an_akimat_closes_it_here_without_a_new_appeal(
    submit, clerk, mailoutbox, django_capture_on_commit_callbacks
):
    load_akimats()
    appeal, _ = submit()
    akimat = Organization.objects.get(slug="kz-71-akimat")
    before = Appeal.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        r = clerk.post(
            f"/en/inbox/{appeal.registration_number}/forward/",
            {"body_id": akimat.pk, "reason": "Roads are the akimat's."},
        )
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.forwarded_to, Appeal.objects.count()) == ("forwarded", akimat, before)
    # and the citizen is told (the status email, with the reason)
    assert [m.to for m in mailoutbox] == [["aigul@example.org"]]
    assert "Roads are the akimat's." in mailoutbox[0].body
    # naming the akimat that will answer, not a due date of ours that no longer applies
    assert localized(akimat, "name", appeal.language) in mailoutbox[0].body
    assert "Answer due by" not in mailoutbox[0].body


def test_forwarding_to_a_maslikhat_still_registers_it_there(submit, clerk):
    appeal, _ = submit()
    almaty = Organization.objects.get(slug="kz-75-maslikhat")
    r = clerk.post(
        f"/en/inbox/{appeal.registration_number}/forward/", {"body_id": almaty.pk, "reason": "Theirs."}
    )
    assert r.status_code == 302
    assert Appeal.objects.get(forwarded_from=appeal).body == almaty


def test_forwarding_to_a_body_that_is_not_competent_is_refused(submit, clerk):
    appeal, _ = submit()
    party = Organization.objects.filter(kind="party").first()
    assert party is not None
    r = clerk.post(f"/en/inbox/{appeal.registration_number}/forward/", {"body_id": party.pk, "reason": "x"})
    assert r.status_code == 400
    assert "Choose a state body in office." in r.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "registered"


# ------------------------------------------------------------------ queries


def _queries(get: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert get().status_code == 200
    return len(ctx.captured_queries)


def test_inbox_queries_do_not_grow_with_assigned_and_overdue_rows(
    submit, clerk, colleague, django_assert_num_queries
):
    def add(n: int) -> None:
        for _ in range(n):
            appeal, _ = submit()
            services.appeal_assign(actor=None, appeal=appeal, assignee=colleague)
            _make_overdue(appeal)

    add(3)
    page = lambda: clerk.get("/en/inbox/?sort=-received&q=Бекова")  # noqa: E731
    page()  # warm the per-process caches
    three = _queries(page)
    add(9)
    with django_assert_num_queries(three):
        response = page()
    assert len(response.context["rows"]) == 12 and all(r.overdue for r in response.context["rows"])


def test_appeal_page_queries_do_not_grow_with_forwarding_targets(submit, clerk, django_assert_num_queries):
    appeal, _ = submit()
    page = lambda: clerk.get(f"/en/inbox/{appeal.registration_number}/")  # noqa: E731
    page()
    before = _queries(page)
    assert load_akimats() == 20
    with django_assert_num_queries(before):
        response = page()
    expected = (
        Organization.objects.current()
        .filter(kind__in=permissions.FORWARD_TARGET_KINDS)
        .exclude(pk=appeal.body_id)
        .count()
    )
    assert sum(len(g.bodies) for g in response.context["groups"]) == expected >= 19 + 20


def test_the_api_offers_the_same_filters(submit, astana, client, applicant):
    # given an open appeal of Aigul's, one of Erzhan's, and an answered one
    aigul, _ = submit()
    erzhan, _ = submit(applicant=dict(applicant, full_name="Ержан Сапаров"))
    answered, _ = submit()
    services.appeal_answer(actor=None, appeal=answered, text="Done.")
    user = astana["staff_user"]
    user.set_password("staff-password-1")
    user.save()
    token = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "staff-password-1"},
        content_type="application/json",
    ).json()["token"]

    def numbers(query: str) -> list[str]:
        r = client.get(f"/api/v1/inbox?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 200, r.content
        return [i["registration_number"] for i in r.json()["items"]]

    # then the default is every appeal (as before), and the page's filters narrow it
    assert len(numbers("")) == 3
    assert numbers("state=open&sort=number") == sorted(
        [aigul.registration_number, erzhan.registration_number]
    )
    assert numbers("state=closed") == [answered.registration_number]
    assert numbers("q=сапаров") == [erzhan.registration_number]
    assert numbers("sort=-number")[0] == answered.registration_number
    r = client.get("/api/v1/inbox?sort=drop", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 422
