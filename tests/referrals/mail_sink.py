"""A mail "server" for the delivery tests: every message a worker hands to it becomes one file
in ``$MAIL_SINK_DIR``, named after its Message-ID plus a random suffix, so the test can count
how many times each notification reached the wire (raw sends) and how many distinct
notifications a receiver that deduplicates by Message-ID would show.

``$MAIL_SINK_DELAY`` (seconds) stands for the SMTP conversation, so that a worker killed
"during deliveries" is likely to be killed in the middle of one. A file appears atomically
(written aside, then renamed) once the "server" has accepted the message.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections import Counter
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

SUFFIX = ".eml"


def safe_name(message_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]", "_", message_id.strip("<>"))


class SinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        directory = Path(os.environ["MAIL_SINK_DIR"])
        delay = float(os.environ.get("MAIL_SINK_DELAY", "0"))
        for message in email_messages:
            if delay:
                time.sleep(delay)
            message_id = message.extra_headers["Message-ID"]
            name = f"{safe_name(message_id)}.{uuid.uuid4().hex}"
            partial = directory / f".{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, directory / f"{name}{SUFFIX}")
        return len(email_messages)


def raw_sends(directory: Path) -> Counter:
    """How many copies of each Message-ID reached the sink."""
    return Counter(path.name.rsplit(".", 2)[0] for path in directory.glob(f"*{SUFFIX}"))
