"""Reason templates of the refugee claim, the STCA and its exceptions, the PRRA, H&C, the
gating and the overlays shared by every pathway (engine modules ``refugee``,
``refugee_timing``, ``stca``, ``stca_exceptions``, ``stca_family``, ``prra``,
``humanitarian``, ``overlays``, ``registry``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

# -- STCA exceptions: the sentences of each check (stca_exceptions, stca_family) ---------------
EXCEPTION_MET = {
    "family_member": (
        _("Your %(label)s is %(status)s in Canada (%(citation)s)."),
        _("Your %(label)s is %(status)s and is 18 or over (%(citation)s)."),
        _("Your %(label)s holds a valid permit and is 18 or over (%(citation)s)."),
    ),
    "unaccompanied_minor": (
        _("You are under 18, travelling without a parent or legal guardian, unmarried, and no "
          "parent or legal guardian is in Canada or the United States (R159.5(e))."),
    ),
    "document_holder": (
        _("You hold a %(document)s valid on the claim date (%(citation)s)."),
    ),
    "visa_exempt_canada_not_us": (
        _("As a %(country)s citizen you may enter Canada without a visa but would need one for "
          "the United States (R159.5(g))."),
    ),
    "refused_entry_to_us": (
        _("You are re-entering Canada after the United States refused you entry without "
          "adjudicating a refugee claim (R159.5(h)(i))."),
    ),
    "death_penalty": (
        _("You are charged with or convicted of an offence punishable by death (R159.6)."),
    ),
}
EXCEPTION_REVIEW = (
    _("Your %(relationship)s's whereabouts are unknown: R159.5(e) needs review."),
    _("You have a spouse or partner: under R5(a) a person under 18 cannot be one, so "
      "R159.5(e) needs review."),
    _("An informal carer is in Canada or the United States: whether they are a legal guardian "
      "under R159.1 needs review."),
    _("A %(document)s is not listed in R159.5(f); whether the approval came with a visa needs "
      "review."),
    _("Your %(document)s expires on %(date)s, before the claim date: whether an expired "
      "document still meets %(citation)s needs review."),
    _("%(country)s citizens are visa-exempt only with certain passports (%(basis)s): R159.5(g) "
      "needs review."),
    _("Whether a %(country)s citizen needs a US visa is not in the rule tables: R159.5(g) needs "
      "review."),
    _("A pending charge may carry the death penalty: R159.6 needs review."),
    _("Your %(label)s would meet %(citation)s, but the relationship (step, half or adoptive) "
      "must be checked against the R159.1 definition."),
    _("Your %(label)s is %(status)s: %(citation)s needs review."),
    _("Your %(label)s holds a permit after a rejected claim; whether it is still valid (R209) "
      "needs review."),
    _("Your %(label)s is %(status)s; they may be 17 or 18 on the claim date (%(citation)s "
      "needs 18 or over)."),
    _("Your %(label)s holds a valid permit; they may be 17 or 18 on the claim date "
      "(%(citation)s needs 18 or over)."),
)
EXCEPTION_MISSING = (
    _("The client's date of birth decides R159.5(e) (under 18 on the claim date)."),
    _("Whether a parent or legal guardian travels with you decides R159.5(e)."),
    _("Where your mother, father and any legal guardian are decides R159.5(e)."),
    _("Both your mother and your father must be listed (README 2.2) to decide R159.5(e)."),
    _("Where your %(relationship)s is decides R159.5(e)."),
    _("How your guardian in Canada or the US holds custody decides R159.5(e)."),
    _("The Canadian documents you hold are unknown (R159.5(f))."),
    _("Whether your %(document)s was issued only for transit is unknown."),
    _("The expiry date of your %(document)s is unknown."),
    _("Criminal charges are unknown; a death-penalty charge would meet R159.6."),
    _("Whether any charge carries the death penalty is unknown (R159.6)."),
    _("Relatives in Canada are unknown; a family member there may meet R159.5(a)-(d)."),
    _("The client's age decides whether a legal guardian counts (R159.1)."),
    _("Whether your %(label)s will be physically in Canada on the claim date is unknown."),
    _("The Canadian status of your %(label)s is unknown."),
    _("Which permit your %(label)s holds is unknown (R159.5(d))."),
    _("Whether the permit of your %(label)s is valid on the claim date is unknown."),
    _("Your %(label)s is %(status)s; their age on the claim date decides %(citation)s (18 or "
      "over)."),
    _("Your %(label)s holds a valid permit; their age on the claim date decides %(citation)s "
      "(18 or over)."),
)

STCA_REASONS = {
    "STCA_ENTRY_MODE_MISSING": (
        _("How the client would enter Canada decides whether the STCA applies."),),
    "STCA_NOT_IN_FORCE": (_("The STCA was not in force on the claim date."),),
    "STCA_NATIONALITY_MISSING": (
        _("Citizenships and statelessness decide whether the STCA can reach the claim."),),
    "STCA_OUT_US_NATIONAL": (
        _("The STCA does not reach a US national: the United States is a country of their "
          "nationality."),),
    "STCA_US_CHILD_FAMILY_SEPARATION": (
        _("A US-citizen child is outside the STCA even when the parents are not: the family "
          "must decide together whether the child claims alone (family separation)."),),
    "STCA_HABITUAL_RESIDENCE_MISSING": (
        _("For a stateless client, the countries of former habitual residence decide the "
          "STCA."),),
    "STCA_OUT_STATELESS_US_RESIDENCE": (
        _("The STCA does not reach a stateless person whose former habitual residence is the "
          "United States."),),
    "STCA_IN_LAND_PORT": (
        _("A claim made at a land port of entry is within the STCA unless an exception "
          "applies."),),
    "ENTRY_MODE_UNDECIDED": (
        _("The entry plan is undecided, so it was screened as a land port of entry."),),
    "STCA_OUT_HARBOUR": (
        _("The STCA does not apply at a harbour port of entry or ferry landing."),),
    "STCA_OUT_INLAND": (
        _("The STCA does not apply to a claim made inside Canada (not at a port of entry)."),
        _("A claim made inside Canada after entering at a port of entry is outside the "
          "STCA."),
    ),
    "INLAND_CLAIM_MISREPRESENTATION_RISK": (
        _("Entering as a visitor while already intending to claim refugee protection is "
          "misrepresentation (A40): an intention to claim must always be disclosed to the "
          "officer. This needs a lawyer's review."),),
    "STCA_BETWEEN_PORTS_DATES_MISSING": (
        _("The entry and claim dates decide whether the STCA reaches a between-ports "
          "entry."),),
    "STCA_IN_BETWEEN_PORTS": (
        _("A claim made less than 14 days after entering between ports of entry is within the "
          "STCA unless an exception applies."),),
    "STCA_OUT_BETWEEN_PORTS": (
        _("The STCA does not reach this claim made after entering away from a port of "
          "entry."),),
    "STCA_IN_AIRPORT_TRANSIT": (
        _("A person being removed by the US and in transit at a Canadian airport is within the "
          "STCA; only R159.6 can take the claim out."),),
    "STCA_OUT_AIRPORT": (_("The STCA does not apply to a claim made at an airport."),),
    **{f"STCA_EXCEPTION_{name.upper()}": texts for name, texts in EXCEPTION_MET.items()},
    "STCA_EXCEPTION_NEEDS_REVIEW": EXCEPTION_REVIEW,
    "STCA_EXCEPTION_FACTS_MISSING": EXCEPTION_MISSING,
    "STCA_APPLIES": (
        _("The STCA applies and no exception is established: the claim would be found "
          "ineligible and the person returned to the United States, with no PRRA (A112(2)(b), "
          "A115(3))."),),
    "STCA_RELATIVE_NOT_IN_CANADA": (
        _("Your %(label)s is %(status)s but will not be in Canada on the claim date; "
          "%(citation)s would apply if they are in Canada that day."),),
    "AGE_BOUNDARY_WINDOW": (
        _("You turn 18 on %(date)s, within 30 days of the claim date: R159.5(e) needs "
          "review."),
        _("The family member turns 18 on %(date)s, within 30 days of the claim date: the age "
          "condition of %(citation)s needs review."),
    ),
}

REFUGEE_CLAIM_REASONS = {
    "A99_3_FACT_MISSING": (
        _("Whether a Canadian removal order is in force is unknown (A99(3))."),),
    "A99_3_REMOVAL_ORDER": (
        _("A person subject to a removal order in Canada cannot make a refugee claim "
          "(A99(3))."),),
    "A101_1_A_PROTECTION_CONFERRED": (
        _("Refugee protection was already conferred in Canada, so a new claim is "
          "ineligible."),),
    "A101_1_A_FACT_MISSING": (
        _("Whether the client is already a protected person in Canada is unknown."),),
    "A101_1_B_PRIOR_REJECTION": (
        _("An earlier refugee claim in Canada was rejected by the IRB."),),
    "A101_1_C_FACT_MISSING": (
        _("Earlier refugee claims in Canada are unknown (A101(1)(a)-(c))."),
        _("The outcome of an earlier Canadian claim is unknown."),
    ),
    "A101_1_C_PENDING_CLAIM": (
        _("An earlier Canadian claim is still pending: how it affects a new claim needs "
          "review."),),
    "A101_1_C_PRIOR_CLAIM": (_("An earlier Canadian claim was %(claim_outcome)s."),),
    "R159_01_FACT_MISSING": (
        _("Which ground made the earlier claim ineligible decides the R159.01 carve-out."),),
    "R159_01_CARVE_OUT": (
        _("The earlier claim was ineligible only under the STCA and the US refused entry "
          "without adjudicating a claim, so it is not a prior claim (R159.01)."),),
    "A101_1_C1_FACT_MISSING": (
        _("Refugee or asylum claims made in other countries are unknown (A101(1)(c.1))."),),
    "A101_1_C1_PRIOR_CLAIM_ABROAD": (
        _("A pending US asylum case or asylee status means an asylum claim was made in the "
          "United States, which makes a Canadian claim ineligible whatever its outcome."),
        _("A refugee or asylum claim made in %(country)s (an information-sharing country) "
          "makes a Canadian claim ineligible, whatever its outcome."),
    ),
    "A101_1_C1_US_REFUGEE_REVIEW": (
        _("Resettlement as a refugee in the US may count as a prior claim: needs review."),),
    "A101_1_C1_REVIEW": (
        _("An earlier proceeding in %(country)s of an unclear kind (credible fear, "
          "withholding, CAT or other) may count as a claim for refugee protection: needs "
          "review."),
        _("A claim made in %(country)s bars a Canadian claim only if confirmed under an "
          "information-sharing arrangement: needs review."),
    ),
    "A101_1_D_FACT_MISSING": (
        _("Whether another country granted refugee status or asylum is unknown "
          "(A101(1)(d))."),),
    "A101_1_D_RECOGNIZED_ELSEWHERE": (
        _("Refugee status was granted by %(country)s and the client can be returned "
          "there."),),
    "A101_1_D_REVIEW": (
        _("Refugee status was granted by %(country)s; whether return is possible needs "
          "review."),),
    "A101_1_D_US_ASYLEE_REVIEW": (
        _("As a US asylee, whether the client can be returned to the US needs review."),),
    "A101_1_F_CRIMINALITY_REVIEW": (
        _("Criminal or security facts: a claim is ineligible if the person is determined "
          "inadmissible on those grounds (10-year maximum for serious criminality). A lawyer "
          "must review."),),
    "A105_EXTRADITION_REVIEW": (
        _("Extradition proceedings can suspend a refugee claim (A105): a lawyer must "
          "review."),),
    "RC_MERITS_NOT_ASSESSED": (
        _("This screens referral eligibility only. The merits are decided by the IRB against "
          "the countries of nationality (or former habitual residence if stateless), never "
          "the US."),),
    "RC_MINOR_DESIGNATED_REPRESENTATIVE": (
        _("A claimant under 18 has a representative designated by the IRB (A167(2))."),),
    "RC_STATELESS_PROOF": (
        _("Statelessness and the former habitual residence must be proven."),),
    "CLAIM_DATE_ASSUMED": (
        _("No claim date was given: screened as if the claim were made on the screening "
          "date."),),
    # refugee_timing
    "A101_1_B1_FACT_MISSING": (
        _("Earlier entries to Canada decide the one-year rule (A101(1)(b.1))."),
        _("The claim date decides the one-year rule (A101(1)(b.1))."),
        _("Earlier entries to Canada may start the one-year period sooner (A101(1)(b.1))."),
    ),
    "A101_1_B1_ONE_YEAR_RULE": (
        _("The claim would be made more than one year after the first entry after 2020-06-24 "
          "(%(date)s; the year ended %(deadline)s). No exception exists."),),
    "A101_1_B1_BOUNDARY_WINDOW": (
        _("The claim date is within 3 days of the one-year deadline (%(deadline)s): the "
          "counting and the entry dates need review."),),
    "A101_1_B2_BETWEEN_PORTS_LATE": (
        _("The claim would be made %(days)s days after entering between ports of entry; from "
          "14 days on, A101(1)(b.2) makes it ineligible and no exception of any kind saves "
          "it."),),
    "BETWEEN_PORTS_DATES_MISSING": (
        _("The entry and claim dates decide the between-ports rules."),),
    "A104_1_A_REFERRED_CLAIM_REVIEW": (
        _("The claim was already referred before 2026-03-26: whether IRCC/CBSA will terminate "
          "it by notice under A104(1)(a) is unverified and needs review."),),
    "FOURTEEN_DAY_BOUNDARY_WINDOW": (
        _("The claim would be made %(days)s days after entry, near the 14-day limit: the "
          "counting and the proof of the entry date (the claimant's burden) need review."),),
    "BETWEEN_PORTS_CONSEQUENCES": (
        _("An entry away from a port of entry is never advised: a claim made within 14 days "
          "is subject to the STCA, and a claim made 14 or more days later is ineligible under "
          "A101(1)(b.2) with no exception. A claimant who meets an STCA exception should "
          "present at a land port of entry."),
        _("An entry away from a port of entry is never advised: a claim made within 14 days "
          "is subject to the STCA. A claimant who meets an STCA exception should present at "
          "a land port of entry."),
    ),
    # registry: a rule keyed to the claim date, with no claim date
    "CLAIM_DATE_DECIDES_RULE": (
        _("Whether %(citation)s reaches this claim depends on the claim date (claims made on "
          "or after %(date)s)."),),
}

PRRA_REASONS = {
    "A112_2_A_EXTRADITION": (
        _("No PRRA for a person subject to an authority to proceed under the Extradition "
          "Act."),),
    "A112_2_B_STCA_RETURN": (
        _("A claim barred by the STCA leads to a return to the United States with no PRRA "
          "(A112(2)(b))."),),
    "A112_2_1_EXEMPTIONS": (
        _("Some countries are exempted from the 12-month bars (A112(2.1)): check IRCC's "
          "list."),),
    "PRRA_HISTORY_MISSING": (
        _("Earlier Canadian claims and PRRA applications decide the 12-month bars."),),
    **{code: (
        _("The date of the final %(decision)s decision decides the 12-month bar."),
        _("Less than 12 months since the final %(decision)s decision (%(date)s): no PRRA "
          "until %(end)s."),
    ) for code in ("A112_2_B1_RECENT_DECISION", "A112_2_C_RECENT_PRRA")},
    "PRRA_LOCATION_MISSING": (_("Whether the client is in Canada decides the PRRA."),),
    "R160_PRRA_ON_NOTICE": (
        _("Under a removal order in Canada, a PRRA can be applied for once IRCC gives notice "
          "(R160); applying within 15 days of notification stays removal (R162)."),),
    "PRRA_STCA_UNDETERMINED": (
        _("Whether the STCA bars the claim (and so the PRRA, A112(2)(b)) needs review."),
        _("Whether the STCA bars the claim (and so the PRRA, A112(2)(b)) depends on missing "
          "facts."),
    ),
    "A112_1_AVAILABLE_LATER": (
        _("A PRRA cannot be applied for from the United States. It would open only if the "
          "person is later in Canada under a removal order in force and is notified (A112(1), "
          "R160)."),),
    "A113_01_MANDATORY_HEARING": (
        _("If A101(1)(c.1) is the only ground of ineligibility, a later PRRA includes a "
          "mandatory oral hearing (A113.01)."),),
}

HUMANITARIAN_REASONS = {
    "HC_LOCATION_MISSING": (
        _("Where the client is now decides whether H&C can be asked from inside Canada."),),
    "HC_WITH_PR_VISA_APPLICATION": (
        _("Excluded from the family class under R117(9)(d): H&C can be asked together with a "
          "permanent resident visa application (A25(1))."),),
    "HC_STCA_RETURN": (
        _("The STCA would return the person to the United States, so an H&C request from "
          "inside Canada is not a realistic option (A25(1))."),),
    "HC_FOLLOWS_REFUGEE_CLAIM": (
        _("H&C depends on the refugee-claim screening, which lacks facts."),),
    "HC_NOT_APPLICABLE": (_("H&C does not apply here."),),
    "HC_IN_CANADA": (
        _("In Canada, H&C can be asked with an application for permanent residence "
          "(A25(1))."),),
    "HC_A25_1_2_BARS": (
        _("H&C cannot be asked while a refugee claim is pending at the IRB, or within 12 "
          "months of a negative decision, with exceptions for medical risk and children's "
          "interests."),),
    "HC_POSSIBLE_LATER": (
        _("H&C could be asked later from inside Canada (A25(1)), after the bars of "
          "A25(1.2)(b) and (c): not while a refugee claim is pending, nor within 12 months of "
          "a negative decision."),),
}

SHARED_REASONS = {
    "GATED_CANADIAN_STATUS": (
        _("A Canadian citizen has the right to enter Canada: get proof of citizenship first; "
          "this pathway is not needed."),
        _("A permanent resident has the right to enter Canada; this pathway is not needed."),
    ),
    "OVERLAY_FACTS_MISSING": (
        _("Criminal history and any past deportation from Canada must be known for this "
          "pathway."),),
    "CRIMINALITY_REVIEW": (
        _("Criminal or security facts may restrict a PRRA to a risk-only assessment giving a "
          "stay, not protection (A112(3)): a lawyer must review."),
        _("Criminal or security facts weigh on an H&C request; some bar it: a lawyer must "
          "review."),
        _("A charge or conviction may make the client inadmissible for %(offence)s: a lawyer "
          "must review."),
        _("%(concern)s may make the client inadmissible: a lawyer must review."),
    ),
    "DEPORTATION_ARC_REVIEW": (
        _("A past deportation from Canada requires an Authorization to Return to Canada "
          "(A52(1)): needs review."),),
}

REASONS = {**STCA_REASONS, **REFUGEE_CLAIM_REASONS, **PRRA_REASONS, **HUMANITARIAN_REASONS,
           **SHARED_REASONS}
