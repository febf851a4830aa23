"""Forms of the public help request page and of the counsellors' triage queue.

Every message is our own (not Django's defaults) so that it is translated into the four
client-facing languages, Haitian Creole included, which Django does not ship.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from intake.models import DismissReason, HelpContactMethod, HelpLanguage

TOO_LONG = _("Please keep this under %(limit_value)d characters.")
NOT_A_CHOICE = _("Please choose one of the options.")


class HelpRequestForm(forms.Form):
    """Minimal on purpose: only what a counsellor needs to call back safely."""

    name = forms.CharField(
        label=_("Your name, or a name we can call you"), max_length=100,
        help_text=_("It does not have to be your legal name."),
        error_messages={"required": _("Please tell us what to call you."),
                        "max_length": TOO_LONG})
    contact_method = forms.ChoiceField(
        label=_("How can we contact you safely?"), choices=HelpContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how we can contact you."),
                        "invalid_choice": NOT_A_CHOICE})
    contact_details = forms.CharField(
        label=_("Your phone number, e-mail, or who to contact"), max_length=200,
        help_text=_("Only give a contact that is safe for you. If we must not leave a "
                    "message, say so here."),
        error_messages={"required": _("Please tell us how to reach you."),
                        "max_length": TOO_LONG})
    preferred_language = forms.ChoiceField(
        label=_("Which language do you prefer?"), choices=HelpLanguage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a language."),
                        "invalid_choice": NOT_A_CHOICE})
    message = forms.CharField(
        label=_("In a few words, what do you need help with?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("No need for details, documents or your address: a counsellor will ask "
                    "what they need."),
        error_messages={"required": _("Please write a short message."),
                        "max_length": TOO_LONG})
    consent = forms.BooleanField(
        label=_("I agree that the Northstar Network keeps this message so that a counsellor "
                "can contact me."),
        error_messages={"required": _("Please tick this box so that we can keep your message "
                                      "and contact you.")})
    # The honeypot: hidden from people (CSS, aria-hidden, out of the tab order); bots fill it.
    website = forms.CharField(
        required=False, max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "contact_details", "message"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["contact_details"].widget.attrs["autocomplete"] = "off"

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def link_errors(self) -> None:
        """Point each invalid field at its error message (and its help) for screen readers.
        Call after validation."""
        for name in self.errors:
            if name not in self.fields or name in ("contact_method", "preferred_language",
                                                   "consent"):
                continue  # the template links the radio groups and the checkbox itself
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if bound.help_text:
                described.insert(0, f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


class DismissForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for dismissing"), choices=[("", "—"), *DismissReason.choices],
        error_messages={"required": _("Choose a reason.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-select"
