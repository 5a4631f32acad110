from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceedingsConfig(AppConfig):
    name = "maslikhat.proceedings"
    label = "proceedings"
    verbose_name = _("Sessions and decisions")

    def ready(self) -> None:
        from maslikhat.core.figures import register_figures
        from maslikhat.core.sections import register_sections

        from .figures import SOURCE
        from .sections import SECTIONS

        register_figures(SOURCE)  # its scorecard figures
        register_sections(*SECTIONS)

        from maslikhat.core.digests import register_digest_sources

        from .digests import SOURCES as DIGEST_SOURCES

        register_digest_sources(*DIGEST_SOURCES)  # its parts of the follows' digests
