"""Languages an event can be in: the ISO 639-1 codes, their English names, and the
stemmer each one's words are searched with. Plain data, no Django: the parser reads it.

An event's language is its two-letter code ("fr"); "" means not said (the archive then
treats the text as English, as it always has).
"""

from __future__ import annotations

import re

# ISO 639-1, every two-letter code, with the English name the event page shows.
NAMES = {
    "aa": "Afar", "ab": "Abkhazian", "ae": "Avestan", "af": "Afrikaans", "ak": "Akan", "am": "Amharic",
    "an": "Aragonese", "ar": "Arabic", "as": "Assamese", "av": "Avaric", "ay": "Aymara", "az": "Azerbaijani",
    "ba": "Bashkir", "be": "Belarusian", "bg": "Bulgarian", "bi": "Bislama", "bm": "Bambara", "bn": "Bengali",
    "bo": "Tibetan", "br": "Breton", "bs": "Bosnian",
    "ca": "Catalan", "ce": "Chechen", "ch": "Chamorro", "co": "Corsican", "cr": "Cree", "cs": "Czech",
    "cu": "Church Slavic", "cv": "Chuvash", "cy": "Welsh",
    "da": "Danish", "de": "German", "dv": "Divehi", "dz": "Dzongkha",
    "ee": "Ewe", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian", "ff": "Fulah", "fi": "Finnish", "fj": "Fijian", "fo": "Faroese", "fr": "French",
    "fy": "Western Frisian",
    "ga": "Irish", "gd": "Scottish Gaelic", "gl": "Galician", "gn": "Guarani", "gu": "Gujarati", "gv": "Manx",
    "ha": "Hausa", "he": "Hebrew", "hi": "Hindi", "ho": "Hiri Motu", "hr": "Croatian", "ht": "Haitian Creole",
    "hu": "Hungarian", "hy": "Armenian", "hz": "Herero",
    "ia": "Interlingua", "id": "Indonesian", "ie": "Interlingue", "ig": "Igbo", "ii": "Sichuan Yi",
    "ik": "Inupiaq", "io": "Ido", "is": "Icelandic", "it": "Italian", "iu": "Inuktitut",
    "ja": "Japanese", "jv": "Javanese",
    "ka": "Georgian", "kg": "Kongo", "ki": "Kikuyu", "kj": "Kuanyama", "kk": "Kazakh", "kl": "Kalaallisut",
    "km": "Khmer", "kn": "Kannada", "ko": "Korean", "kr": "Kanuri", "ks": "Kashmiri", "ku": "Kurdish",
    "kv": "Komi", "kw": "Cornish", "ky": "Kyrgyz",
    "la": "Latin", "lb": "Luxembourgish", "lg": "Ganda", "li": "Limburgish", "ln": "Lingala", "lo": "Lao",
    "lt": "Lithuanian", "lu": "Luba-Katanga", "lv": "Latvian",
    "mg": "Malagasy", "mh": "Marshallese", "mi": "Maori", "mk": "Macedonian", "ml": "Malayalam",
    "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "my": "Burmese",
    "na": "Nauru", "nb": "Norwegian Bokmål", "nd": "North Ndebele", "ne": "Nepali", "ng": "Ndonga",
    "nl": "Dutch", "nn": "Norwegian Nynorsk", "no": "Norwegian", "nr": "South Ndebele", "nv": "Navajo",
    "ny": "Chichewa",
    "oc": "Occitan", "oj": "Ojibwa", "om": "Oromo", "or": "Odia", "os": "Ossetian",
    "pa": "Punjabi", "pi": "Pali", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese",
    "qu": "Quechua",
    "rm": "Romansh", "rn": "Rundi", "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda",
    "sa": "Sanskrit", "sc": "Sardinian", "sd": "Sindhi", "se": "Northern Sami", "sg": "Sango", "si": "Sinhala",
    "sk": "Slovak", "sl": "Slovenian", "sm": "Samoan", "sn": "Shona", "so": "Somali", "sq": "Albanian",
    "sr": "Serbian", "ss": "Swati", "st": "Southern Sotho", "su": "Sundanese", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai", "ti": "Tigrinya", "tk": "Turkmen",
    "tl": "Tagalog", "tn": "Tswana", "to": "Tongan", "tr": "Turkish", "ts": "Tsonga", "tt": "Tatar", "tw": "Twi",
    "ty": "Tahitian",
    "ug": "Uyghur", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "ve": "Venda", "vi": "Vietnamese", "vo": "Volapük",
    "wa": "Walloon", "wo": "Wolof",
    "xh": "Xhosa",
    "yi": "Yiddish", "yo": "Yoruba",
    "za": "Zhuang", "zh": "Chinese", "zu": "Zulu",
}  # fmt: skip

# The Snowball stemmer of each language both engines stem (PyStemmer here, OpenSearch's
# `snowball` filter there: the same algorithms). English keeps Porter, as before languages
# were recorded. A language not listed is searched by its folded words, unstemmed: an
# English stemmer would cut Chinese, Polish or Welsh words wrongly.
STEMMERS = {
    "en": "porter",
    "da": "danish",
    "de": "german",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nb": "norwegian",
    "nl": "dutch_porter",  # the Snowball Dutch Lucene has (PyStemmer's "dutch" is a newer one)
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
DEFAULT_STEMMER = STEMMERS["en"]  # a text whose language is not said
NO_STEMMER = ""

_BY_NAME = {name.casefold(): code for code, name in NAMES.items()}
# "fr", "FR", "fr-CA", "fr_CA", "en-GB-oxendict": the language is the first subtag.
_TAG_RE = re.compile(r"(?P<code>[A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*")


class UnknownLanguage(ValueError):
    """Not an ISO 639-1 language; the message says what to write instead."""


def language_code(value) -> str:
    """The ISO 639-1 code `value` names ("" for none): a code in any case, a language tag
    with a region ("fr-CA"), or the English name ("French"). UnknownLanguage otherwise."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise UnknownLanguage(f"language must be text, a two-letter code such as 'fr', not {value!r:.40}.")
    text = " ".join(value.split())
    if not text:
        return ""
    tag = _TAG_RE.fullmatch(text)
    code = tag.group("code").lower() if tag else _BY_NAME.get(text.casefold(), "")
    if code not in NAMES:
        raise UnknownLanguage(
            f"language is {text[:40]!r}, which is not an ISO 639-1 language; write its two-letter code, "
            "e.g. 'en' for English, 'fr' for French, 'de' for German (or leave it out)."
        )
    return code


def language_name(code: str) -> str:
    return NAMES.get(code, "")


def stemmer_name(code: str) -> str:
    """The Snowball algorithm for text in this language: Porter for English or an unsaid
    language, NO_STEMMER ("") for a language no stemmer is kept for."""
    if not code:
        return DEFAULT_STEMMER
    return STEMMERS.get(code, NO_STEMMER)


CHOICES = sorted(((code, f"{name} ({code})") for code, name in NAMES.items()), key=lambda choice: choice[1])
