"""Federal Skilled Worker minimums and the 67-point grid (README 4.11; R75, R76-R83).

Points are computed as a range: an unknown factor counts 0 at the low end and its maximum at
the high end. The pass mark is met when the low end reaches it, failed when the high end
cannot, and otherwise the unknown factors are missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import MET, MISSING, NOT_MET, REVIEW, Check, all_of
from .crs import spouse_factors_used
from .experience import YEAR, Job, tally
from .facts import Case, relative_age_range
from .language import Languages, all_at_least, levels, lowest
from .tables import (
    band_lookup,
    band_points,
    fsw_table,
    load,
    range_points,
    settlement_funds_required,
)


@dataclass
class Points:
    """A low-high range of FSW points and the facts that would narrow it."""

    case: Case
    low: int = 0
    high: int = 0
    missing: list[str] = field(default_factory=list)

    def add(self, points: int | None, maximum: int, where: tuple | list) -> None:
        """Add a known factor, or an unknown one worth 0 to ``maximum``.

        ``where`` is the fact's keys (a tuple, turned into a pointer only when unknown) or a
        list of pointers.
        """
        if points is None:
            self.high += maximum
            self.missing.extend([self.case.ptr(*where)] if isinstance(where, tuple) else where)
        else:
            self.low += points
            self.high += points


def fsw_check(
    case: Case, jobs: list[Job] | None, languages: Languages, categories: tuple[str, ...]
) -> Check:
    """All FSW conditions, counting the jobs of ``categories``."""
    table = fsw_table()
    hours = (
        tally(jobs, case.today, table["thresholds"]["fsw_window_years"], categories)
        if jobs is not None
        else None
    )
    points = fsw_points(case, hours, languages)
    conditions = [
        _credential(case),
        _language(languages, table["thresholds"]["fsw_language_min_clb"]),
        _experience(case, hours),
        _pass_mark(points, table["pass_mark"]),
        _funds(case),
    ]
    met = Check(
        MET,
        "R75(2)",
        f"Meets the Federal Skilled Worker minimums with {points.low} of 100 "
        f"selection points (pass mark {table['pass_mark']}).",
    )
    return all_of(conditions, met)


def _credential(case: Case) -> Check:
    recognized = case.economic.get("education_credential_recognized")
    if recognized is None:
        return Check(
            MISSING,
            "R75(2)(e)",
            "Whether the credential is Canadian or has an ECA is unknown.",
            [case.ptr("economic", "education_credential_recognized")],
        )
    if not recognized:
        return Check(
            NOT_MET, "R75(2)(e)", "FSW needs a Canadian credential or an ECA under five years old."
        )
    return Check(MET, "R75(2)(e)", "")


def _language(languages: Languages, minimum: int) -> Check:
    if languages.first is None:
        return Check(
            MISSING,
            "R75(2)(d)",
            "The first official language test results are unknown.",
            languages.missing_first,
        )
    if not all_at_least(languages.first, minimum):
        return Check(NOT_MET, "R75(2)(d)", f"FSW needs CLB {minimum} or more in all four skills.")
    return Check(MET, "R75(2)(d)", "")


def _experience(case: Case, hours) -> Check:
    if hours is None:
        return Check(
            MISSING,
            "R75(2)(a)",
            "The work history is unknown.",
            [case.ptr("economic", "work_history")],
        )
    if hours.longest_job >= YEAR:
        return Check(MET, "R75(2)(a)", "")
    return Check(
        NOT_MET,
        "R75(2)(a)",
        "FSW needs one year of continuous full-time skilled work (TEER 0-3) in the last 10 years.",
    )


def _pass_mark(points: Points, pass_mark: int) -> Check:
    if points.low >= pass_mark:
        return Check(MET, "R76(1)(a)", "")
    if points.high < pass_mark:
        return Check(
            NOT_MET,
            "R76(1)(a)",
            f"At most {points.high} FSW selection points, below the pass mark of {pass_mark}.",
        )
    return Check(
        MISSING,
        "R76(1)(a)",
        f"Between {points.low} and {points.high} FSW points: the unknown factors decide the "
        f"pass mark of {pass_mark}.",
        points.missing,
    )


def _funds(case: Case) -> Check:
    economic = case.economic
    size, funds = economic.get("family_size"), economic.get("settlement_funds_cad")
    if size is None or funds is None:
        paths = [
            case.ptr("economic", name)
            for name, value in (("family_size", size), ("settlement_funds_cad", funds))
            if value is None
        ]
        return Check(
            MISSING,
            "R76(1)(b)(i)",
            "Family size and settlement funds decide the funds test.",
            paths,
        )
    required = settlement_funds_required(int(size))
    if funds >= required:
        return Check(MET, "R76(1)(b)(i)", "")
    as_of = fsw_table()["settlement_funds"]["as_of"]
    text = (
        f"Settlement funds below CAD {required:,} for a family of {int(size)} (figures of {as_of})."
    )
    if economic.get("arranged_employment") in ("job_offer", "job_offer_noc_00"):
        return Check(
            REVIEW, "R76(1)(b)(i)", text + " A qualifying job offer may waive the funds: review."
        )
    return Check(NOT_MET, "R76(1)(b)(i)", text)


# -- the 67-point grid -------------------------------------------------------------------------
def fsw_points(case: Case, hours, languages: Languages) -> Points:
    """FSW selection points as a range (R78-R83)."""
    table = fsw_table()
    economic = case.economic
    points = Points(case)
    age = case.age_today
    points.add(
        None if age is None else range_points(table["age"], age, "points"),
        12,
        ("person", "date_of_birth"),
    )
    education = economic.get("education")
    points.add(
        None if education is None else table["education"][education],
        25,
        ("economic", "education"),
    )
    _language_points(points, languages, table)
    years = None if hours is None else hours.total_years
    points.add(
        None if years is None else band_points(table["experience"], years, "min_years", "points"),
        15,
        ("economic", "work_history"),
    )
    arranged = economic.get("arranged_employment")
    points.add(
        None if arranged is None else (table["arranged_employment"] if arranged != "none" else 0),
        table["arranged_employment"],
        ("economic", "arranged_employment"),
    )
    _adaptability(points, case, hours, table["adaptability"])
    return points


def _language_points(points: Points, languages: Languages, table: dict) -> None:
    first = None
    if languages.first is not None:
        lookup = band_lookup(table["first_language_per_skill"], "min_clb", "points")
        first = sum(lookup[level] for level in levels(languages.first))
    points.add(first, 24, languages.missing_first)
    second_rule = table["second_language"]
    second = None
    if languages.second is not None:
        floor = lowest(languages.second)
        second = second_rule["points"] if floor >= second_rule["min_clb_all_skills"] else 0
    points.add(second, second_rule["points"], languages.missing_second)


def _adaptability(points: Points, case: Case, hours, rules: dict) -> None:
    """R83 adaptability, capped at 10 (the cap applies to both ends of the range)."""
    part = Points(case)
    study = rules["canadian_study_levels"]
    own_study = case.economic.get("canadian_education")
    part.add(
        None if own_study is None else (rules["own_canadian_study"] if own_study in study else 0),
        rules["own_canadian_study"],
        ("economic", "canadian_education"),
    )
    years = None if hours is None else hours.canadian_years
    part.add(
        None if years is None else (rules["own_canadian_work_one_year"] if years >= 1 else 0),
        rules["own_canadian_work_one_year"],
        ("economic", "work_history"),
    )
    arranged = case.economic.get("arranged_employment")
    part.add(
        None if arranged is None else (rules["arranged_employment"] if arranged != "none" else 0),
        rules["arranged_employment"],
        ("economic", "arranged_employment"),
    )
    part.add(
        _relative_points(case, rules),
        rules["relative_in_canada"],
        ("relatives_in_canada",),
    )
    _spouse_adaptability(part, case, rules)
    cap = rules["cap"]
    points.low += min(part.low, cap)
    points.high += min(part.high, cap)
    points.missing.extend(part.missing)


def _relative_points(case: Case, rules: dict) -> int | None:
    relatives = case.relatives
    if relatives is None:
        return None
    statuses = load("anchor_statuses")
    for relative in relatives:
        if (
            relative["relationship"] in statuses["relative_points_relationships"]
            and relative.get("status") in statuses["sponsor_statuses"]
            and relative.get("resides_in_canada") is True
        ):
            ages = relative_age_range(relative, case.today, case.today)
            if ages is not None and ages[0] >= rules["relative_min_age"]:
                return rules["relative_in_canada"]
    return 0


def _spouse_adaptability(part: Points, case: Case, rules: dict) -> None:
    used = spouse_factors_used(case)
    if used is False:
        return
    spouse = case.spouse
    if used is None:
        maximum = (
            rules["spouse_language"]
            + rules["spouse_canadian_study"]
            + rules["spouse_canadian_work"]
        )
        part.add(None, maximum, ("spouse", "accompanying"))
        return
    language = spouse.get("language")
    part.add(
        None
        if language is None
        else (
            rules["spouse_language"]
            if all_at_least(language, rules["spouse_language_min_clb"])
            else 0
        ),
        rules["spouse_language"],
        ("spouse", "language"),
    )
    study = spouse.get("canadian_education") or "none"
    part.add(
        rules["spouse_canadian_study"] if study in rules["canadian_study_levels"] else 0,
        rules["spouse_canadian_study"],
        [],
    )
    work = spouse.get("canadian_skilled_work_years")
    part.add(
        None if work is None else (rules["spouse_canadian_work"] if work >= 1 else 0),
        rules["spouse_canadian_work"],
        ("spouse", "canadian_skilled_work_years"),
    )
