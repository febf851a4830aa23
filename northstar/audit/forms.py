from django import forms
from django.utils.translation import gettext_lazy as _

from northstar.accounts.models import User


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=64)
    actor = forms.ModelChoiceField(label=_("Actor"), queryset=User.objects.all(), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
