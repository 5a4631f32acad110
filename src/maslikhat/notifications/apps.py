from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "maslikhat.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from maslikhat.core.background import register_jobs

        from .jobs import JOBS

        register_jobs(JOBS)  # the digests
