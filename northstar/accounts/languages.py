"""The interface language: staff keep theirs across devices, clients pick theirs per page.

* A signed-in user's screens are in their ``preferred_language`` (saved when they use the
  language switcher), whatever the browser or a cookie says: from the first page after
  sign-in, on every device.
* Staff screens exist in ``settings.STAFF_LANGUAGES`` only. A browser asking for Spanish or
  Haitian Creole on the sign-in page gets the nearest staff language instead of a page half in
  English (Haitian Creole speakers are usually schooled in French).
* Client-facing pages (``settings.CLIENT_LANGUAGE_PATHS``: the public help form) may be in any
  language of ``settings.LANGUAGES``; their views pick it (from the URL, ``/help/es/``) and
  render under ``translation.override``. Here they keep ``LocaleMiddleware``'s choice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from northstar.accounts import services
from northstar.accounts.permissions import PUBLIC, access

# Where a browser's non-staff language falls back on a staff page (else LANGUAGE_CODE).
STAFF_FALLBACK = {"ht": "fr"}


def staff_language_codes() -> list[str]:
    return [code for code, _name in settings.STAFF_LANGUAGES]


def is_client_facing(path: str) -> bool:
    return path.startswith(tuple(settings.CLIENT_LANGUAGE_PATHS))


def staff_language(language: str | None) -> str:
    """``language`` if staff screens exist in it, else the nearest staff language."""
    codes = staff_language_codes()
    if language in codes:
        return language
    fallback = STAFF_FALLBACK.get((language or "").split("-")[0], settings.LANGUAGE_CODE)
    return fallback if fallback in codes else codes[0]


def request_language(request) -> str:
    """The language this request's page is rendered in (``LocaleMiddleware`` chose a first one)."""
    current = translation.get_language()
    if is_client_facing(request.path_info):
        return current
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return staff_language(user.preferred_language)
    return staff_language(current)


class UserLanguageMiddleware:
    """Activate the page language (see the module docstring). Goes after AuthenticationMiddleware
    and LocaleMiddleware, whose choice it corrects; LocaleMiddleware's response step then sets
    Content-Language from the language activated here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        if language != translation.get_language():
            translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


@access(PUBLIC)
def set_language(request):
    """The language switcher: Django's ``set_language`` (cookie, safe redirect to ``next``),
    limited to the staff languages; for a signed-in user the choice is also saved on the
    account, so every device and every later session opens in it. A GET only redirects."""
    if request.method == "POST":
        language = request.POST.get("language", "")
        if language not in staff_language_codes():
            messages.error(request, _("This language is not available for staff screens."))
            request.POST = request.POST.copy()
            request.POST.pop("language", None)  # Django's view then only redirects
        elif request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
    return django_set_language(request)


def language_choices(request):
    """Template context for the staff language switcher (templates/partials/_nav.html)."""
    return {"language_switch_codes": staff_language_codes()}
