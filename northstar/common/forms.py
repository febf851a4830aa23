"""Small form pieces shared by the apps."""

from __future__ import annotations

import uuid

from django import forms


class SubmittedOnceForm(forms.Form):
    """A form whose submission is stored once, however often it is sent.

    Each form shown gets its own id in a hidden field; the service that stores the submission
    keeps that id (unique per parent object) and, given an id it has seen, returns what it
    stored instead of storing it again. That covers a double click and, above all, the answer
    lost after the commit (the database went away: the person saw "try again" and sent again).
    """

    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())
