"""Select widgets and fields that render long option lists (countries, languages) fast.

Django renders each ``<option>`` through a template include and deep-copies every choice list
for every form instance; for a step with a few country lists that is over a second per page.
Here the option markup is built once per choice list and language (escaped), the selection
is marked by string substitution, and fields share their (immutable) choice lists.
"""

from __future__ import annotations

import copy
from collections import OrderedDict

from django import forms
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

_OPTIONS_CACHE: OrderedDict[tuple[int, str], tuple[object, str]] = OrderedDict()
OPTIONS_CACHE_SIZE = 512


def options_markup(choices) -> str:
    """The options of a (shared) choice list, rendered once per language. Bounded LRU; the
    entry keeps its list alive so an id is never reused for another list while cached."""
    key = (id(choices), translation.get_language() or "")
    cached = _OPTIONS_CACHE.get(key)
    if cached is not None and cached[0] is choices:
        _OPTIONS_CACHE.move_to_end(key)
        return cached[1]
    parts = []
    for option_value, label in choices:
        text = "" if option_value is None else str(option_value)
        parts.append(f'<option value="{escape(text)}">{escape(label)}</option>')
    markup = "".join(parts)
    _OPTIONS_CACHE[key] = (choices, markup)
    if len(_OPTIONS_CACHE) > OPTIONS_CACHE_SIZE:
        _OPTIONS_CACHE.popitem(last=False)
    return markup


class FastSelectMixin:
    def __deepcopy__(self, memo):
        # Django's ChoiceWidget copies (and re-normalises) its choices for every form
        # instance; these lists never change, so a copy shares them, and ``options_markup``
        # finds the markup it cached for the list.
        copied = copy.copy(self)
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        markup = options_markup(self.choices)
        for item in {str(item) for item in self.format_value(value)}:
            needle = f'<option value="{escape(item)}">'
            markup = markup.replace(needle, needle[:-1] + " selected>", 1)
        return mark_safe(f"<select{flatatt(final)}>{markup}</select>")


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


class SharedChoicesMixin:
    """Choice lists here never change after the field is built: copy the field, share them."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        if not isinstance(result.widget, FastSelectMixin):  # a fast select shares its own
            result.widget.choices = self._choices
        return result


class SharedChoiceField(SharedChoicesMixin, forms.TypedChoiceField):
    pass


class SharedMultipleChoiceField(SharedChoicesMixin, forms.TypedMultipleChoiceField):
    pass

