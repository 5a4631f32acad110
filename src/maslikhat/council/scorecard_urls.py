from django.urls import URLPattern

app_name = "scorecard"

urlpatterns: list[URLPattern] = []
