"""The proceedings app's rows of the authorization matrix."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..roles import ALL, LOGGED_IN, NOBODY, OPEN, STAFF, THIS_BODY, Req

# The world's comment is the other citizen's: its author's own support is a 409 (not a denial).
SUPPORTERS = LOGGED_IN

TABLE: dict[str, list[Req]] = {
    "proceedings:sessions": [
        ("GET", "/en/proceedings/bodies/{body}/", ALL, ""),
        ("GET", "/en/proceedings/bodies/{pr_not_a_maslikhat}/", NOBODY, ""),
    ],
    "proceedings:body_calendar": [("GET", "/en/proceedings/bodies/{body}/calendar.ics", ALL, "")],
    "proceedings:register": [("GET", "/en/proceedings/bodies/{body}/decisions/?q=a&status=adopted", ALL, "")],
    "proceedings:register_csv": [("GET", "/en/proceedings/bodies/{body}/decisions.csv", ALL, "")],
    "proceedings:decisions_feed": [("GET", "/en/proceedings/bodies/{body}/decisions/feed/", ALL, "")],
    "proceedings:drafts_feed": [("GET", "/en/proceedings/bodies/{body}/drafts/feed/", ALL, "")],
    "proceedings:session": [
        ("GET", "/en/proceedings/sessions/{pr_session}/", ALL, ""),
        ("GET", "/en/proceedings/sessions/{pr_planned}/", THIS_BODY, ""),
    ],
    "proceedings:session_calendar": [
        ("GET", "/en/proceedings/sessions/{pr_session}/calendar.ics", ALL, ""),
        ("GET", "/en/proceedings/sessions/{pr_planned}/calendar.ics", NOBODY, ""),
    ],
    # the staff's working forms: this maslikhat's staff (a refused step is a 409/422 form error)
    "proceedings:session_act": [
        ("POST", "/en/proceedings/sessions/{pr_session}/close/", THIS_BODY, ""),
        ("POST", "/en/proceedings/sessions/{pr_planned}/convene/", THIS_BODY, ""),
        ("POST", "/en/proceedings/sessions/{pr_session}/no-such-action/", NOBODY, ""),
    ],
    "proceedings:results": [
        ("GET", "/en/proceedings/drafts/{pr_draft}/results/", THIS_BODY, ""),
    ],
    "proceedings:decision": [("GET", "/en/proceedings/decisions/{pr_decision}/", ALL, "")],
    "proceedings:draft": [
        ("GET", "/en/proceedings/drafts/{pr_draft}/", ALL, ""),
        ("GET", "/en/proceedings/drafts/{pr_preparing}/", THIS_BODY, ""),
    ],
    # an empty comment is a 422 form error for any account; a draft in preparation: 404 to others
    "proceedings:comment": [
        ("POST", "/en/proceedings/drafts/{pr_draft}/comment/", LOGGED_IN, ""),
        ("POST", "/en/proceedings/drafts/{pr_preparing}/comment/", THIS_BODY, ""),
    ],
    "proceedings:comment_act": [
        ("POST", "/en/proceedings/comments/{pr_comment}/support/", SUPPORTERS, ""),
        ("POST", "/en/proceedings/comments/{pr_comment}/hide/", THIS_BODY, ""),
        ("POST", "/en/proceedings/comments/{pr_comment}/no-such-action/", NOBODY, ""),
    ],
}
POST_DATA: dict[str, dict[str, Any]] = {
    "proceedings:comment": {"text": ""},
    # each text field of a form is posted hostile in turn (test_the_apps_pages_refuse_or_clean_hostile_text)
    "proceedings:session_act": {"notice": "Convened for the budget."},
    "proceedings:comment_act": {"reason": "Off the topic of the draft."},
    "proceedings:commission_meeting_new": {
        "starts_at": "2031-04-02T10:00",
        "place": "Hall 2",
        "agenda": "The draft budget",
    },
    "proceedings:commission_meeting_act": {"reason": "No quorum."},
    "proceedings:hearing_new": {
        "topic_kk": "Бюджет",
        "topic_ru": "Бюджет",
        "topic_en": "The budget",
        "starts_at": "2031-04-03T10:00",
        "place": "Hall 1",
        "capacity": "20",
    },
    "proceedings:hearing_act": {"shown_name": "Aigul", "subject": "Roads", "record": "The hearing was held."},
}
JSON_DATA: dict[str, dict[str, Any]] = {}

# Whether staff need their second factor on the page (tests/hostile/test_authorization.py).
SECOND_FACTOR: dict[str, str] = {
    "proceedings:sessions": STAFF,  # shows staff the sessions still planned
    "proceedings:body_calendar": OPEN,
    "proceedings:register": OPEN,
    "proceedings:register_csv": OPEN,
    "proceedings:decisions_feed": OPEN,
    "proceedings:drafts_feed": OPEN,
    "proceedings:session": STAFF,
    "proceedings:session_calendar": OPEN,
    "proceedings:session_act": STAFF,
    "proceedings:results": STAFF,
    "proceedings:decision": OPEN,
    "proceedings:draft": STAFF,
    "proceedings:comment": STAFF,
    "proceedings:comment_act": STAFF,
}


def objects(w: dict[str, Any]) -> dict[str, Any]:
    """The proceedings rows of the world; returns the ids the paths above use."""
    from datetime import date

    from maslikhat.directory.choices import MASLIKHAT_KINDS
    from maslikhat.directory.models import Organization
    from maslikhat.proceedings import services

    body, staff, users = w["maslikhat"], w["users"]["staff"], w["users"]
    ids = services.deputies_in_office(body.pk, date(2031, 3, 20))
    conv = services.convocation_create(
        actor=staff, body=body, number=8, start_date=date(2023, 3, 29), seats=body.seats or len(ids)
    )
    session = services.session_plan(
        actor=staff, convocation=conv, number=5, starts_at=datetime(2031, 3, 20, 5, tzinfo=UTC)
    )
    item = services.agenda_item_add(actor=staff, session=session, title={"en": "On the budget"})
    services.session_convene(actor=staff, session=session, notice="Convened.")
    services.session_start(actor=staff, session=session)
    services.attendance_record(actor=staff, session=session, present=dict.fromkeys(ids, True), reasons={})
    services.vote_record(actor=staff, item=item, method="roll_call", ballots=dict.fromkeys(ids, "yes"))
    decision = services.decision_adopt(actor=staff, item=item)
    planned = services.session_plan(
        actor=staff, convocation=conv, number=6, starts_at=datetime(2031, 6, 1, 5, tzinfo=UTC)
    )
    texts = {"text_kk": "1. Бірінші.\n\n2. Екінші.", "text_ru": "1. Первый.\n\n2. Второй."}
    draft = services.draft_create(actor=staff, body=body, title={"kk": "Жоба", "ru": "Проект"}, **texts)
    draft = services.draft_publish(actor=staff, draft=draft)
    preparing = services.draft_create(actor=staff, body=body, title={"kk": "Ж", "ru": "П"}, **texts)
    comment = services.comment_post(actor=users["other_citizen"], draft=draft, text="Add a deadline.")
    other = Organization.objects.exclude(kind__in=MASLIKHAT_KINDS).first()
    return {
        "pr_session": session.pk,
        "pr_planned": planned.pk,
        "pr_decision": decision.pk,
        "pr_draft": draft.pk,
        "pr_preparing": preparing.pk,
        "pr_comment": comment.pk,
        "pr_not_a_maslikhat": other.pk if other else 2**31 - 1,
    }


# ---------------------------------------------------------------- standing commissions (helper G)

TABLE.update(
    {
        "proceedings:commission": [
            ("GET", "/en/proceedings/commissions/{pr_commission}/", ALL, ""),
            ("GET", "/en/proceedings/commissions/{body}/", NOBODY, ""),
        ],
        "proceedings:commission_calendar": [
            ("GET", "/en/proceedings/commissions/{pr_commission}/calendar.ics", ALL, "")
        ],
        # an empty form is a 422 form error for this maslikhat's staff
        "proceedings:commission_meeting_new": [
            ("POST", "/en/proceedings/commissions/{pr_commission}/meetings/new/", THIS_BODY, "")
        ],
        "proceedings:commission_meeting": [
            ("GET", "/en/proceedings/commission-meetings/{pr_commission_meeting}/", ALL, "")
        ],
        "proceedings:commission_meeting_act": [
            ("POST", "/en/proceedings/commission-meetings/{pr_commission_meeting}/cancel/", THIS_BODY, ""),
            (
                "POST",
                "/en/proceedings/commission-meetings/{pr_commission_meeting}/no-such-action/",
                NOBODY,
                "",
            ),
        ],
    }
)
SECOND_FACTOR.update(
    {
        "proceedings:commission": STAFF,  # shows staff the planning form and open agenda items
        "proceedings:commission_calendar": OPEN,
        "proceedings:commission_meeting_new": STAFF,
        "proceedings:commission_meeting": STAFF,
        "proceedings:commission_meeting_act": STAFF,
    }
)
_objects_before_commissions = objects


def objects(w: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-redef]
    """The rows above, and a standing commission of the world's maslikhat with a meeting."""
    from datetime import date

    from maslikhat.directory.choices import OrganizationKind
    from maslikhat.directory.models import Organization
    from maslikhat.proceedings import services

    ids = _objects_before_commissions(w)
    body = w["maslikhat"]
    commission = Organization.objects.create(
        slug="hostile-budget-commission",
        kind=OrganizationKind.STANDING_COMMISSION,
        name_kk="Бюджет комиссиясы",
        name_en="Budget commission",
        parent=body,
        founding_date=date(2023, 4, 1),
    )
    meeting = services.commission_meeting_plan(
        actor=w["users"]["staff"],
        commission=commission,
        starts_at=datetime(2031, 3, 10, 5, tzinfo=UTC),
        agenda="1. The budget.",
    )
    return {**ids, "pr_commission": commission.pk, "pr_commission_meeting": meeting.pk}


# ---------------------------------------------------------------- the proceedings API (helper B)

TABLE.update(
    {
        "api:proceedings_sessions": [("GET", "/api/v1/proceedings/sessions?body={body}", ALL, "")],
        # the API shows public sessions only: a planned one is nobody's, staff's neither
        "api:proceedings_session": [
            ("GET", "/api/v1/proceedings/sessions/{pr_session}", ALL, ""),
            ("GET", "/api/v1/proceedings/sessions/{pr_planned}", NOBODY, ""),
        ],
        "api:proceedings_agenda": [
            ("GET", "/api/v1/proceedings/sessions/{pr_session}/agenda", ALL, ""),
            ("GET", "/api/v1/proceedings/sessions/{pr_planned}/agenda", NOBODY, ""),
        ],
        "api:proceedings_agenda_item": [
            ("GET", "/api/v1/proceedings/agenda-items/{pr_item}", ALL, ""),
            ("GET", "/api/v1/proceedings/agenda-items/{pr_planned_item}", NOBODY, ""),
        ],
        "api:proceedings_votes": [("GET", "/api/v1/proceedings/votes?session={pr_session}", ALL, "")],
        "api:proceedings_vote": [("GET", "/api/v1/proceedings/votes/{pr_vote}", ALL, "")],
        "api:proceedings_drafts": [("GET", "/api/v1/proceedings/drafts?body={body}&open=true", ALL, "")],
        "api:proceedings_draft": [
            ("GET", "/api/v1/proceedings/drafts/{pr_draft}", ALL, ""),
            ("GET", "/api/v1/proceedings/drafts/{pr_preparing}", NOBODY, ""),
        ],
        "api:proceedings_draft_versions": [
            ("GET", "/api/v1/proceedings/drafts/{pr_draft}/versions", ALL, ""),
            ("GET", "/api/v1/proceedings/drafts/{pr_preparing}/versions", NOBODY, ""),
        ],
        "api:proceedings_comments": [
            ("GET", "/api/v1/proceedings/drafts/{pr_draft}/comments", ALL, ""),
            ("GET", "/api/v1/proceedings/drafts/{pr_preparing}/comments", NOBODY, ""),
        ],
        # any signed-in account, by its token or its session (an empty comment: 422); anonymous 401
        "api:proceedings_comment_create": [
            ("POST", "/api/v1/proceedings/drafts/{pr_draft}/comments", LOGGED_IN, "bearer json"),
            ("POST", "/api/v1/proceedings/drafts/{pr_draft}/comments", LOGGED_IN, "json"),
            ("POST", "/api/v1/proceedings/drafts/{pr_preparing}/comments", NOBODY, "bearer json"),
        ],
        "api:proceedings_decisions": [
            ("GET", "/api/v1/proceedings/decisions?body={body}&q=budget&status=adopted", ALL, "")
        ],
        "api:proceedings_decision": [("GET", "/api/v1/proceedings/decisions/{pr_decision}", ALL, "")],
    }
)
JSON_DATA.update({"api:proceedings_comment_create": {"text": ""}})
_objects_before_api = objects


def objects(w: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-redef]
    """The rows above, and the ids of the voted item, its vote and an item of the planned session."""
    from maslikhat.proceedings import selectors, services

    ids = _objects_before_api(w)
    decision = selectors.decision_get(ids["pr_decision"])
    assert decision is not None and decision.item is not None
    planned = selectors.session_get(pk=ids["pr_planned"], user=w["users"]["staff"])
    assert planned is not None
    planned_item = services.agenda_item_add(
        actor=w["users"]["staff"], session=planned, title={"en": "Planned"}
    )
    return {
        **ids,
        "pr_item": decision.item.pk,
        "pr_vote": decision.item.vote.pk,
        "pr_planned_item": planned_item.pk,
    }


# ---------------------------------------------------------------- public hearings (helper G)

TABLE.update(
    {
        # an empty form is a 422 form error for this maslikhat's staff
        "proceedings:hearing_new": [("POST", "/en/proceedings/bodies/{body}/hearings/new/", THIS_BODY, "")],
        "proceedings:hearing": [("GET", "/en/proceedings/hearings/{pr_hearing}/", ALL, "")],
        "proceedings:hearing_act": [
            # an empty name is a 422 form error for any account
            ("POST", "/en/proceedings/hearings/{pr_hearing}/register/", LOGGED_IN, ""),
            ("POST", "/en/proceedings/hearings/{pr_hearing}/record/", THIS_BODY, ""),
            ("POST", "/en/proceedings/hearings/{pr_hearing}/no-such-action/", NOBODY, ""),
        ],
    }
)
SECOND_FACTOR.update(
    {
        "proceedings:hearing_new": STAFF,
        "proceedings:hearing": STAFF,  # shows staff the record and cancel forms
        "proceedings:hearing_act": STAFF,
    }
)
_objects_before_hearings = objects


def objects(w: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-redef]
    """The rows above, and a public hearing of the world's maslikhat."""
    from maslikhat.proceedings import services

    ids = _objects_before_hearings(w)
    hearing = services.hearing_announce(
        actor=w["users"]["staff"],
        body=w["maslikhat"],
        topic={"en": "The budget for 2032"},
        starts_at=datetime(2031, 3, 12, 9, tzinfo=UTC),
        place="Hall 1",
    )
    return {**ids, "pr_hearing": hearing.pk}
