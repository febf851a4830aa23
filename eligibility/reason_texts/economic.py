"""Reason templates of Express Entry (FSW, CEC, FST), the Provincial Nominee Program and
temporary residence (engine modules ``express_entry``, ``fsw``, ``provincial``,
``temporary``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

# fsw.fsw_check: the met sentence, then each condition (several may be joined).
FSW_CONDITIONS = (
    _("Whether the credential is Canadian or has an ECA is unknown."),
    _("FSW needs a Canadian credential or an ECA under five years old."),
    _("The first official language test results are unknown."),
    _("FSW needs CLB %(clb)s or more in all four skills."),
    _("The work history is unknown."),
    _("FSW needs one year of continuous full-time skilled work (TEER 0-3) in the last 10 "
      "years."),
    _("At most %(points)s FSW selection points, below the pass mark of %(pass_mark)s."),
    _("Between %(low)s and %(high)s FSW points: the unknown factors decide the pass mark of "
      "%(pass_mark)s."),
    _("Family size and settlement funds decide the funds test."),
    _("Settlement funds below CAD %(amount)s for a family of %(size)s (figures of %(date)s)."),
    _("Settlement funds below CAD %(amount)s for a family of %(size)s (figures of %(date)s). "
      "A qualifying job offer may waive the funds: review."),
    _("Whether some work was authorized decides FSW."),
    _("FSW would be met only by counting unauthorized work; whether it counts is not settled "
      "(R75(2)(a)): review."),
)
CEC_CONDITIONS = (
    _("The work history is unknown."),
    _("Whether Canadian work was authorized decides CEC."),
    _("CEC needs one year of authorized skilled Canadian work in the last 3 years (not "
      "self-employed, not while a full-time student)."),
    _("The first official language test results are unknown."),
    _("CEC needs CLB 7 in all skills (CLB 5 for TEER 2 or 3 work)."),
)
FST_CONDITIONS = (
    _("The work history is unknown."),
    _("No skilled-trade work, so the Federal Skilled Trades program does not fit."),
    _("Skilled-trade work with a certificate of qualification or a job offer: the FST "
      "requirements need review."),
    _("A certificate of qualification or a job offer decides FST."),
    _("FST needs a certificate of qualification or a job offer."),
)

EXPRESS_ENTRY_REASONS = {
    "FACT_MISSING": (
        _("Education, language and work history are needed."),
        _("Education, language, work history and provincial ties are needed."),
    ),
    "FSW": (
        _("Meets the Federal Skilled Worker minimums with %(points)s of 100 selection points "
          "(pass mark %(pass_mark)s)."),),
    **{f"FSW_{outcome}": FSW_CONDITIONS for outcome in ("FACTS_MISSING", "NOT_MET", "REVIEW")},
    "CEC": (_("Meets the Canadian Experience Class minimums."),),
    **{f"CEC_{outcome}": CEC_CONDITIONS for outcome in ("FACTS_MISSING", "NOT_MET", "REVIEW")},
    "FST": FST_CONDITIONS,  # _emit's met case: FST never reaches it today
    **{f"FST_{outcome}": FST_CONDITIONS for outcome in ("FACTS_MISSING", "NOT_MET", "REVIEW")},
    "QUEBEC_SELECTS": (
        _("Quebec runs its own economic selection; Express Entry does not apply there."),),
    "UNAUTHORIZED_WORK_EXCLUDED": (
        _("Unauthorized work was left out of the experience and the CRS."),),
    "INVITATION_OUTLOOK": (
        _("Being in the pool is not an invitation. Recent cut-offs as of %(date)s: "
          "%(rounds)s; no general draw since %(last_draw)s."),),
}

PROVINCIAL_REASONS = {
    "QUEBEC_HAS_NO_PNP": (
        _("Quebec has no Provincial Nominee Program; it selects its own immigrants."),),
    "PROVINCIAL_NOMINATION": (
        _("A provincial nomination certificate supports a PR application as a provincial "
          "nominee (R87(2))."),),
    "NOMINATION_CRS_POINTS": (
        _("An Express Entry-aligned nomination also adds 600 CRS points."),),
    "PNP_STREAMS_VARY": (
        _("Provincial streams, job offers, provincial ties and paused allocations vary: a "
          "nomination would be needed (R87)."),),
}

TEMPORARY_REASONS = {
    "US_VISA_EXEMPT": (
        _("US nationals and US permanent residents need no visa to visit Canada."),),
    "US_ETA_EXEMPT": (
        _("They need no eTA either; a US permanent resident carries the green card and "
          "passport."),),
    "US_STATUS_MISSING": (_("The client's US status decides the visa rules."),),
    "LEAVING_CANADA_TEST": (
        _("The officer must be satisfied that the person will leave Canada at the end of the "
          "stay (A20(1)(b)); an intention to become a permanent resident is allowed (A22(2)), "
          "but US undocumented status, TPS, parole or a pending asylum case weigh against "
          "it."),),
    "TR_GUARDRAIL": (
        _("An intention to claim refugee protection must always be disclosed: a visa, eTA or "
          "visitor entry must never be used as a way to make a claim. Misrepresenting the "
          "purpose of a trip makes a person inadmissible for five years (A40)."),),
    "ETA_NEEDED_TO_FLY": (
        _("As a %(country)s citizen the client needs no visa, but needs an eTA to fly to "
          "Canada (R7.1)."),),
    "TRV_REQUIRED": (
        _("A temporary resident visa is required to visit, study or work in Canada "
          "(R7(1))."),),
    "CONDITIONAL_ETA": (
        _("A %(country)s citizen may fly with an eTA instead if they held a Canadian visa in "
          "the last 10 years or hold a valid US nonimmigrant visa; by land a visa is needed "
          "(R7.01)."),),
}

REASONS = {**EXPRESS_ENTRY_REASONS, **PROVINCIAL_REASONS, **TEMPORARY_REASONS}
