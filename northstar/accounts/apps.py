from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "northstar.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from northstar.accounts import receivers  # noqa: F401  (MFA session marking)
        from northstar.accounts.totp_replay import install

        install()  # a TOTP code works once, for its whole tolerance window
