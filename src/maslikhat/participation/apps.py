from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "maslikhat.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from maslikhat.core.sms import register_backend

        from .sms import OutboxBackend

        register_backend("outbox", OutboxBackend())
