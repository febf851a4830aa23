"""ISO 639-1 language codes and their English names (translatable).

The directory stores the two-letter codes; the names are for display and for the "why" of a
partner suggestion. The intake records a client's languages with the same codes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LANGUAGE_NAMES = {
    "aa": _("Afar"), "ab": _("Abkhazian"), "ae": _("Avestan"), "af": _("Afrikaans"),
    "ak": _("Akan"), "am": _("Amharic"), "an": _("Aragonese"), "ar": _("Arabic"),
    "as": _("Assamese"), "av": _("Avaric"), "ay": _("Aymara"), "az": _("Azerbaijani"),
    "ba": _("Bashkir"), "be": _("Belarusian"), "bg": _("Bulgarian"), "bi": _("Bislama"),
    "bm": _("Bambara"), "bn": _("Bengali"), "bo": _("Tibetan"), "br": _("Breton"),
    "bs": _("Bosnian"), "ca": _("Catalan"), "ce": _("Chechen"), "ch": _("Chamorro"),
    "co": _("Corsican"), "cr": _("Cree"), "cs": _("Czech"), "cu": _("Church Slavic"),
    "cv": _("Chuvash"), "cy": _("Welsh"), "da": _("Danish"), "de": _("German"),
    "dv": _("Divehi"), "dz": _("Dzongkha"), "ee": _("Ewe"), "el": _("Greek"),
    "en": _("English"), "eo": _("Esperanto"), "es": _("Spanish"), "et": _("Estonian"),
    "eu": _("Basque"), "fa": _("Persian"), "ff": _("Fulah"), "fi": _("Finnish"),
    "fj": _("Fijian"), "fo": _("Faroese"), "fr": _("French"), "fy": _("Western Frisian"),
    "ga": _("Irish"), "gd": _("Scottish Gaelic"), "gl": _("Galician"), "gn": _("Guarani"),
    "gu": _("Gujarati"), "gv": _("Manx"), "ha": _("Hausa"), "he": _("Hebrew"),
    "hi": _("Hindi"), "ho": _("Hiri Motu"), "hr": _("Croatian"), "ht": _("Haitian Creole"),
    "hu": _("Hungarian"), "hy": _("Armenian"), "hz": _("Herero"), "ia": _("Interlingua"),
    "id": _("Indonesian"), "ie": _("Interlingue"), "ig": _("Igbo"), "ii": _("Sichuan Yi"),
    "ik": _("Inupiaq"), "io": _("Ido"), "is": _("Icelandic"), "it": _("Italian"),
    "iu": _("Inuktitut"), "ja": _("Japanese"), "jv": _("Javanese"), "ka": _("Georgian"),
    "kg": _("Kongo"), "ki": _("Kikuyu"), "kj": _("Kuanyama"), "kk": _("Kazakh"),
    "kl": _("Kalaallisut"), "km": _("Khmer"), "kn": _("Kannada"), "ko": _("Korean"),
    "kr": _("Kanuri"), "ks": _("Kashmiri"), "ku": _("Kurdish"), "kv": _("Komi"),
    "kw": _("Cornish"), "ky": _("Kyrgyz"), "la": _("Latin"), "lb": _("Luxembourgish"),
    "lg": _("Ganda"), "li": _("Limburgish"), "ln": _("Lingala"), "lo": _("Lao"),
    "lt": _("Lithuanian"), "lu": _("Luba-Katanga"), "lv": _("Latvian"), "mg": _("Malagasy"),
    "mh": _("Marshallese"), "mi": _("Maori"), "mk": _("Macedonian"), "ml": _("Malayalam"),
    "mn": _("Mongolian"), "mr": _("Marathi"), "ms": _("Malay"), "mt": _("Maltese"),
    "my": _("Burmese"), "na": _("Nauru"), "nb": _("Norwegian Bokmål"),
    "nd": _("North Ndebele"), "ne": _("Nepali"), "ng": _("Ndonga"), "nl": _("Dutch"),
    "nn": _("Norwegian Nynorsk"), "no": _("Norwegian"), "nr": _("South Ndebele"),
    "nv": _("Navajo"), "ny": _("Chichewa"), "oc": _("Occitan"), "oj": _("Ojibwe"),
    "om": _("Oromo"), "or": _("Odia"), "os": _("Ossetian"), "pa": _("Punjabi"),
    "pi": _("Pali"), "pl": _("Polish"), "ps": _("Pashto"), "pt": _("Portuguese"),
    "qu": _("Quechua"), "rm": _("Romansh"), "rn": _("Kirundi"), "ro": _("Romanian"),
    "ru": _("Russian"), "rw": _("Kinyarwanda"), "sa": _("Sanskrit"), "sc": _("Sardinian"),
    "sd": _("Sindhi"), "se": _("Northern Sami"), "sg": _("Sango"), "si": _("Sinhala"),
    "sk": _("Slovak"), "sl": _("Slovenian"), "sm": _("Samoan"), "sn": _("Shona"),
    "so": _("Somali"), "sq": _("Albanian"), "sr": _("Serbian"), "ss": _("Swati"),
    "st": _("Southern Sotho"), "su": _("Sundanese"), "sv": _("Swedish"), "sw": _("Swahili"),
    "ta": _("Tamil"), "te": _("Telugu"), "tg": _("Tajik"), "th": _("Thai"),
    "ti": _("Tigrinya"), "tk": _("Turkmen"), "tl": _("Tagalog"), "tn": _("Tswana"),
    "to": _("Tongan"), "tr": _("Turkish"), "ts": _("Tsonga"), "tt": _("Tatar"),
    "tw": _("Twi"), "ty": _("Tahitian"), "ug": _("Uyghur"), "uk": _("Ukrainian"),
    "ur": _("Urdu"), "uz": _("Uzbek"), "ve": _("Venda"), "vi": _("Vietnamese"),
    "vo": _("Volapük"), "wa": _("Walloon"), "wo": _("Wolof"), "xh": _("Xhosa"),
    "yi": _("Yiddish"), "yo": _("Yoruba"), "za": _("Zhuang"), "zh": _("Chinese"),
    "zu": _("Zulu"),
}
LANGUAGE_CODES = frozenset(LANGUAGE_NAMES)


def language_name(code: str) -> str:
    """The (translated) name of an ISO 639-1 code, or the code itself when unknown."""
    name = LANGUAGE_NAMES.get(code)
    return str(name) if name is not None else code


def language_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by the translated name, for form fields."""
    return sorted(((code, str(name)) for code, name in LANGUAGE_NAMES.items()),
                  key=lambda pair: pair[1].casefold())


def validate_language_code(value: str) -> None:
    if value not in LANGUAGE_CODES:
        raise ValidationError(_("%(value)s is not an ISO 639-1 language code."),
                              code="language", params={"value": value})
