"""The interface languages, and the one place where Haitian Creole is registered with Django.

Two audiences, two sets of languages:

* staff and partner screens are translated into English and French only (``STAFF_LANGUAGES``);
* client-facing text (the public "get help" form, the printable handoff packet) is also in
  Spanish and Haitian Creole (``CLIENT_LANGUAGES``), the languages most clients speak.

``settings.LANGUAGES`` lists all four so that ``LocaleMiddleware``, ``translation.override`` and
``{% language %}`` accept them; ``northstar.accounts.languages.UserLanguageMiddleware`` then keeps
staff screens in a staff language, so nobody sees a half-translated staff page in es/ht.
"""

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

# Django's LANG_INFO (behind get_language_info, the language_name_local filter and the
# language switcher) has no entry for Haitian Creole (ISO 639-1 "ht"), and
# translation.override("ht") needs only our own catalogue (locale/ht). Registering here, when
# the settings import this module, makes "ht" known before any request or template uses it.
# setdefault: a later Django that ships "ht" keeps its own entry.
LANG_INFO.setdefault("ht", {
    "bidi": False,
    "code": "ht",
    "name": "Haitian Creole",
    "name_local": "Kreyòl ayisyen",
})

STAFF_LANGUAGES = [("en", _("English")), ("fr", _("French"))]
CLIENT_LANGUAGES = [*STAFF_LANGUAGES, ("es", _("Spanish")), ("ht", _("Haitian Creole"))]
