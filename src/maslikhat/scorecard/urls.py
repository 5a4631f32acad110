from django.urls import URLPattern, path

from . import views

app_name = "scorecard"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("body/<int:pk>/", views.body, name="body"),
    path("scorecard.csv", views.export_csv, name="csv"),
    path("scorecard.xlsx", views.export_xlsx, name="xlsx"),
    path("briefing.pdf", views.briefing_pdf, name="pdf"),
]
