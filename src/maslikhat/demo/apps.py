from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "maslikhat.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        from maslikhat.core.startup import register_startup_check

        from .guard import demo_problems

        register_startup_check(demo_problems)
