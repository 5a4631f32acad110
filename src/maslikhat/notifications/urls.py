from django.urls import URLPattern, path

from . import views

app_name = "notifications"

urlpatterns: list[URLPattern] = [
    path("", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.update, name="update"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/digest/<str:token>/", views.unsubscribe, {"digest": True}, name="unsubscribe_digest"),
]
