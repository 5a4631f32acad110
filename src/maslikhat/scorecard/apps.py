from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardConfig(AppConfig):
    """Reads every domain through the figures registry (maslikhat.core.figures); owns no model."""

    name = "maslikhat.scorecard"
    label = "scorecard"
    verbose_name = _("Scorecard")

    def ready(self) -> None:
        from maslikhat.core.background import register_jobs
        from maslikhat.core.sections import register_sections

        from .jobs import JOBS
        from .sections import SECTIONS

        register_jobs(JOBS)  # the refresh of the figures' caches
        register_sections(*SECTIONS)  # the link from a maslikhat's page to its scorecard
