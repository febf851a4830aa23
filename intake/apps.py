from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    label = "intake"

    def ready(self) -> None:
        from intake.documents import documents_purge_hook
        from intake.help_requests import help_request_purge_hook
        from intake.lifecycle import register_purge_hook

        register_purge_hook(documents_purge_hook)
        register_purge_hook(help_request_purge_hook)
