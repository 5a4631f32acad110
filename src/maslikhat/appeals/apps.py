from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "maslikhat.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from maslikhat.core.background import register_jobs
        from maslikhat.core.digests import register_digest_sources
        from maslikhat.core.figures import register_figures
        from maslikhat.core.sections import register_sections

        from .digests import SOURCES as DIGEST_SOURCES
        from .figures import SOURCES as FIGURE_SOURCES
        from .jobs import JOBS
        from .sections import SECTIONS

        for source in FIGURE_SOURCES:  # its scorecard figures, the follow-up one last
            register_figures(source)
        register_jobs(JOBS)  # its background jobs
        register_sections(*SECTIONS)  # its blocks on the directory's pages
        register_digest_sources(*DIGEST_SOURCES)  # its parts of the follows' digests
