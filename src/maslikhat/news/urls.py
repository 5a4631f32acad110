from django.urls import URLPattern, path

from maslikhat.news import views

app_name = "news"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
]
