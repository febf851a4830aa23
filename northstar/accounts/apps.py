from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "northstar.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from northstar.accounts import receivers  # noqa: F401  (MFA session marking)
