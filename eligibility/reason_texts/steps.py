"""The engine's next steps (written without a code) and its disclaimer, as templates.

The "Ask about …" steps the engine adds for each missing fact are not here: the screening
panel shows those facts as its own "Ask next" questions, labelled like the intake's fields.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

NEXT_STEPS = (
    # citizenship, gating
    _("Apply for a citizenship certificate (proof of citizenship) before travelling; do not "
      "make a refugee claim."),
    _("Apply for a citizenship certificate (proof of citizenship) before travelling."),
    _("Check that the permanent resident card or a PR travel document is valid."),
    _("Ask about a discretionary grant (CA5(4)) or dependent-child sponsorship."),
    # refugee claim, STCA exceptions
    _("Before any trip, confirm the plan with a lawyer or legal clinic. A claim is made by "
      "telling the officer at the port of entry (or an IRCC office inside Canada) that the "
      "person wants refugee protection."),
    _("Have a lawyer or RCIC review the flagged points before any trip."),
    _("Do not plan a refugee claim on these facts; review the other pathways with a lawyer or "
      "RCIC."),
    _("Do not plan a claim that the STCA bars; look at the other pathways with a lawyer or "
      "RCIC first."),
    _("Bring proof of the family relationship (for example both birth certificates) and of the "
      "relative's status in Canada; the relative may be interviewed."),
    _("Bring proof of age and of where the parents are; the IRB will designate a "
      "representative for a claimant under 18."),
    _("Bring the original Canadian document; it must not be one issued only for transit."),
    _("Bring every passport held."),
    _("Bring any US record of the refusal of entry."),
    _("A lawyer must document the death-penalty charge or conviction."),
    # PRRA, H&C
    _("Watch for the PRRA notification and apply within 15 days (R162)."),
    _("Gather evidence of establishment in Canada, family ties and the best interests of any "
      "child affected."),
    # sponsorship
    _("Marrying in person would make the marriage count."),
    _("Gather proof of the relationship (marriage certificate, photos, communications, proof "
      "of living together)."),
    _("Ask about a Super Visa (a long-term visitor visa for parents and grandparents)."),
    # provincial nominee
    _("Check the streams of the province where the client has a job offer or ties."),
)

DISCLAIMER = (
    _("Screening support for counsellors, not legal advice. Rules change often: confirm with a "
      "lawyer or RCIC. Rule set %(rules_version)s; law verified to about %(verified)s. "
      "Screened as of %(date)s."),
)
