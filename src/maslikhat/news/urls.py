from django.urls import URLPattern, path

from maslikhat.news import feeds, views

app_name = "news"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("feed/", feeds.NewsFeed(), name="feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("bodies/<int:pk>/", views.body_news, name="body"),
    path("bodies/<int:pk>/feed/", feeds.BodyNewsFeed(), name="body_feed"),
    path("areas/<str:code>/", views.area_news, name="area"),
    path("areas/<str:code>/feed/", feeds.AreaNewsFeed(), name="area_feed"),
    path("tags/<slug:code>/", views.tag_news, name="tag"),
    path("tags/<slug:code>/feed/", feeds.TagNewsFeed(), name="tag_feed"),
    path("newsroom/", views.newsroom, name="newsroom"),
    path("newsroom/new/", views.create, name="create"),
    path("newsroom/<int:pk>/", views.edit, name="edit"),
    path("newsroom/<int:pk>/publish/", views.publish, name="publish"),
    path("newsroom/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
