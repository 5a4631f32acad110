from django.urls import URLPattern, path

from . import scorecard_views as views

app_name = "scorecard"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
]
