"""Acceptance 3 (issue 7): a test fails when a string shown to users is untranslated.

The messages are extracted afresh from the code (Django's ``makemessages`` into a temporary
locale directory) and compared with the committed catalogues: every message must be translated
(and not fuzzy) in French; every message of a client-facing page in Spanish and Haitian Creole
too. The compiled ``.mo`` files must match their ``.po`` files, since ``make run`` serves them
without gettext installed.
"""

from __future__ import annotations

import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.i18n.pofile import read_po

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
# Where client-facing text comes from: the public help form and the printable handoff packet.
CLIENT_FACING = ("templates/help/", "intake/forms_help.py", "intake/models/help_request.py",
                 "templates/referrals/packet_print.html",
                 "templates/referrals/partials/_packet.html", "referrals/packets.py")
IGNORE = [".venv", "tests", "bench", "test-artifacts", "staticfiles", "node_modules"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues ``makemessages`` would write today, in a temporary copy of locale/."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is needed (apt-get install gettext; .ci/run installs it)")
    target = tmp_path_factory.mktemp("locale") / "locale"
    shutil.copytree(LOCALE, target)
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "LOCALE_PATHS", [str(target)])
            call_command("makemessages", locale=["fr", "es", "ht"], ignore_patterns=IGNORE,
                         verbosity=0)
    finally:
        os.chdir(cwd)
    return target


def untranslated(extracted: Path, language: str, *, client_facing_only: bool) -> list[str]:
    committed = {entry.key: entry for entry in read_po(LOCALE / language / "LC_MESSAGES"
                                                        / "django.po") if not entry.obsolete}
    missing = []
    for entry in read_po(extracted / language / "LC_MESSAGES" / "django.po"):
        if entry.obsolete or not entry.msgid:
            continue
        if client_facing_only and not any(location.startswith(CLIENT_FACING)
                                          for location in entry.locations):
            continue
        known = committed.get(entry.key)
        if known is None or not known.translated:
            missing.append(f"{entry.msgid[:70]!r} ({', '.join(entry.locations[:2])})")
    return missing


def test_every_message_is_translated_in_french(extracted):
    assert untranslated(extracted, "fr", client_facing_only=False) == []


@pytest.mark.parametrize("language", ["es", "ht"])
def test_client_facing_messages_are_translated(extracted, language):
    assert untranslated(extracted, language, client_facing_only=True) == []


@pytest.mark.parametrize("language", ["fr", "es", "ht"])
def test_compiled_catalogues_match_their_sources(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in read_po(folder / "django.po"):
        if entry.obsolete or not entry.msgid or not entry.translated:
            continue
        if entry.msgid_plural is None:
            got = catalogue.gettext(entry.msgid) if entry.msgctxt is None else \
                catalogue.pgettext(entry.msgctxt, entry.msgid)
            assert got == entry.msgstr[0], f"{language}: stale .mo for {entry.msgid[:60]!r}"
