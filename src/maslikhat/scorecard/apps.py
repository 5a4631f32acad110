from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardConfig(AppConfig):
    """Reads every domain through the figures registry (maslikhat.core.figures); owns no model."""

    name = "maslikhat.scorecard"
    label = "scorecard"
    verbose_name = _("Scorecard")
