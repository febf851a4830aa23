"""The Comprehensive Ranking System score with its breakdown (README 4.11, LAW 8.2).

The grid is read from ``rules/crs.json``. The score is computed whenever its facts are known;
otherwise it is None and the missing facts are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .experience import UNKNOWN, Job, jobs_in_window, tally
from .facts import Case
from .language import Languages, all_at_least, levels, lowest
from .tables import band_lookup, band_points, crs_table, fsw_table, range_points

SPONSOR_STATUSES = ("citizen", "permanent_resident")


@dataclass
class CrsFacts:
    """What the CRS reads, gathered once."""

    age: int
    education: str
    languages: Languages
    canadian_years: int
    foreign_years: int
    with_spouse: bool
    spouse: dict


def spouse_factors_used(case: Case) -> bool | None:
    """With-spouse columns: an accompanying spouse or common-law partner who is not Canadian."""
    spouse = case.spouse if case.has_partner_block else None
    if spouse is None or spouse["relationship"] not in ("spouse", "common_law_partner"):
        return False
    accompanying = spouse.get("accompanying")
    if accompanying is None:
        return None
    if not accompanying:
        return False
    status = spouse.get("canadian_status")
    if status in (None, "unknown"):
        return None
    return status not in SPONSOR_STATUSES


def crs_missing(case: Case, jobs: list[Job] | None, languages: Languages) -> list[str]:
    """Pointers to every unknown fact the CRS needs (empty when it can be computed)."""
    economic = case.economic or {}
    missing = []
    if case.date_of_birth is None:
        missing.append(case.ptr("person", "date_of_birth"))
    for field in ("education", "canadian_education", "provincial_nomination", "sibling_in_canada"):
        if economic.get(field) is None:
            missing.append(case.ptr("economic", field))
    missing += languages.missing_first + languages.missing_second
    if jobs is None:
        missing.append(case.ptr("economic", "work_history"))
    else:
        unknown = jobs_in_window(jobs, case.today, _window(), UNKNOWN)
        missing += [
            case.ptr("economic", "work_history", job.index, "authorized") for job in unknown
        ]
    if economic.get("certificate_of_qualification") is None and (lowest(languages.first) or 0) >= 5:
        missing.append(case.ptr("economic", "certificate_of_qualification"))
    if economic.get("arranged_employment") is None and _arranged_employment_counts(case):
        missing.append(case.ptr("economic", "arranged_employment"))
    missing += _spouse_missing(case)
    return missing


def _spouse_missing(case: Case) -> list[str]:
    used = spouse_factors_used(case)
    if used is None:
        spouse = case.spouse
        field = "accompanying" if spouse.get("accompanying") is None else "canadian_status"
        return [case.ptr("spouse", field)]
    if not used:
        return []
    return [
        case.ptr("spouse", field)
        for field in ("education", "language", "canadian_skilled_work_years")
        if case.spouse.get(field) is None
    ]


def _window() -> int:
    return fsw_table()["thresholds"]["crs_window_years"]


def _arranged_employment_counts(case: Case) -> bool:
    rule = crs_table()["additional"]["arranged_employment"]
    return rule["until"] is None or case.today.isoformat() <= rule["until"]


def compute_crs(case: Case, jobs: list[Job], languages: Languages) -> dict:
    """The CRS breakdown (the schema's ``crs_breakdown``); call only when nothing is missing."""
    hours = tally(jobs, case.today, _window())
    facts = CrsFacts(
        age=case.age_today,
        education=case.economic["education"],
        languages=languages,
        canadian_years=hours.canadian_years,
        foreign_years=hours.foreign_years,
        with_spouse=bool(spouse_factors_used(case)),
        spouse=case.spouse or {},
    )
    column = "with_spouse" if facts.with_spouse else "without_spouse"
    core = _core(facts, column)
    spouse = _spouse(facts)
    transferability = _transferability(case, facts)
    additional = _additional(case, languages)
    total = (
        core["subtotal"] + spouse["subtotal"] + transferability["subtotal"] + additional["subtotal"]
    )
    return {
        "spouse_factors_used": facts.with_spouse,
        "core": core,
        "spouse": spouse,
        "skill_transferability": transferability,
        "additional": additional,
        "total": min(total, crs_table()["maximums"]["total"]),
    }


def _core(facts: CrsFacts, column: str) -> dict:
    table = crs_table()["core"]
    first_points = band_lookup(table["first_official_language_per_skill"], "min_clb", column)
    first = sum(first_points[level] for level in levels(facts.languages.first))
    second_points = band_lookup(table["second_official_language_per_skill"], "min_clb", "points")
    second = sum(second_points[level] for level in levels(facts.languages.second))
    parts = {
        "age": range_points(table["age"], facts.age, column),
        "education": table["education"][facts.education][column],
        "first_official_language": first,
        "second_official_language": min(second, table["second_official_language_cap"][column]),
        "canadian_work_experience": band_points(
            table["canadian_work_experience"], facts.canadian_years, "min_years", column
        ),
    }
    parts["subtotal"] = sum(parts.values())
    return parts


def _spouse(facts: CrsFacts) -> dict:
    parts = {"education": 0, "first_official_language": 0, "canadian_work_experience": 0}
    if facts.with_spouse:
        table = crs_table()["spouse"]
        spouse = facts.spouse
        parts["education"] = table["education"][spouse["education"]]
        parts["first_official_language"] = sum(
            band_lookup(table["language_per_skill"], "min_clb", "points")[level]
            for level in levels(spouse["language"])
        )
        parts["canadian_work_experience"] = band_points(
            table["canadian_work_experience"],
            spouse["canadian_skilled_work_years"],
            "min_years",
            "points",
        )
    parts["subtotal"] = min(sum(parts.values()), crs_table()["spouse"]["cap"])
    return parts


def _transferability(case: Case, facts: CrsFacts) -> dict:
    table = crs_table()["skill_transferability"]
    language = _language_column(facts.languages.first, table["language_levels"])
    canadian = (
        "canadian_2"
        if facts.canadian_years >= 2
        else "canadian_1"
        if facts.canadian_years == 1
        else None
    )
    education_row = table["education"][table["education_rows"][facts.education]]
    foreign_row_name = band_points(
        table["foreign_work_rows"], facts.foreign_years, "min_years", "row"
    )
    foreign_row = table["foreign_work"][foreign_row_name or "none"]
    parts = {
        "education": _bundle(education_row, language, canadian, table["bundle_cap"]),
        "foreign_work_experience": _bundle(foreign_row, language, canadian, table["bundle_cap"]),
        "certificate_of_qualification": _certificate(case, facts.languages.first, table),
    }
    parts["subtotal"] = min(sum(parts.values()), table["cap"])
    return parts


def _language_column(scores: dict | str | None, thresholds: dict) -> str | None:
    if all_at_least(scores, thresholds["clb9"]):
        return "clb9"
    if all_at_least(scores, thresholds["clb7"]):
        return "clb7"
    return None


def _bundle(row: dict, language: str | None, canadian: str | None, cap: int) -> int:
    points = (row[language] if language else 0) + (row[canadian] if canadian else 0)
    return min(points, cap)


def _certificate(case: Case, scores: dict | str | None, table: dict) -> int:
    if not case.economic.get("certificate_of_qualification"):
        return 0
    thresholds, points = table["language_levels"], table["certificate_of_qualification"]
    if all_at_least(scores, thresholds["clb7"]):
        return points["clb7"]
    if all_at_least(scores, thresholds["clb5"]):
        return points["clb5"]
    return 0


def _additional(case: Case, languages: Languages) -> dict:
    table = crs_table()["additional"]
    economic = case.economic
    french = table["french"]
    french_points = 0
    if all_at_least(languages.french, french["nclc_min"]):
        english_ok = all_at_least(languages.english, french["english_min"])
        french_points = french["with_english"] if english_ok else french["without_english"]
    arranged = 0
    if _arranged_employment_counts(case):
        arranged = table["arranged_employment"]["points"][
            economic.get("arranged_employment") or "none"
        ]
    parts = {
        "provincial_nomination": table["provincial_nomination"]
        if economic.get("provincial_nomination")
        else 0,
        "arranged_employment": arranged,
        "canadian_education": table["canadian_education"][economic["canadian_education"]],
        "french_language": french_points,
        "sibling_in_canada": table["sibling_in_canada"] if economic.get("sibling_in_canada") else 0,
    }
    parts["subtotal"] = min(sum(parts.values()), table["cap"])
    return parts
