"""Logging helpers. Log lines carry the request id, never personal data."""

import logging

from northstar.common.request_context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
