"""System checks: the process refuses to start with missing, malformed or published keys.

Registered with ``deploy=True`` for the published-key test (development uses published keys on
purpose), and unconditionally for presence and format, so a typo in a key stops every command.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from northstar.security.keyring import (
    get_audit_keys,
    get_blind_index_key,
    get_keyring,
    published_keys_in_use,
)


@checks.register(checks.Tags.security)
def keys_are_configured(app_configs, **kwargs):
    errors = []
    for loader in (get_keyring, get_blind_index_key, get_audit_keys):
        try:
            loader()
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="northstar.E001"))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def keys_are_not_published(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    return [
        checks.Error(
            f"{name} holds a key published in the Northstar repository; generate a new one "
            "with `python manage.py generate_keys`.",
            id="northstar.E002",
        )
        for name in published_keys_in_use()
    ]
