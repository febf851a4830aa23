from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "northstar.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from northstar.security import checks  # noqa: F401  (registers system checks)
