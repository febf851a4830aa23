"""Human names of the dimensions and categories of the published tables (translatable).

Tables keep stable codes (``"ON"``, ``"legal_aid"``, ``"LIKELY_ELIGIBLE"``); these names are
what the dashboard and the exports show next to them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from intake.screening_panel import OUTCOME_STYLE, PATHWAY_NAMES
from referrals.models import Province, ServiceType
from stats import aggregates
from stats.disclosure import AGE_BAND, GEOGRAPHY, OTHER_OR_UNKNOWN, QUARTER, UNKNOWN_AGE


def dimension_name(dimension: str) -> str:
    if dimension.startswith("outcome:"):
        return _("Outcome")
    names = {
        QUARTER: _("Quarter"),
        GEOGRAPHY: _("Province or territory"),
        AGE_BAND: _("Age band"),
        aggregates.NATIONALITY: _("Nationality"),
        aggregates.SERVICE_TYPE: _("Service"),
        aggregates.ANSWER: _("Answer"),
        aggregates.PARTNER: _("Partner organisation"),
    }
    return str(names.get(dimension, dimension))


def label_for(dimension: str, label: str) -> str:
    if label == OTHER_OR_UNKNOWN:
        return _("Other/unknown")
    if dimension.startswith("outcome:"):
        return outcome_label(label)
    return {
        GEOGRAPHY: province_label,
        AGE_BAND: age_band_label,
        aggregates.SERVICE_TYPE: service_label,
        aggregates.ANSWER: answer_label,
        aggregates.PARTNER: partner_label,
    }.get(dimension, str)(label)


def province_label(code: str) -> str:
    return f"{code} — {Province(code).label}" if code in Province.values else code


def age_band_label(band: str) -> str:
    return _("Unknown") if band == UNKNOWN_AGE else band


def service_label(value: str) -> str:
    if value == OTHER_OR_UNKNOWN:
        return _("Other/unknown")
    return str(ServiceType(value).label) if value in ServiceType.values else value


def partner_label(name: str) -> str:
    return _("Other/unknown") if name == OTHER_OR_UNKNOWN else name


def answer_label(answer: str) -> str:
    return str({
        aggregates.ACCEPTED: _("Accepted"),
        aggregates.DECLINED: _("Declined"),
        aggregates.EXPIRED: _("Expired, no answer"),
        aggregates.WITHDRAWN: _("Withdrawn before an answer"),
        aggregates.WAITING: _("Waiting for an answer"),
    }.get(answer, answer))


def outcome_label(outcome: str) -> str:
    if outcome == aggregates.NOT_SCREENED:
        return _("Not screened")
    style = OUTCOME_STYLE.get(outcome)
    return str(style[1]) if style else outcome


def pathway_name(pathway: str) -> str:
    return str(PATHWAY_NAMES.get(pathway, pathway))
