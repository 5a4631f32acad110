from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "maslikhat.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from maslikhat.core.background import register_jobs
        from maslikhat.core.digests import register_citizen_sources
        from maslikhat.core.search import autodiscover

        from . import checks  # noqa: F401 (registers the deploy check)
        from .digests import SOURCES as DIGEST_SOURCES
        from .jobs import JOBS
        from .signals import connect

        autodiscover()  # every app's search.py registers its providers
        connect()  # their watched models re-index after commit
        register_jobs(JOBS)
        register_citizen_sources(*DIGEST_SOURCES)  # saved searches' part of the citizen's digest
