"""Runs every pathway in dependency order and shapes the assessment (README 3)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from .citizenship import assess_citizenship
from .express_entry import assess_express_entry
from .facts import Case
from .family import assess_family
from .humanitarian import assess_humanitarian
from .model import MISSING, Findings, pathway_result
from .overlays import apply_overlays, gate, gated_result
from .provincial import assess_provincial_nominee
from .prra import assess_prra
from .questions import question_for
from .refugee import assess_refugee_claim
from .spousal import assess_spousal
from .stca import assess_stca, not_reached
from .tables import ruleset
from .temporary import assess_temporary_residence

PATHWAYS = (
    "refugee_claim",
    "prra",
    "humanitarian",
    "citizenship",
    "spousal_sponsorship",
    "family_sponsorship",
    "express_entry",
    "provincial_nominee",
    "temporary_residence",
)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def today_in_toronto() -> date:
    """Today's date in America/Toronto: the only clock the engine reads (README 1)."""
    return datetime.now(_zone(ruleset()["default_timezone"])).date()


def assess(case: Case) -> dict:
    """The assessment of one (validated) case."""
    citizenship = assess_citizenship(case)
    gated = gate(case, citizenship.outcome())
    if gated is not None:
        stca = not_reached()
        results = {name: gated_result(gated) for name in PATHWAYS}
        results["express_entry"].update(crs_score=None, crs_breakdown=None)
    else:
        stca = assess_stca(case)
        results = _open_pathways(case, stca, citizenship)
    results["citizenship"] = _finish(citizenship)
    return {
        **_header(case.today),
        "stca": stca.as_dict(),
        "pathways": {name: results[name] for name in PATHWAYS},
    }


@lru_cache(maxsize=64)
def _header(today: date) -> dict:
    """Schema, versions and disclaimer for a screening date (shared, never mutated)."""
    settings = ruleset()
    screening_date = today.isoformat()
    return {
        "schema": settings["assessment_schema"],
        "rules_version": settings["rules_version"],
        "screening_date": screening_date,
        "disclaimer": settings["disclaimer"].format(
            rules_version=settings["rules_version"],
            law_verified_to=settings["law_verified_to"],
            screening_date=screening_date,
        ),
    }


def _open_pathways(case: Case, stca, citizenship: Findings) -> dict:
    refugee = _overlaid(case, "refugee_claim", assess_refugee_claim(case, stca))
    spousal, spouse_excluded = assess_spousal(case)
    family, family_excluded = assess_family(case, citizenship)
    humanitarian = Findings()
    assess_humanitarian(case, humanitarian, stca, refugee, spouse_excluded or family_excluded)
    provincial, temporary = Findings(), Findings()
    assess_provincial_nominee(case, provincial)
    assess_temporary_residence(case, temporary)
    express_entry, crs = assess_express_entry(case)
    results = {
        "refugee_claim": _finish(refugee),
        "prra": _finish(_overlaid(case, "prra", assess_prra(case, stca, refugee))),
        "humanitarian": _finish(_overlaid(case, "humanitarian", humanitarian)),
        "spousal_sponsorship": _finish(_overlaid(case, "spousal_sponsorship", spousal)),
        "family_sponsorship": _finish(_overlaid(case, "family_sponsorship", family)),
        "express_entry": _finish(_overlaid(case, "express_entry", express_entry)),
        "provincial_nominee": _finish(_overlaid(case, "provincial_nominee", provincial)),
        "temporary_residence": _finish(_overlaid(case, "temporary_residence", temporary)),
    }
    results["express_entry"].update(crs_score=crs["total"] if crs else None, crs_breakdown=crs)
    return results


def _overlaid(case: Case, pathway: str, findings: Findings) -> Findings:
    apply_overlays(case, pathway, findings)
    return findings


def _finish(findings: Findings) -> dict:
    """The pathway's assessment entry; a MISSING_INFO outcome also asks for each fact."""
    result = pathway_result(findings)
    if result["outcome"] == MISSING:
        steps = result["next_steps"]
        for step in map(question_for, result["missing"]):
            if step not in steps:
                steps.append(step)
    return result
