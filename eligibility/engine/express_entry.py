"""``express_entry``: FSW, CEC and FST pool eligibility plus the CRS score (README 4.11).

The best program wins. LIKELY_ELIGIBLE means eligible to enter the pool: invitations are
never predicted, only the recent cut-offs are shown with their as-of date.
"""

from __future__ import annotations

from functools import cache

from .checks import MET, MISSING, NOT_MET, REVIEW, Check, all_of
from .crs import compute_crs, crs_missing
from .experience import COUNTED, UNAUTHORIZED, UNKNOWN, YEAR, Job, jobs_in_window, read_jobs, tally
from .facts import Case
from .fsw import fsw_check
from .language import Languages, all_at_least, read_languages
from .model import ELIGIBLE, INELIGIBLE, Findings, best_route
from .model import MISSING as MISSING_INFO
from .model import REVIEW as NEEDS_REVIEW
from .registry import rule
from .tables import draw_cutoffs, fsw_table

PATHWAY = "express_entry"
EFFECTS = {MET: ELIGIBLE, NOT_MET: INELIGIBLE, REVIEW: NEEDS_REVIEW, MISSING: MISSING_INFO}


def assess_express_entry(case: Case) -> tuple[Findings, dict | None]:
    """Programs, Quebec, the invitation outlook caveat, and the CRS breakdown (or None)."""
    if case.economic is None:
        out = Findings()
        out.need(
            "FACT_MISSING",
            "R75(2)",
            "Education, language and work history are needed.",
            [case.ptr("economic")],
        )
        return out, None
    jobs = read_jobs(case)
    languages = read_languages(case)
    routes = []
    for program in (federal_skilled_worker, canadian_experience_class, federal_skilled_trades):
        route = Findings()
        program(case, route, jobs, languages)
        routes.append(route)
    out = best_route(routes)
    quebec_rule(case, out)
    _unauthorized_note(case, out, jobs)
    _invitation_outlook(out)
    missing = crs_missing(case, jobs, languages)
    if missing:
        out.missing.extend(missing)
        return out, None
    return out, compute_crs(case, jobs, languages)


def _emit(out: Findings, check: Check, code: str) -> None:
    """Turn a program check into reasons: the met sentence, or every failing condition."""
    if check.status == MET:
        out.add(code, check.citation, ELIGIBLE, check.text)
    elif check.status == MISSING:
        out.need(code + "_FACTS_MISSING", check.citation, check.text, check.paths)
    else:
        out.add(
            code + ("_NOT_MET" if check.status == NOT_MET else "_REVIEW"),
            check.citation,
            EFFECTS[check.status],
            check.text,
        )
        out.missing.extend(check.paths)


@rule("R75(2)", pathway=PATHWAY, in_force="2002-06-28")
def federal_skilled_worker(
    case: Case, out: Findings, jobs: list[Job] | None, languages: Languages
) -> None:
    """FSW, re-checked with unknown or unauthorized jobs when they could change the answer."""
    base = fsw_check(case, jobs, languages, (COUNTED,))
    if base.status != MET and jobs:
        base = _with_uncertain_jobs(case, jobs, languages, base)
    _emit(out, base, "FSW")


def _with_uncertain_jobs(case: Case, jobs: list[Job], languages: Languages, base: Check) -> Check:
    window = fsw_table()["thresholds"]["fsw_window_years"]
    unknown = jobs_in_window(jobs, case.today, window, UNKNOWN)
    if unknown and fsw_check(case, jobs, languages, (COUNTED, UNKNOWN)).status != NOT_MET:
        paths = [case.ptr("economic", "work_history", job.index, "authorized") for job in unknown]
        return Check(
            MISSING,
            "R75(2)(a)",
            "Whether some work was authorized decides FSW.",
            paths + (base.paths if base.status == MISSING else []),
        )
    unauthorized = jobs_in_window(jobs, case.today, window, UNAUTHORIZED)
    if (
        unauthorized
        and fsw_check(case, jobs, languages, (COUNTED, UNKNOWN, UNAUTHORIZED)).status == MET
    ):
        return Check(
            REVIEW,
            "R75(2)(a)",
            "FSW would be met only by counting unauthorized work; whether it counts is not "
            "settled (R75(2)(a)): review.",
        )
    return base


@rule("R87.1(2)", pathway=PATHWAY, in_force="2008-09-17")
def canadian_experience_class(
    case: Case, out: Findings, jobs: list[Job] | None, languages: Languages
) -> None:
    """CEC: a year of skilled, authorized Canadian work in 3 years and the language threshold."""
    thresholds = fsw_table()["thresholds"]
    years = thresholds["cec_window_years"]
    if jobs is None:
        check = Check(
            MISSING,
            "R87.1(2)",
            "The work history is unknown.",
            [case.ptr("economic", "work_history")],
        )
    else:
        hours = tally(jobs, case.today, years)
        check = all_of(
            [
                _cec_experience(case, jobs, hours.canadian),
                _cec_language(languages, hours, thresholds),
            ],
            Check(MET, "R87.1(2)", "Meets the Canadian Experience Class minimums."),
        )
    _emit(out, check, "CEC")


def _cec_experience(case: Case, jobs: list[Job], canadian_hours) -> Check:
    if canadian_hours >= YEAR:
        return Check(MET, "R87.1(2)", "")
    years = fsw_table()["thresholds"]["cec_window_years"]
    unknown = [job for job in jobs_in_window(jobs, case.today, years, UNKNOWN) if job.canadian]
    if unknown:
        paths = [case.ptr("economic", "work_history", job.index, "authorized") for job in unknown]
        return Check(
            MISSING, "R87.1(2)", "Whether Canadian work was authorized decides CEC.", paths
        )
    return Check(
        NOT_MET,
        "R87.1(2)",
        "CEC needs one year of authorized skilled Canadian work in the last 3 years "
        "(not self-employed, not while a full-time student).",
    )


def _cec_language(languages: Languages, hours, thresholds: dict) -> Check:
    if languages.first is None:
        return Check(
            MISSING,
            "R87.1(2)",
            "The first official language test results are unknown.",
            languages.missing_first,
        )
    if all_at_least(languages.first, thresholds["cec_language_min_clb_teer_0_1"]):
        return Check(MET, "R87.1(2)", "")
    teer_2_3_ok = hours.canadian_teer_2_3 >= YEAR
    if teer_2_3_ok and all_at_least(languages.first, thresholds["cec_language_min_clb_teer_2_3"]):
        return Check(MET, "R87.1(2)", "")
    return Check(NOT_MET, "R87.1(2)", "CEC needs CLB 7 in all skills (CLB 5 for TEER 2 or 3 work).")


@rule("R87.2", pathway=PATHWAY, in_force="2013-01-02")
def federal_skilled_trades(
    case: Case, out: Findings, jobs: list[Job] | None, languages: Languages
) -> None:
    """FST: a skilled trade plus a certificate of qualification or a job offer needs review."""
    if jobs is None:
        path = [case.ptr("economic", "work_history")]
        check = Check(MISSING, "R87.2", "The work history is unknown.", path)
    elif not any(job.skilled_trade for job in jobs):
        text = "No skilled-trade work, so the Federal Skilled Trades program does not fit."
        check = Check(NOT_MET, "R87.2", text)
    else:
        check = _trade_credentials(case)
    _emit(out, check, "FST")


def _trade_credentials(case: Case) -> Check:
    economic = case.economic
    certificate = economic.get("certificate_of_qualification")
    arranged = economic.get("arranged_employment")
    if certificate or arranged in ("job_offer", "job_offer_noc_00"):
        text = (
            "Skilled-trade work with a certificate of qualification or a job offer: the FST "
            "requirements need review."
        )
        return Check(REVIEW, "R87.2", text)
    if certificate is None or arranged is None:
        names = ("certificate_of_qualification", "arranged_employment")
        paths = [case.ptr("economic", name) for name in names if economic.get(name) is None]
        text = "A certificate of qualification or a job offer decides FST."
        return Check(MISSING, "R87.2", text, paths)
    return Check(NOT_MET, "R87.2", "FST needs a certificate of qualification or a job offer.")


@rule("A9(1)", pathway=PATHWAY, in_force="2002-06-28")
def quebec_rule(case: Case, out: Findings) -> None:
    """Quebec selects its own economic immigrants."""
    province = case.economic.get("intended_province")
    if province == "QC":
        out.add(
            "QUEBEC_SELECTS",
            "A9(1)",
            NEEDS_REVIEW,
            "Quebec runs its own economic selection; Express Entry does not apply there.",
        )
    elif province is None:
        out.caveat(
            "PROVINCE_ASSUMED_NOT_QUEBEC",
            "A9(1)",
            "The intended province is unknown: screened as outside Quebec.",
        )


def _unauthorized_note(case: Case, out: Findings, jobs: list[Job] | None) -> None:
    window = fsw_table()["thresholds"]["crs_window_years"]
    if jobs and jobs_in_window(jobs, case.today, window, UNAUTHORIZED):
        out.caveat(
            "UNAUTHORIZED_WORK_EXCLUDED",
            "R75(2)(a)",
            "Unauthorized work was left out of the experience and the CRS.",
        )


def _invitation_outlook(out: Findings) -> None:
    out.caveat("INVITATION_OUTLOOK", "A10.3", _outlook_text())


@cache
def _outlook_text() -> str:
    """Recent cut-offs from configuration, with their as-of date (A10.3)."""
    cutoffs = draw_cutoffs()
    recent = "; ".join(
        f"{row['type']} {row['range']} ({row['period']})" for row in cutoffs["rounds"][:4]
    )
    return (
        "Being in the pool is not an invitation. "
        f"Recent cut-offs as of {cutoffs['as_of']}: {recent}; "
        f"no general draw since {cutoffs['last_general_draw']['date']}."
    )
