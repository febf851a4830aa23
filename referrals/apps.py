from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    label = "referrals"

    def ready(self):
        # The intake calls these inside its own transactions (see ``referrals.hooks``).
        from intake.consent import register_consent_withdrawn_hook
        from intake.lifecycle import register_purge_hook
        from intake.services import register_case_closed_hook
        from referrals import hooks

        register_consent_withdrawn_hook(hooks.referrals_on_consent_withdrawn)
        register_purge_hook(hooks.referrals_on_case_purged)
        register_case_closed_hook(hooks.referrals_on_case_closed)
