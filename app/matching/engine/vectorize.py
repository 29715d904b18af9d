"""From records to weighted syllable n-gram counts, in an accented and a folded channel.

A record is a list of weighted fields (title, keywords, summary, description). Each field is
split into segments at punctuation; each segment yields its syllable unigrams and the bigrams
of adjacent syllables. The raw count of feature ``t`` in a document is

    tf(t) = sum over fields f of  weight(f) * count_f(t)

so a term in the title counts ``title_weight`` times. Both channels are produced from the
same token sequence: the accented channel from the normalised tokens, the folded channel from
their diacritic-free forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import fold_token, has_marks, segments

__all__ = ["Analysis", "FieldWeights", "analyze_fields", "ngrams"]


@dataclass(frozen=True)
class FieldWeights:
    """Multipliers of raw term counts per field (title and keywords above the body)."""

    title: float = 3.0
    keywords: float = 2.0
    summary: float = 1.5
    description: float = 1.0


@dataclass
class Analysis:
    """Weighted n-gram counts of one document in both channels.

    ``accented`` is empty when the text carries no diacritics (``marked`` is False): its
    accented features would only duplicate the folded ones.
    """

    accented: dict[str, float] = field(default_factory=dict)
    folded: dict[str, float] = field(default_factory=dict)
    marked: bool = False


def ngrams(tokens: list[str], max_n: int = 2) -> list[str]:
    """Return the unigrams and the space-joined n-grams of ``tokens`` up to ``max_n``."""
    out = list(tokens)
    for n in range(2, max_n + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def analyze_fields(fields: list[tuple[str, float]], max_n: int = 2) -> Analysis:
    """Count weighted n-grams of ``(text, weight)`` fields in both channels."""
    accented: dict[str, float] = {}
    folded: dict[str, float] = {}
    all_tokens: list[str] = []
    for text, weight in fields:
        if not text or weight <= 0:
            continue
        for segment in segments(text):
            all_tokens.extend(segment)
            for gram in ngrams(segment, max_n):
                accented[gram] = accented.get(gram, 0.0) + weight
            for gram in ngrams([fold_token(t) for t in segment], max_n):
                folded[gram] = folded.get(gram, 0.0) + weight
    marked = has_marks(all_tokens)
    return Analysis(accented=accented if marked else {}, folded=folded, marked=marked)
