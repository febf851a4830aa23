"""Forms of referrals: needs and province (suggestions), the draft's packet fields, and the
partner's answers. Input shape and validation only; the services save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from northstar.common.forms import SubmittedOnceForm
from referrals import packets
from referrals.models import DeclineReason, Province, ServiceType

NOTE_LENGTH = 2000
MESSAGE_LENGTH = 5000


class NeedsForm(forms.Form):
    """What the client needs (most important first) and where they will be."""

    needs = forms.MultipleChoiceField(label=_("Needs"), choices=ServiceType.choices,
                                      widget=forms.CheckboxSelectMultiple)
    province = forms.ChoiceField(label=_("Province or territory of destination"),
                                 required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Anywhere in Canada")), *Province.choices]


class DraftCreateForm(forms.Form):
    service = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PacketFieldsForm(forms.Form):
    """The optional fields of the service type's share profile, and a note for the partner.
    The minimum fields are always sent and are not choices."""

    fields = forms.MultipleChoiceField(label=_("Also share"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    coordinator_note = forms.CharField(
        label=_("Note for the partner"), required=False, max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shared with the partner. Write only what they need; no names."))

    def __init__(self, *args, service_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        profile = packets.share_profile(service_type)
        self.fields["fields"].choices = [(name, packets.field_label(name))
                                         for name in profile.optional]


class SendForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=128)


class AnswerNoteForm(forms.Form):
    note = forms.CharField(label=_("Note for the coordinator"), required=False,
                           max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=NOTE_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = forms.CharField(label=_("Note for the coordinator"), required=False,
                           max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class MessageForm(SubmittedOnceForm):
    body = forms.CharField(label=_("Message"), max_length=MESSAGE_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))


class PartnerMessageForm(MessageForm):
    is_progress_update = forms.BooleanField(label=_("This is a progress update"),
                                            required=False)
