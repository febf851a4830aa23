"""Reason templates of citizenship, spousal sponsorship and family sponsorship (engine modules
``citizenship``, ``spousal``, ``family``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

CITIZENSHIP_REASONS = {
    "CIT_ALREADY_CITIZEN": (_("The client is a Canadian citizen."),),
    "CIT_BIRTHPLACE_MISSING": (_("Whether the client was born in Canada is unknown."),),
    "CIT_BIRTH_DATE_MISSING": (
        _("The date of birth decides which citizenship rules apply to a birth in Canada."),
        _("The client's date of birth decides which descent rule applies."),
    ),
    "CIT_BORN_IN_CANADA": (_("Born in Canada on or after 1977-02-15: a citizen by birth."),),
    "CIT_DIPLOMAT_EXCEPTION": (
        _("Except a child of foreign diplomats when neither parent was a citizen or PR."),),
    "CIT_BORN_IN_CANADA_BEFORE_1977": (
        _("Born in Canada before 1977-02-15: earlier citizenship laws apply and need "
          "review."),),
    "CIT_PARENTS_MISSING": (
        _("A parent's citizenship at the client's birth can make the client a citizen."),),
    "CIT_PARENT_MISSING": (_("The client's %(relationship)s is not listed."),),
    "CIT_NO_ROUTE": (
        _("Not born in Canada, and no parent was a Canadian citizen at the client's birth."),),
    "CIT_PARENT_PRESUMED_CITIZEN": (
        _("The %(relationship)s was born in Canada, so presumed a citizen at the birth: "
          "verify."),),
    "CIT_PARENT_STATUS_MISSING": (
        _("Whether the client's %(relationship)s was a Canadian citizen at the birth is "
          "unknown."),),
    "CIT_ADOPTIVE_PARENT": (
        _("The citizen %(relationship)s is adoptive: a CA5.1 grant applies instead; "
          "review."),),
    "CIT_PARENT_RENOUNCED": (
        _("The %(relationship)s renounced or lost citizenship: the chain needs review."),),
    "CIT_RENUNCIATION_ASSUMED": (
        _("Assumed the %(relationship)s never renounced or lost citizenship: confirm."),),
    "CIT_PRE_1947_PARENT": (
        _("The %(relationship)s was born before 1947: pre-1947 rules need review."),),
    "CIT_DESCENT_BEFORE_1977": (
        _("Born abroad before 1977-02-15 to a citizen %(relationship)s: a citizen."),),
    "CIT_FIRST_GENERATION_PRE_C3": (
        _("Before 2025-12-15 the first-generation limit applied to a parent who is a citizen "
          "by descent: needs review."),),
    "CIT_DESCENT": (
        _("Born abroad before 2025-12-15 to a %(relationship)s who was a Canadian citizen at "
          "the birth: a citizen."),
        _("The %(relationship)s was born in Canada or naturalized, so the first-generation "
          "limit does not apply: a citizen."),
    ),
    "CIT_MULTI_GENERATION_CHAIN": (
        _("A multi-generation chain: prove every link, generation by generation."),),
    "CIT_DESCENT_CONNECTION": (
        _("The %(relationship)s spent at least 1,095 days in Canada before the birth: a "
          "citizen."),),
    "CIT_FIRST_GENERATION_LIMIT": (
        _("Born abroad on or after 2025-12-15 to a %(relationship)s who is a citizen by "
          "descent with fewer than 1,095 days in Canada before the birth (CA3(3))."),),
    "CIT_CONNECTION_MISSING": (
        _("The %(relationship)s's days in Canada before the birth decide CA3(3)."),),
}

SPOUSAL_REASONS = {
    "SPOUSE_STATUS_MISSING": (_("The spouse or partner's Canadian status is unknown."),),
    "SPOUSE_NOT_A_SPONSOR": (
        _("Only a Canadian citizen or permanent resident can sponsor a spouse or partner."),),
    "SPOUSE_FACTS_MISSING": (
        _("The client is married or common-law, but nothing is known about the partner."),),
    "NO_SPOUSE": (_("The client has no spouse or partner."),),
    "PROXY_MARRIAGE": (_("A proxy, telephone or online marriage does not count (R5(c))."),),
    "MARRIAGE_FORM_MISSING": (_("Whether both were present at the marriage is unknown."),),
    "CONJUGAL_PARTNER_REVIEW": (
        _("A conjugal partner must show that marrying or living together was impossible; "
          "marrying in person is an option. Genuineness is assessed (R4)."),),
    "COHABITATION_MISSING": (_("When the couple started living together is unknown."),),
    "COHABITATION_UNDER_ONE_YEAR": (
        _("A common-law partner must have lived with the sponsor for at least one year "
          "(R1(1))."),),
    "SPOUSAL_AGES_MISSING": (_("Both partners' ages are needed (18 or over)."),),
    "PARTNER_UNDER_18": (
        _("A person under 18 cannot be sponsored as, or sponsor, a spouse or partner."),),
    "SPONSOR_BARRED": (
        _("The sponsor was sponsored as a partner less than five years ago (R130(3))."),
        _("The sponsor is still bound by an undertaking for a previous partner "
          "(R117(9)(b))."),
        _("The sponsor is disqualified under R133(1)."),
    ),
    "SPONSOR_BAR_ASSUMED_ABSENT": (
        _("Not known, so taken as not barring: confirm (%(citation)s)."),
        _("Not known, so taken as not barring: confirm."),
    ),
    "SPONSOR_RESIDENCE_MISSING": (
        _("Where the sponsor lives is unknown."),
        _("Whether the sponsor lives in Canada is unknown."),
    ),
    "PR_SPONSOR_ABROAD": (_("A permanent resident must live in Canada to sponsor (R130(1))."),),
    "PR_RESIDENCY_OBLIGATION": (
        _("A permanent resident living abroad should check the residency obligation "
          "(A28)."),),
    "SPONSOR_RETURN_MISSING": (
        _("Whether the citizen sponsor will live in Canada when the client becomes a PR is "
          "unknown."),
        _("Whether the citizen parent will live in Canada is unknown (R130(2))."),
    ),
    "CITIZEN_SPONSOR_NOT_RETURNING": (
        _("A citizen living abroad can sponsor only if they will live in Canada (R130(2))."),),
    "QUEBEC_UNDERTAKING": (
        _("A sponsor in Quebec gives Quebec's own undertaking; Quebec rules need review."),),
    "PROVINCE_ASSUMED_NOT_QUEBEC": (
        _("The sponsor's province is not known: screened as outside Quebec."),
        _("The intended province is unknown: screened as outside Quebec."),
    ),
    "NOT_DECLARED_EXCLUDED": (
        _("The client was not declared and examined when the sponsor immigrated, so is "
          "excluded from the family class (R117(9)(d)); only H&C remains."),),
    "DECLARATION_ASSUMED": (
        _("Not known whether the client was declared when the sponsor immigrated: "
          "confirm."),),
    "SPOUSAL_CLASS": (
        _("A spouse or partner of a Canadian citizen or PR is in the family class; no income "
          "test applies (R133(4))."),),
    "SPONSOR_RESIDENCE": (
        _("The sponsor lives in Canada (R130(1))."),
        _("The citizen sponsor will live in Canada (R130(2))."),
    ),
    "PROCESSING_TIME": (
        _("Outland spousal sponsorship takes %(duration)s (as of %(date)s)."),),
}

# Conditions of the dependent-child and orphaned-relative routes (family._under_22 ...).
ROUTE_CONDITIONS = (
    _("The client's age decides the dependent-child route."),
    _("Aged 22 or over but dependent because of a condition: review."),
    _("Aged 22 or over, so not a dependent child (R2)."),
    _("A married or common-law child is not a dependent child (R2)."),
    _("The client's marital status decides the dependent-child route."),
    _("The client's age decides R117(1)(f)."),
    _("The client is 18 or over."),
    _("Whether both parents have died decides R117(1)(f)."),
    _("The %(relationship)s is not listed."),
    _("Whether the %(relationship)s is alive is unknown."),
    _("The %(relationship)s's whereabouts are unknown."),
    _("The %(relationship)s is not recorded as deceased."),
)

FAMILY_SPONSORSHIP_REASONS = {
    "RELATIVES_MISSING": (_("Relatives in Canada are unknown."),),
    "NO_SPONSOR": (
        _("No relative in Canada is a citizen or PR who could sponsor the client."),),
    "SPONSOR_STATUS_MISSING": (
        _("The Canadian status of the client's %(relationship)s is unknown."),),
    "CITIZEN_PARENT_SPONSORS_CHILD": (
        _("The citizen parent may sponsor the child as a dependent child (R130(2) if "
          "abroad)."),),
    "CA5_4_GRANT": (_("A discretionary citizenship grant may also be possible."),),
    "NOT_SPONSORABLE": (
        _("A %(relationship)s cannot sponsor the client in the family class."),
        # %(detail)s is one or more of the route conditions above.
        _("A %(relationship)s can sponsor only an orphaned relative under 18. %(detail)s"),
        *ROUTE_CONDITIONS,
    ),
    "LONELY_CANADIAN": (
        _("Only a sponsor with no closer relative at all could sponsor any relative."),),
    "SPONSOR_DISQUALIFIED": (_("The sponsor is disqualified (R133(1))."),),
    "SPONSOR_AGE_MISSING": (_("The sponsor's age is needed (18 or over)."),),
    "SPONSOR_UNDER_18": (_("A sponsor must be 18 or over (R130(1))."),),
    "SPONSOR_ABROAD": (_("The sponsor must live in Canada (R130(1))."),),
    "DEPENDENT_CHILD": (
        _("The client is a dependent child of a citizen or PR parent (R117(1)(b))."),),
    "AGE_22_BOUNDARY_WINDOW": (
        _("The client turns 22 on %(date)s, within 30 days of the screening date: review the "
          "age lock-in date."),),
    "PGP_INTAKE_PAUSED": (
        _("Ministerial Instructions %(number)s paused new parent and grandparent sponsorships "
          "from %(date)s until further notice."),),
    "PGP_CLASS": (
        _("Parent and grandparent sponsorship (%(citation)s) accepts no new applications "
          "now."),
        _("Parent and grandparent sponsorship (%(citation)s) depends on intake rounds, income "
          "tests and a 20-year undertaking: review."),
    ),
    "ORPHANED_RELATIVE": (
        _("An orphaned relative under 18 can be sponsored by a %(relationship)s "
          "(R117(1)(f))."),),
    "NOT_A_DEPENDENT_CHILD": ROUTE_CONDITIONS,
    "FAMILY_ROUTE_REVIEW": ROUTE_CONDITIONS,
    "FAMILY_ROUTE_FACTS_MISSING": ROUTE_CONDITIONS,
}

REASONS = {**CITIZENSHIP_REASONS, **SPOUSAL_REASONS, **FAMILY_SPONSORSHIP_REASONS}
