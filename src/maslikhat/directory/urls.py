from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("find/", views.find, name="find"),
    path("areas/<str:code>/", views.area, name="area"),
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/<int:pk>/", views.body, name="body"),
    path("people/<int:pk>/", views.person, name="person"),
]
