from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "maslikhat.council"
    label = "council"
    verbose_name = _("National council")

    def ready(self) -> None:
        from maslikhat.core.background import register_jobs
        from maslikhat.core.digests import register_digest_sources
        from maslikhat.core.figures import register_figures

        from .digests import SOURCES as DIGEST_SOURCES
        from .figures import SOURCE
        from .jobs import JOBS

        register_figures(SOURCE)  # its scorecard figures
        register_jobs(JOBS)  # its background jobs
        register_digest_sources(*DIGEST_SOURCES)  # its parts of the follows' digests
