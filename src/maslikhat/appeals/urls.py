from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("appeals/<str:number>/", views.track, name="track"),
]
