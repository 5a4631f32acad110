from django.urls import path

from . import views

app_name = "council"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/documents/<int:doc_id>/", views.meeting_document, name="meeting_document"),
    path("meetings/<int:pk>/<slug:action>/", views.meeting_act, name="meeting_act"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("recommendations/<int:pk>/reports/<int:report_id>/", views.report_file, name="report_file"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/documents/<int:doc_id>/", views.proposal_document, name="proposal_document"),
    path("proposals/<int:pk>/<slug:action>/", views.proposal_act, name="proposal_act"),
]
