from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.index, name="index"),
    path("saved/", views.saved, name="saved"),
    path("saved/new/", views.save, name="save"),
    path("saved/<int:pk>/delete/", views.delete, name="delete"),
]
