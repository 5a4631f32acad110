from django.urls import path

from . import staff_views, views

app_name = "appeals"

urlpatterns = [
    path("inbox/", staff_views.inbox, name="inbox"),
    path("inbox/assign/", staff_views.bulk_assign, name="bulk_assign"),
    path("inbox/<str:number>/", staff_views.detail, name="staff_detail"),
    path("inbox/<str:number>/<slug:action>/", staff_views.act, name="staff_act"),
    path("appeals/new/", views.new, name="new"),
    path("appeals/<str:number>/", views.track, name="track"),
    path("appeals/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("appeals/<str:number>/rate/", views.rate, name="rate"),
    path("appeals/<str:number>/publish/", views.publish, name="publish"),
    path("appeals/<str:number>/complaint/", views.complain, name="complain"),
    path("appeals/<str:number>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]


# The follow-up question two weeks after the answer (B).
urlpatterns += [path("appeals/<str:number>/followup/", views.followup, name="followup")]

# the citizen's own appeals and tracking links emailed again (appeals/mine_views.py)
from . import mine_views  # noqa: E402

urlpatterns += [
    path("my-appeals/", mine_views.mine, name="mine"),
    path("my-appeals/<str:number>/", mine_views.mine_detail, name="mine_detail"),
    path("my-appeals/<str:number>/link/", mine_views.mine_link, name="mine_link"),
    path("tracking-links/", mine_views.resend, name="links"),
]
