from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("appeals/new/", views.new, name="new"),
    path("appeals/<str:number>/", views.track, name="track"),
    path("appeals/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("appeals/<str:number>/rate/", views.rate, name="rate"),
    path("appeals/<str:number>/publish/", views.publish, name="publish"),
    path("appeals/<str:number>/complaint/", views.complain, name="complain"),
    path("appeals/<str:number>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
