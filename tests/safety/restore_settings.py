"""Settings of a process on a restored database (``test_backup_restore.py``): the test
settings with the media directory of the restore and the keys from the environment when it
sets them (to run with no keys, or with keys that are not this database's)."""

import os
from pathlib import Path

from northstar.settings.test import *  # noqa: F403

MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
FIELD_ENCRYPTION_KEYS = os.environ.get("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS)  # noqa: F405
BLIND_INDEX_KEY = os.environ.get("BLIND_INDEX_KEY", BLIND_INDEX_KEY)  # noqa: F405
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", AUDIT_HMAC_KEY)  # noqa: F405
