"""Settings of an app process not yet restarted with the new keyring: it still encrypts with
the old key ``test1`` (``tests/safety/rotation_stale_writer.py``)."""

from northstar.settings.test import *  # noqa: F403

FIELD_ENCRYPTION_ACTIVE_KEY_ID = "test1"
