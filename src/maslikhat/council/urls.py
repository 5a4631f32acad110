from django.urls import path

from . import views

app_name = "council"

urlpatterns = [
    path("", views.index, name="index"),
]
