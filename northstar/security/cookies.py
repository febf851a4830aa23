"""Django's message storage with a configurable cookie name.

Messages are kept in a cookie when they fit (Django's FallbackStorage, then the session).
Django names that cookie "messages", fixed; the production settings use this storage to name
it ``__Host-messages`` (``MESSAGES_COOKIE_NAME``) like every other cookie, so that the
browser only accepts it Secure, for this host, with Path=/ (the flags come from the session
cookie's settings). Without the setting the name stays "messages".
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage


class NamedCookieStorage(CookieStorage):
    @property
    def cookie_name(self) -> str:
        return getattr(settings, "MESSAGES_COOKIE_NAME", CookieStorage.cookie_name)


class MessageStorage(FallbackStorage):
    storage_classes = (NamedCookieStorage, SessionStorage)
