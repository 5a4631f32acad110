from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

from maslikhat.api.urls import api
from maslikhat.core import health

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("maslikhat.appeals.urls")),
    path("council/", include("maslikhat.council.urls")),
    path("news/", include("maslikhat.news.urls")),
    path("proceedings/", include("maslikhat.proceedings.urls")),
    path("participation/", include("maslikhat.participation.urls")),
    path("deputies/", include("maslikhat.deputies.urls")),
    path("scorecard/", include("maslikhat.scorecard.urls")),
    path("follow/", include("maslikhat.notifications.urls")),
    path("", include("maslikhat.directory.urls")),
    path("", include("maslikhat.web.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# Public search (issue 16).
urlpatterns += i18n_patterns(path("search/", include("maslikhat.search.urls")), prefix_default_language=True)
