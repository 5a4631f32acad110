from django.urls import URLPattern, path

from . import feeds, views

app_name = "participation"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("feed/", feeds.InitiativeFeed(), name="feed"),
    path("verify/", views.verify, name="verify"),
    path("staff/verify/", views.staff_verify, name="staff_verify"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<int:pk>/", views.initiative, name="initiative"),
    path("initiatives/<int:pk>/<slug:action>/", views.initiative_act, name="initiative_act"),
    path("budgets/<int:pk>/", views.process, name="process"),
    path("budgets/<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("budgets/<int:pk>/<slug:action>/", views.process_act, name="process_act"),
    path("implementation/<int:pk>/", views.implementation, name="implementation"),
]
