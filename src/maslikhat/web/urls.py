from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/<int:pk>/appeals/", views.body_appeals, name="body_appeals"),
]
