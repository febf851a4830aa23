from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "northstar.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from northstar.audit import receivers  # noqa: F401  (authentication events)
