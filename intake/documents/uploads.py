"""An upload handler that keeps a document in memory only, and never more than the limit.

Django's default handlers spill uploads over 2.5 MB to a temporary file: a client's document
would sit in clear on the server's disk until the request ends. This handler keeps the first
``MAX_BYTES + 1`` bytes in memory and only counts the rest, so an oversized upload costs at most
10 MB of memory and is reported with its real size (and refused with the size message). Only
the first file of a request is kept.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from intake.documents.inspection import MAX_BYTES


class DocumentUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.buffer: io.BytesIO | None = None
        self.received = 0
        self.files_seen = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.buffer = io.BytesIO() if self.files_seen == 1 else None
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.buffer is not None:
            room = MAX_BYTES + 1 - self.buffer.tell()
            if room > 0:
                self.buffer.write(raw_data[:room])
        return None

    def file_complete(self, file_size: int):
        if self.buffer is None:
            return None  # a second file in the same request: dropped
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer, field_name=self.field_name, name=self.file_name,
            content_type=self.content_type, size=self.received, charset=self.charset,
            content_type_extra=self.content_type_extra)
