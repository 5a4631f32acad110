"""The follow-up question two weeks after the answer (or the due date): when it opens, the
daily job that emails it once, the key that opens only the question, the answer given once, the
tracking page, and the scorecard figure against a direct computation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from maslikhat.appeals import followup
from maslikhat.appeals.figures import FOLLOWUP_SOURCE, followup_values
from maslikhat.appeals.jobs import JOBS
from maslikhat.appeals.models import Appeal, AppealFollowup
from maslikhat.appeals.services import appeal_answer, appeal_withdraw
from maslikhat.core.background import JOBS as REGISTERED
from maslikhat.core.errors import FieldErrors, NotAllowed
from maslikhat.core.figures import Body, figure_get
from maslikhat.core.models import ActionLog


def _answered(astana: dict[str, Any], submit: Any, days_ago: int, **kw: Any) -> tuple[Appeal, str]:
    appeal, token = submit(**kw)
    appeal_answer(actor=astana["staff_user"], appeal=appeal, text="The road is repaired.")
    # the answer given `days_ago` days ago
    Appeal.objects.filter(pk=appeal.pk).update(answered_on=timezone.localdate() - timedelta(days=days_ago))
    appeal.refresh_from_db()
    return appeal, token


def test_the_question_opens_two_weeks_after_the_answer_or_the_due_date(astana, submit):
    answered, _ = _answered(astana, submit, days_ago=3)
    assert followup.followup_asked_on(answered) == answered.answered_on + timedelta(days=14)
    waiting, _ = submit()
    assert followup.followup_asked_on(waiting) == waiting.due_on + timedelta(days=14)
    withdrawn, _ = submit()
    appeal_withdraw(actor=None, appeal=withdrawn)
    withdrawn.refresh_from_db()
    assert followup.followup_asked_on(withdrawn) is None
    assert not followup.can_answer_followup(answered)  # 3 days: not yet


def test_the_daily_job_emails_each_question_once(astana, submit):
    # given an appeal answered 15 days ago and one answered 3 days ago
    due, _ = _answered(astana, submit, days_ago=15)
    _answered(astana, submit, days_ago=3)
    mail.outbox.clear()
    # when the job runs twice
    first = followup.send_followups()
    second = followup.send_followups()
    # then one email went, once, in the appeal's language, with a link that carries a key
    assert (first, second) == (1, 0)
    [email] = mail.outbox
    assert email.to == [due.applicant_email]
    assert due.registration_number in email.subject
    row = AppealFollowup.objects.get()
    assert row.appeal_id == due.pk and row.emailed_at is not None and row.answer == ""
    link = next(line for line in email.body.splitlines() if "/followup/?token=" in line)
    assert link.startswith(f"{settings.SITE_URL}/ru/appeals/{due.registration_number}/followup/?token=")
    assert ActionLog.objects.filter(event="appeals.followup_asked").count() == 1


def test_the_job_does_not_write_about_old_appeals_or_answered_questions(astana, submit):
    _answered(astana, submit, days_ago=14 + followup.WINDOW_DAYS + 1)  # opened long ago
    answered, _ = _answered(astana, submit, days_ago=20)
    AppealFollowup.objects.create(
        appeal=answered, asked_on=timezone.localdate(), answer="yes", answered_at=timezone.now()
    )
    mail.outbox.clear()
    assert followup.send_followups() == 0
    assert mail.outbox == []


def test_an_appeal_never_answered_is_asked_two_weeks_after_its_due_date(astana, submit):
    appeal, _ = submit()
    mail.outbox.clear()
    assert followup.send_followups(appeal.due_on + timedelta(days=13)) == 0
    assert followup.send_followups(appeal.due_on + timedelta(days=14)) == 1
    assert len(mail.outbox) == 1


def test_the_emailed_key_opens_the_question_only_and_the_answer_is_recorded_once(astana, submit, client):
    appeal, _ = _answered(astana, submit, days_ago=15)
    followup.send_followups()
    key = mail.outbox[-1].body.split("/followup/?token=")[1].split()[0]
    number = appeal.registration_number
    # the key opens the question, not the appeal's tracking page
    page = client.get(f"/ru/appeals/{number}/followup/?token={key}")
    assert page.status_code == 200
    assert client.get(f"/ru/appeals/{number}/?token={key}").status_code == 404
    assert client.get(f"/ru/appeals/{number}/followup/?token=guess").status_code == 404
    # no choice: asked again, nothing recorded
    empty = client.post(f"/en/appeals/{number}/followup/", {"token": key})
    assert "Choose one of the answers." in empty.content.decode()
    assert AppealFollowup.objects.get().answer == ""
    # an answer is recorded and shown
    done = client.post(f"/en/appeals/{number}/followup/", {"token": key, "answer": "partly"})
    assert done.status_code == 302
    assert "Your answer: Partly." in client.get(done["Location"]).content.decode()
    # a second answer is refused and changes nothing
    again = client.post(f"/en/appeals/{number}/followup/", {"token": key, "answer": "yes"})
    assert again.status_code == 409
    assert AppealFollowup.objects.get().answer == "partly"


def test_the_tracking_page_asks_the_question_once_it_is_open(
    astana, submit, client, django_assert_num_queries
):
    appeal, token = _answered(astana, submit, days_ago=3)
    url = f"/en/appeals/{appeal.registration_number}/?token={token}"
    assert "Did you get a satisfying reply?" not in client.get(url).content.decode()
    Appeal.objects.filter(pk=appeal.pk).update(answered_on=timezone.localdate() - timedelta(days=14))
    html = client.get(url).content.decode()
    assert "Did you get a satisfying reply?" in html
    assert 'value="no_reply"' in html
    # answered with the tracking token, without any email
    response = client.post(
        f"/en/appeals/{appeal.registration_number}/followup/", {"token": token, "answer": "no_reply"}
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Your answer to the follow-up question: I got no reply." in html
    # the question's page: one query (the appeal with its question)
    with django_assert_num_queries(1):
        page = client.get(f"/en/appeals/{appeal.registration_number}/followup/?token={token}")
    assert "Your answer: I got no reply." in page.content.decode()


def test_a_bad_answer_is_refused_with_a_stable_code(astana, submit):
    appeal, _ = _answered(astana, submit, days_ago=15)
    with pytest.raises(FieldErrors) as exc:
        followup.followup_answer(actor=None, appeal=appeal, answer="maybe")
    assert exc.value.errors[0][:2] == ("answer", "invalid_choice")
    early, _ = _answered(astana, submit, days_ago=2)
    with pytest.raises(NotAllowed):
        followup.followup_answer(actor=None, appeal=early, answer="yes")
    assert AppealFollowup.objects.count() == 0


def test_the_job_is_registered_and_scheduled_daily():
    assert JOBS["appeals.followups"] is followup.send_followups
    assert REGISTERED["appeals.followups"] is followup.send_followups
    schedule = settings.CELERY_BEAT_SCHEDULE["appeal-followups"]
    assert (schedule["args"], schedule["schedule"]) == (["appeals.followups"], 86400.0)


# ------------------------------------------------------------------ the scorecard figure


def _body(org: Any) -> Body:
    return Body(
        id=org.pk, name=org.name, kind=org.kind, area_code="", area_name="", population=None, region_code=""
    )


def _direct(body_id: int, start: date, end: date) -> float | None:
    """The figure the slow obvious way."""
    answers = [
        f.answer
        for f in AppealFollowup.objects.select_related("appeal")
        if f.answer and f.appeal.body_id == body_id and start <= f.appeal.registered_on < end
    ]
    return round(100 * answers.count("yes") / len(answers), 1) if answers else None


def test_the_satisfied_share_matches_a_direct_computation(astana, submit):
    # given answered questions of several kinds, and one question asked but not answered
    answers = ["yes", "yes", "partly", "no", "no_reply", "yes", ""]
    for i, answer in enumerate(answers):
        appeal, _ = _answered(astana, submit, days_ago=15, text=f"Appeal {i}")
        AppealFollowup.objects.create(
            appeal=appeal,
            asked_on=appeal.answered_on,
            answer=answer,
            answered_at=timezone.now() if answer else None,
        )
    body = astana["maslikhat"]
    today = timezone.localdate()
    month = today.replace(day=1)
    buckets = [(month - timedelta(days=400), month), (month, today + timedelta(days=40))]
    # when the registered source computes the figures
    computed = FOLLOWUP_SOURCE.compute([_body(body)], buckets, today)
    # then the share equals the direct computation, in every bucket
    for i, (start, end) in enumerate(buckets):
        assert computed[i][body.pk]["appeals_followup_satisfied_pct"] == _direct(body.pk, start, end)
    registered_on = Appeal.objects.first().registered_on
    current = next(i for i, (s, e) in enumerate(buckets) if s <= registered_on < e)
    assert computed[current][body.pk]["appeals_followup_satisfied_pct"] == 50.0  # 3 of 6
    # and the figure has its definition and direction
    figure = figure_get("appeals_followup_satisfied_pct")
    assert figure is not None and figure.higher_is_better is True
    assert "follow-up question" in str(figure.definition)
    assert followup_values([], buckets) == [{}, {}]
