from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "maslikhat.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from maslikhat.core.figures import register_figures
        from maslikhat.core.sms import register_backend

        from .figures import SOURCE
        from .sms import OutboxBackend

        register_backend("outbox", OutboxBackend())
        register_figures(SOURCE)  # its scorecard figures

        from maslikhat.core.sections import register_sections

        from .sections import SECTIONS

        register_sections(*SECTIONS)

        from maslikhat.core.background import register_jobs

        from .jobs import JOBS

        register_jobs(JOBS)  # the daily close

        from maslikhat.core.digests import register_digest_sources

        from .digests import SOURCES as DIGEST_SOURCES

        register_digest_sources(*DIGEST_SOURCES)  # its parts of the follows' digests
