from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "maslikhat.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        from maslikhat.core.digests import register_digest_sources
        from maslikhat.core.sections import register_sections

        from .digests import SOURCES as DIGEST_SOURCES
        from .sections import SECTIONS

        register_sections(*SECTIONS)  # the news blocks on the directory's pages
        register_digest_sources(*DIGEST_SOURCES)  # its parts of the follows' digests
