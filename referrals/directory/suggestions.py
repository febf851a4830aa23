"""Partner suggestions for a client's needs, ranked, each with a short "why".

``partner_suggestions_for`` takes plain inputs (needs, province, languages, age) so that the
referral code can call it from a case without this module knowing the intake models. The
acceptance history comes from the caller, either as a callable or as a queryset annotation
hook, because referrals are recorded elsewhere.

Filtering happens in the database: only active services of the requested types, of active
partner organisations, serving the province (when one is given). Everything else is a score:

==============================  ======  ==============================================
factor                          points  why (example)
==============================  ======  ==============================================
speaks the preferred language   +30     "Speaks Spanish (preferred language)"
speaks another client language  +20     "Speaks French"
no shared language              −10     "No shared language: an interpreter is needed"
age within the service's range  +10     "Age 17 is within 16–24"
age outside the range           −50     "Age 30 is outside 16–24"
places available                +10…+20 "4 of 20 beds available"
no place available              −30     "No places available (0 of 6)"
not accepting referrals         −100    "Not accepting referrals at the moment"
acceptance history (≥ 3 answers)  0…+20 "Accepted 8 of 10 referrals"
each other requested need       +5      "Also offers legal aid"
no data-sharing agreement       −20     "No data-sharing agreement in force"
==============================  ======  ==============================================

Suggestions are grouped by need (in the order given) and sorted by score, then organisation
and service name. Three queries in all, however many partners (plus whatever the acceptance
history callable does, once).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from northstar.accounts.models import Organisation
from referrals.directory.languages import language_name
from referrals.directory.selectors import valid_agreement_exists
from referrals.models import PartnerService, Province, ServiceStatus, ServiceType

PREFERRED_LANGUAGE_POINTS = 30
OTHER_LANGUAGE_POINTS = 20
NO_SHARED_LANGUAGE_POINTS = -10
AGE_FIT_POINTS = 10
AGE_MISFIT_POINTS = -50
CAPACITY_BASE_POINTS = 10
CAPACITY_SHARE_POINTS = 10
NO_CAPACITY_POINTS = -30
NOT_ACCEPTING_POINTS = -100
HISTORY_POINTS = 20
HISTORY_MINIMUM_ANSWERS = 3
OTHER_NEED_POINTS = 5
NO_AGREEMENT_POINTS = -20

# Names of the attributes an ``annotate`` hook may add to each service row.
ACCEPTED_ANNOTATION = "referrals_accepted"
ANSWERED_ANNOTATION = "referrals_answered"


@dataclass(frozen=True)
class AcceptanceHistory:
    """How a partner answered past referrals: ``accepted`` of ``answered`` (accepted plus
    declined; unanswered ones are not counted)."""

    accepted: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.accepted / self.answered if self.answered else None


AcceptanceHistoryLookup = Callable[[Sequence[int]], Mapping[int, AcceptanceHistory]]
QuerysetHook = Callable[[QuerySet[PartnerService]], QuerySet[PartnerService]]


@dataclass(frozen=True)
class PartnerSuggestion:
    """One suggested service: what it is, its score and why, in plain words."""

    service: PartnerService
    need: str
    score: int
    reasons: tuple[str, ...]
    has_valid_agreement: bool
    points: tuple[int, ...] = field(default=(), repr=False)

    @property
    def organisation(self) -> Organisation:
        return self.service.organisation


def candidate_services(*, needs: Sequence[str], province: str | None,
                       on_date: datetime.date | None,
                       annotate: QuerysetHook | None) -> QuerySet[PartnerService]:
    services = PartnerService.objects.filter(
        service_type__in=list(needs), status=ServiceStatus.ACTIVE,
        organisation__is_active=True, organisation__kind=Organisation.Kind.PARTNER,
    )
    if province:
        services = services.filter(provinces_served__province=province)
    services = services.select_related("organisation").prefetch_related(
        "languages", "provinces_served").annotate(
        has_valid_agreement=valid_agreement_exists("organisation", on_date))
    return annotate(services) if annotate is not None else services


def partner_suggestions_for(
    *,
    needs: Sequence[str],
    province: str | None = None,
    languages: Sequence[str] = (),
    age: int | None = None,
    acceptance_history: AcceptanceHistoryLookup | None = None,
    annotate: QuerysetHook | None = None,
    on_date: datetime.date | None = None,
    limit_per_need: int | None = None,
) -> list[PartnerSuggestion]:
    """Ranked partner services for ``needs`` (service type values, most important first).

    ``province``: two-letter code where the client will be (filters); ``languages``: ISO
    639-1 codes, the preferred one first; ``age``: whole years, or None when unknown.
    ``acceptance_history(organisation_ids)`` returns ``{organisation_id: AcceptanceHistory}``;
    alternatively ``annotate(queryset)`` may add ``referrals_accepted`` and
    ``referrals_answered`` to each service row. ``on_date`` (default today) is the day the
    data-sharing agreement must be in force.
    """
    unknown = [need for need in needs if need not in ServiceType.values]
    if unknown:
        raise ValueError(f"unknown service types: {unknown}")
    if province and province not in Province.values:
        raise ValueError(f"unknown province: {province}")
    needs = list(dict.fromkeys(needs))
    services = list(candidate_services(needs=needs, province=province, on_date=on_date,
                                       annotate=annotate))
    histories = histories_for(services, acceptance_history)
    offered = {(service.organisation_id, service.service_type) for service in services}
    context = RankingContext(needs=needs, province=province, languages=list(languages),
                             age=age, offered=offered)
    suggestions = [context.suggest(service, histories.get(service.organisation_id))
                   for service in services]
    suggestions.sort(key=lambda s: (needs.index(s.need), -s.score,
                                    s.service.organisation.name.casefold(),
                                    s.service.name.casefold(), s.service.pk))
    if limit_per_need is not None:
        suggestions = limited(suggestions, limit_per_need)
    return suggestions


def histories_for(services: list[PartnerService],
                  lookup: AcceptanceHistoryLookup | None) -> dict[int, AcceptanceHistory]:
    if lookup is not None:
        organisation_ids = sorted({service.organisation_id for service in services})
        return dict(lookup(organisation_ids)) if organisation_ids else {}
    histories = {}
    for service in services:
        accepted = getattr(service, ACCEPTED_ANNOTATION, None)
        answered = getattr(service, ANSWERED_ANNOTATION, None)
        if accepted is not None and answered is not None:
            histories[service.organisation_id] = AcceptanceHistory(accepted, answered)
    return histories


def limited(suggestions: list[PartnerSuggestion], per_need: int) -> list[PartnerSuggestion]:
    counts: dict[str, int] = {}
    kept = []
    for suggestion in suggestions:
        counts[suggestion.need] = counts.get(suggestion.need, 0) + 1
        if counts[suggestion.need] <= per_need:
            kept.append(suggestion)
    return kept


@dataclass
class RankingContext:
    needs: list[str]
    province: str | None
    languages: list[str]
    age: int | None
    offered: set[tuple[int, str]]

    def suggest(self, service: PartnerService,
                history: AcceptanceHistory | None) -> PartnerSuggestion:
        scored: list[tuple[int, str]] = [(0, _("Offers %(service)s") % {
            "service": ServiceType(service.service_type).label.lower()})]
        if self.province:
            scored.append((0, _("Serves %(province)s") % {
                "province": Province(self.province).label}))
        for factor in (self.language_fit, self.age_fit, self.capacity_fit,
                       self.accepting_fit, self.agreement_fit):
            scored.extend(factor(service))
        scored.extend(self.history_fit(history))
        scored.extend(self.other_needs(service))
        points = tuple(value for value, _reason in scored)
        return PartnerSuggestion(
            service=service, need=service.service_type, score=sum(points),
            reasons=tuple(reason for _value, reason in scored),
            has_valid_agreement=bool(service.has_valid_agreement), points=points)

    def language_fit(self, service: PartnerService) -> list[tuple[int, str]]:
        if not self.languages:
            return []
        spoken = set(service.language_codes)
        preferred = self.languages[0]
        if preferred in spoken:
            return [(PREFERRED_LANGUAGE_POINTS, _("Speaks %(language)s (preferred language)")
                     % {"language": language_name(preferred)})]
        shared = [code for code in self.languages[1:] if code in spoken]
        if shared:
            names = ", ".join(language_name(code) for code in shared)
            return [(OTHER_LANGUAGE_POINTS, _("Speaks %(languages)s") % {"languages": names})]
        return [(NO_SHARED_LANGUAGE_POINTS, _("No shared language: an interpreter is needed"))]

    def age_fit(self, service: PartnerService) -> list[tuple[int, str]]:
        if self.age is None or (service.min_age is None and service.max_age is None):
            return []
        low = service.min_age if service.min_age is not None else 0
        high = service.max_age
        band = f"{low}–{high}" if high is not None else f"{low}+"
        if low <= self.age and (high is None or self.age <= high):
            return [(AGE_FIT_POINTS, _("Age %(age)d is within %(band)s")
                     % {"age": self.age, "band": band})]
        return [(AGE_MISFIT_POINTS, _("Age %(age)d is outside %(band)s")
                 % {"age": self.age, "band": band})]

    def capacity_fit(self, service: PartnerService) -> list[tuple[int, str]]:
        if not service.has_capacity_figures:
            return [(0, _("Capacity not reported"))]
        available, maximum = service.capacity_available, service.capacity_maximum
        unit = service.capacity_unit or _("places")
        if available == 0:
            return [(NO_CAPACITY_POINTS, _("No %(unit)s available (0 of %(maximum)d)")
                     % {"unit": unit, "maximum": maximum})]
        share = round(CAPACITY_SHARE_POINTS * available / maximum)
        return [(CAPACITY_BASE_POINTS + share, _("%(available)d of %(maximum)d %(unit)s "
                                                 "available")
                 % {"available": available, "maximum": maximum, "unit": unit})]

    def accepting_fit(self, service: PartnerService) -> list[tuple[int, str]]:
        if service.accepting_referrals:
            return []
        return [(NOT_ACCEPTING_POINTS, _("Not accepting referrals at the moment"))]

    def agreement_fit(self, service: PartnerService) -> list[tuple[int, str]]:
        if service.has_valid_agreement:
            return []
        return [(NO_AGREEMENT_POINTS, _("No data-sharing agreement in force"))]

    def history_fit(self, history: AcceptanceHistory | None) -> list[tuple[int, str]]:
        if history is None:
            return []
        if history.answered < HISTORY_MINIMUM_ANSWERS:
            return [(0, _("Few referrals answered so far"))]
        return [(round(HISTORY_POINTS * history.rate), _(
            "Accepted %(accepted)d of %(answered)d referrals")
            % {"accepted": history.accepted, "answered": history.answered})]

    def other_needs(self, service: PartnerService) -> list[tuple[int, str]]:
        return [(OTHER_NEED_POINTS, _("Also offers %(service)s") % {
            "service": ServiceType(need).label.lower()})
            for need in self.needs
            if need != service.service_type
            and (service.organisation_id, need) in self.offered]
