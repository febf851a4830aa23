from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "northstar.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from northstar.security import checks  # noqa: F401  (registers system checks)
