from django.urls import URLPattern, path

from . import feeds, views

app_name = "proceedings"

urlpatterns: list[URLPattern] = [
    path("bodies/<int:pk>/", views.sessions, name="sessions"),
    path("bodies/<int:pk>/calendar.ics", feeds.body_calendar, name="body_calendar"),
    path("bodies/<int:pk>/decisions/", views.register, name="register"),
    path("bodies/<int:pk>/decisions.csv", views.register_csv, name="register_csv"),
    path("bodies/<int:pk>/decisions/feed/", feeds.DecisionsFeed(), name="decisions_feed"),
    path("bodies/<int:pk>/drafts/feed/", feeds.DraftsFeed(), name="drafts_feed"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/calendar.ics", feeds.session_calendar, name="session_calendar"),
    path("sessions/<int:pk>/<slug:action>/", views.session_act, name="session_act"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/comment/", views.comment, name="comment"),
    path("drafts/<int:pk>/results/", views.results, name="results"),
    path("comments/<int:pk>/<slug:action>/", views.comment_act, name="comment_act"),
    path("commissions/<int:pk>/", views.commission, name="commission"),
    path("commissions/<int:pk>/calendar.ics", feeds.commission_calendar, name="commission_calendar"),
    path("commissions/<int:pk>/meetings/new/", views.commission_meeting_new, name="commission_meeting_new"),
    path("commission-meetings/<int:pk>/", views.commission_meeting, name="commission_meeting"),
    path(
        "commission-meetings/<int:pk>/<slug:action>/",
        views.commission_meeting_act,
        name="commission_meeting_act",
    ),
    path("bodies/<int:pk>/hearings/new/", views.hearing_new, name="hearing_new"),
    path("hearings/<int:pk>/", views.hearing, name="hearing"),
    path("hearings/<int:pk>/<slug:action>/", views.hearing_act, name="hearing_act"),
]
