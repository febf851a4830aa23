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
    # makemessages scans from the current directory and writes into the ./locale it finds
    # there, whatever LOCALE_PATHS says: let it, then move what it wrote into the temporary
    # copy and put the committed catalogues back, so that the test never edits the work tree.
    committed = {path: path.read_bytes() for path in LOCALE.glob("*/LC_MESSAGES/django.po")}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "LOCALE_PATHS", [str(target)])
            call_command("makemessages", locale=["fr", "es", "ht"], ignore_patterns=IGNORE,
                         verbosity=0)
    finally:
        os.chdir(cwd)
        for path, content in committed.items():
            written = path.read_bytes()
            if written != content:
                (target / path.relative_to(LOCALE)).write_bytes(written)
                path.write_bytes(content)
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


# -- what a handoff packet can show -------------------------------------------------------------
# The packet's labels are in CLIENT_FACING files, but its values come from shared tables (the
# intake's value labels, urgency, provinces, contact methods, language names). Each packet
# field says where its values come from; None: client-entered text, a date or a number.
VALUE_TABLES = {"entry_mode": ("entry_mode",), "current_location": ("current_location",),
                "us_status": ("us_status",), "canadian_status": ("canadian_status",),
                "fear_grounds": ("grounds",), "education": ("education",),
                "relatives_in_canada": ("relationship", "canadian_status"),
                "prior_claims": ("kind", "outcome")}
OTHER_VALUES = {"first_name": None, "family_name": None, "alias": None, "date_of_birth": None,
                "age": None, "household_size": None, "removal_date": None, "arrival_date": None,
                "contact_details": None, "code_word": None, "languages": "languages",
                "preferred_language": "languages", "household_members": "household",
                "urgency": "urgency", "detention_risk": "detention", "claim_status": "claim",
                "intended_province": "province", "contact_method": "contact",
                "safe_to_call": "yes_no", "safe_to_leave_message": "yes_no",
                "citizenships": "countries"}


def schema_enums(name: str) -> set[str]:
    """Every value the facts contract allows for a property called ``name``."""
    from eligibility.engine.tables import contract_schema

    found, stack = set(), [contract_schema("facts")]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == name and isinstance(value, dict):
                    found |= {str(item) for item in value.get("enum", []) if item is not None}
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def packet_values() -> set[str]:
    """The English text of every value a packet can show (``value_label`` falls back to the
    value's code: every code the contract allows must have a label)."""
    from django.utils import translation
    from django_countries.data import COUNTRIES

    from intake.fact_labels import VALUE_LABELS
    from intake.models import ContactMethod, Urgency
    from referrals import packets
    from referrals.directory.languages import LANGUAGE_NAMES
    from referrals.models import Province, ServiceType

    tables = {"languages": LANGUAGE_NAMES.values(), "urgency": Urgency.labels,
              "countries": COUNTRIES.values(),  # citizenships, and prior claims below
              "detention": packets.DETENTION_LABELS.values(),
              "claim": packets.CLAIM_STATUS.values(), "province": Province.labels,
              "contact": ContactMethod.labels, "yes_no": ["Yes", "No"],
              "household": ["household member", "%(relationship)s, age %(age)s"]}
    assert set(packets.PACKET_FIELDS) == set(VALUE_TABLES) | set(OTHER_VALUES)
    with translation.override("en"):
        shown = {str(label) for name in OTHER_VALUES.values() if name for label in tables[name]}
        shown |= {str(label) for label in ServiceType.labels}  # in the packet's first sentence
        for names in VALUE_TABLES.values():
            for name in names:
                labels = VALUE_LABELS[name]
                assert schema_enums(name) - {"unknown"} <= set(labels), name
                shown |= {str(label) for label in labels.values()}
    return shown


@pytest.mark.parametrize("language", ["es", "ht"])
def test_every_value_a_packet_can_show_is_translated(language):
    catalogue = {entry.msgid: entry for entry in read_po(LOCALE / language / "LC_MESSAGES"
                                                          / "django.po")
                 if not entry.obsolete and entry.msgctxt is None}
    missing = sorted(text for text in packet_values()
                     if text not in catalogue or not catalogue[text].translated)
    assert missing == []


def test_country_names_are_listed_for_the_catalogues():
    """django_countries has no Haitian Creole: northstar/common/country_names.py lists its
    names for makemessages; it must be django_countries' list, neither more nor less."""
    from django.utils import translation
    from django_countries.data import COUNTRIES

    from northstar.common.country_names import COUNTRY_NAMES

    with translation.override("en"):
        assert sorted(COUNTRY_NAMES) == sorted(str(name) for name in COUNTRIES.values())
