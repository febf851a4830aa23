"""Checks shared by the directory's services, forms and the HSDS import."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from northstar.accounts.models import Organisation
from referrals.directory.languages import LANGUAGE_CODES
from referrals.models import MAXIMUM_AGE, Province

POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])\s?(\d[ABCEGHJ-NPRSTV-Z]\d)$")
PROVINCE_BY_NAME = {str(label).casefold(): code for code, label in Province.choices} | {
    "québec": "QC", "yukon territory": "YT", "newfoundland": "NL", "pei": "PE",
}


def normalise_postal_code(value: str) -> str | None:
    """``A1A 1A1`` for a well-formed Canadian postal code (any case, space optional)."""
    match = POSTAL_CODE.match(value.strip().upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def province_code(value: str) -> str | None:
    """The two-letter code for a province code or its English name (case-insensitive)."""
    text = value.strip()
    if text.upper() in Province.values:
        return text.upper()
    return PROVINCE_BY_NAME.get(text.casefold())


def require_partner(organisation: Organisation) -> None:
    if organisation.kind != Organisation.Kind.PARTNER:
        raise ValidationError(_("Only partner organisations are in the directory."),
                              code="not_partner")


def check_ages(min_age: int | None, max_age: int | None) -> None:
    for field, age in (("min_age", min_age), ("max_age", max_age)):
        if age is not None and not 0 <= age <= MAXIMUM_AGE:
            raise ValidationError({field: _("Enter an age between 0 and %(maximum)d.")
                                   % {"maximum": MAXIMUM_AGE}}, code="age_range")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValidationError({"max_age": _("The maximum age is below the minimum age.")},
                              code="ages_inverted")


def check_capacity(available: int | None, maximum: int | None) -> None:
    if (available is None) != (maximum is None):
        raise ValidationError(_("Give both the places available and the places in all, or "
                                "neither."), code="capacity_incomplete")
    if available is None:
        return
    if available < 0 or maximum < 0:
        raise ValidationError(_("Capacity cannot be negative."), code="capacity_negative")
    if available > maximum:
        raise ValidationError({"capacity_available": _(
            "More places available (%(available)d) than places in all (%(maximum)d).")
            % {"available": available, "maximum": maximum}}, code="capacity_above_maximum")


def check_codes(languages, provinces) -> tuple[list[str], list[str]]:
    """Deduplicated, sorted language and province codes; ValidationError on unknown ones."""
    unknown_languages = sorted(set(languages) - LANGUAGE_CODES)
    if unknown_languages:
        raise ValidationError({"languages": _("Unknown language code(s): %(codes)s.")
                               % {"codes": ", ".join(unknown_languages)}}, code="language")
    unknown_provinces = sorted(set(provinces) - set(Province.values))
    if unknown_provinces:
        raise ValidationError({"provinces": _("Unknown province code(s): %(codes)s.")
                               % {"codes": ", ".join(unknown_provinces)}}, code="province")
    return sorted(set(languages)), sorted(set(provinces))
