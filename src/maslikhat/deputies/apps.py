"""A deputy's receptions, reports to voters, deputy inquiries and public record."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "maslikhat.deputies"
    label = "deputies"
    verbose_name = _("Deputies and voters")

    def ready(self) -> None:
        from maslikhat.core.background import register_jobs
        from maslikhat.core.figures import register_figures
        from maslikhat.core.sections import register_sections

        from .figures import SOURCE
        from .jobs import JOBS
        from .sections import SECTIONS

        register_jobs(JOBS)  # its emails
        register_figures(SOURCE)  # its scorecard figures
        register_sections(*SECTIONS)  # the deputy's record on the person page

        from maslikhat.core.digests import register_digest_sources

        from .digests import SOURCES as DIGEST_SOURCES

        register_digest_sources(*DIGEST_SOURCES)  # its parts of the follows' digests
