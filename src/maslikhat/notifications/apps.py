from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "maslikhat.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from maslikhat.core.background import register_jobs
        from maslikhat.core.sections import register_sections

        from .jobs import JOBS
        from .sections import SECTIONS

        register_jobs(JOBS)  # the digests
        register_sections(*SECTIONS)  # the follow buttons on the directory's pages
