from django.urls import URLPattern, path

from . import feeds, views

app_name = "deputies"

urlpatterns: list[URLPattern] = [
    path("<int:pk>/", views.deputy, name="deputy"),
    path("<int:pk>/calendar.ics", views.deputy_ical, name="ical"),
    path("<int:pk>/feed/", feeds.DeputyFeed(), name="feed"),
    path("<int:pk>/office/", views.office, name="office"),
    path("<int:pk>/office/<slug:action>/", views.office_act, name="office_act"),
    path("receptions/<int:pk>/", views.book, name="book"),
    path("receptions/<int:pk>/calendar.ics", views.slot_ical, name="slot_ical"),
    path("receptions/<int:pk>/office/", views.slot_office, name="slot_office"),
    path("receptions/<int:pk>/office/<slug:action>/", views.slot_act, name="slot_act"),
    path("booking/", views.booking, name="booking"),
    path("questions/<int:pk>/appeal/", views.question_appeal, name="question_appeal"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("inquiries/<int:pk>/", views.inquiry, name="inquiry"),
    path("areas/<str:code>/calendar/", views.area_calendar, name="area_calendar"),
    path("areas/<str:code>/calendar.ics", views.area_calendar_ical, name="area_calendar_ical"),
    path("akim-meetings/<int:pk>/", views.akim_meeting, name="akim_meeting"),
    path("bodies/<int:pk>/akim-meetings/", views.akim_office, name="akim_office"),
    path("bodies/<int:pk>/akim-meetings/<slug:action>/", views.akim_office_act, name="akim_office_act"),
]
