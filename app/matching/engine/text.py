"""Vietnamese text pipeline: normalisation, diacritic folding and syllable tokenisation.

The pipeline is deliberately free of word segmenters: a Vietnamese *word* ("phân bón",
"hợp tác xã") is a run of syllables, so the features downstream are syllable unigrams and
bigrams, which capture two-syllable words without a dictionary.

``normalize_text`` is the accented channel, ``fold_text`` the diacritic-free one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "accent_key",
    "fold_key",
    "fold_text",
    "fold_token",
    "has_marks",
    "normalize_text",
    "segments",
    "tokenize",
]

# Soft hyphen and zero-width characters that survive copy-paste from web pages and Word.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))

# Tone marks as combining characters (huyền, sắc, ngã, hỏi, nặng). Vowel marks (circumflex,
# breve, horn) are letters of their own and stay in the accented channel.
_TONES = "\u0300\u0301\u0303\u0309\u0323"

# Old ("hòa", "thủy", "khỏe") and new ("hoà", "thuỷ", "khoẻ") tone placement only differ in the
# open rhymes oa, oe, uy. We pick the old style, the one most Vietnamese press and
# administrative text uses, so that explanations read naturally.
_OPEN_RHYME = re.compile(r"(\w*?)(o[aàáảãạ]|o[eèéẻẽẹ]|u[yỳýỷỹỵ]|[òóỏõọ][ae]|[ùúủũụ]y)\b")

# Generic Vietnamese administrative abbreviations (not taken from any evaluation set).
_ABBREVIATIONS: dict[str, str] = {
    "htx": "hợp tác xã",
    "thtx": "tổ hợp tác",
    "dn": "doanh nghiệp",
    "dnnvv": "doanh nghiệp nhỏ và vừa",
    "kh&cn": "khoa học và công nghệ",
    "khcn": "khoa học và công nghệ",
    "kh-cn": "khoa học và công nghệ",
    "khkt": "khoa học kỹ thuật",
    "cntt": "công nghệ thông tin",
    "nn&ptnt": "nông nghiệp và phát triển nông thôn",
    "bvtv": "bảo vệ thực vật",
    "ubnd": "ủy ban nhân dân",
    "tp.hcm": "thành phố hồ chí minh",
    "tphcm": "thành phố hồ chí minh",
    "tp": "thành phố",
}
_ABBREV_RE = re.compile(
    r"(?<![\w&.-])("
    + "|".join(re.escape(k) for k in sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&-])"
)

# Segment boundaries: a bigram never spans punctuation ("nông sản, dược liệu" has no
# "sản dược" feature). Hyphens and slashes join ("x-quang" -> "x quang").
_SEGMENT_SPLIT = re.compile(r"[,.;:!?()\[\]{}\"“”‘’«»|…\n\r\t•·–—]+")
_TOKEN = re.compile(r"[^\W_]+")


def _old_style_tone(match: re.Match[str]) -> str:
    onset, rhyme = match.group(1), match.group(2)
    if onset and not onset.isalpha():
        return match.group(0)
    decomposed = unicodedata.normalize("NFD", rhyme)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return match.group(0)
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    # "qu" is a consonant: in "quý" the tone sits on y in both conventions.
    position = 1 if onset.endswith("q") and bare == "uy" else 0
    marked = bare[: position + 1] + tones[0] + bare[position + 1 :]
    return onset + unicodedata.normalize("NFC", marked)


def _expand_abbreviation(match: re.Match[str]) -> str:
    return _ABBREVIATIONS[match.group(1)]


def normalize_text(text: str) -> str:
    """Return the canonical accented form of ``text``.

    Steps, in order: Unicode NFC (NFD input would otherwise split "hoà" into "hoa" plus a
    stray combining mark), removal of zero-width characters and soft hyphens, lower case,
    canonical (old-style) tone placement in the open rhymes oa/oe/uy ("hoà" -> "hòa",
    "thuỷ" -> "thủy", "khoẻ" -> "khỏe", while "quý" keeps its tone on y), and expansion of a
    few generic abbreviations ("htx" -> "hợp tác xã", "kh&cn" -> "khoa học và công nghệ").
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).lower()
    text = _OPEN_RHYME.sub(_old_style_tone, text)
    return _ABBREV_RE.sub(_expand_abbreviation, text)


@lru_cache(maxsize=131072)
def _canonical_token(token: str) -> str:
    """``normalize_text``'s tone placement for one token (cached: few distinct syllables)."""
    return _OPEN_RHYME.sub(_old_style_tone, token)


def _prenormalize(text: str) -> str:
    """``normalize_text`` without the tone placement, which ``segments`` does per token."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).lower()
    return _ABBREV_RE.sub(_expand_abbreviation, text)


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """Strip every diacritic of one (normalised) token and map "đ" to "d"."""
    decomposed = unicodedata.normalize("NFD", token.replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Spelling variants i/y after a consonant onset ("kí"/"ký", "lí"/"lý", "sĩ"/"sỹ", "công ti"/
# "công ty"): both are accepted Vietnamese orthography, so features use one key for both. Not
# "uy", "ay", "ây" (the y there is part of a diphthong) and not "qu" + y ("quý").
_Y_TO_I = {"y": "i", "ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị"}
_ONSET_Y = re.compile(r"^(b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x|ch|gh|kh|ng|nh|ph|th|tr)([yýỳỷỹỵ])$")


@lru_cache(maxsize=65536)
def accent_key(token: str) -> str:
    """The accented feature key of a token: i/y spelling variants share one key."""
    match = _ONSET_Y.match(token)
    return match.group(1) + _Y_TO_I[match.group(2)] if match else token


@lru_cache(maxsize=65536)
def fold_key(token: str) -> str:
    """The folded feature key of a token: ``fold_token`` of its ``accent_key``."""
    return fold_token(accent_key(token))


def fold_text(text: str) -> str:
    """Return ``normalize_text(text)`` with all diacritics removed and "đ" mapped to "d".

    Unlike scikit-learn's ``strip_accents="ascii"``, which deletes "đ" ("đất" -> "t"), this
    keeps every letter: "Đồng Tháp" -> "dong thap".
    """
    return " ".join(_TOKEN_OR_SPACE.sub(_fold_match, normalize_text(text)).split())


_TOKEN_OR_SPACE = re.compile(r"[^\W_]+")


def _fold_match(match: re.Match[str]) -> str:
    return fold_token(match.group(0))


def segments(text: str) -> list[list[str]]:
    """Split normalised ``text`` at punctuation into lists of syllable tokens."""
    out: list[list[str]] = []
    for part in _SEGMENT_SPLIT.split(_prenormalize(text)):
        tokens = _TOKEN.findall(part)
        if tokens:
            out.append(list(map(_canonical_token, tokens)))
    return out


def tokenize(text: str) -> list[str]:
    """Return the accented syllable tokens of ``text`` (normalised, lower case)."""
    return [token for segment in segments(text) for token in segment]


def has_marks(tokens: list[str], min_ratio: float = 0.2) -> bool:
    """Tell whether the tokens look like text written with diacritics.

    True when at least ``min_ratio`` of the alphabetic tokens carry a mark; Vietnamese written
    with diacritics has most syllables marked, text typed without them has none.
    """
    flags = list(map(_mark_flag, tokens))
    alpha = len(flags) - flags.count(-1)
    if not alpha:
        return False
    return flags.count(1) >= min_ratio * alpha


@lru_cache(maxsize=131072)
def _mark_flag(token: str) -> int:
    """-1 for a token that is not alphabetic, 1 for one that carries a mark, else 0."""
    if not token.isalpha():
        return -1
    return 1 if fold_token(token) != token else 0
