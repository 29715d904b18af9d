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
    """Multipliers of raw term counts per field (title and keywords above the body).

    Keywords weigh most: they are the owner's own short list of key phrases, so they are
    dense in two-syllable words and free of filler; titles carry more framing ("cần", "giải
    pháp cho ...").
    """

    title: float = 2.0
    keywords: float = 3.0
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


#: Function words dropped as unigram features (they still join bigrams: "cây có múi").
#: Deliberately tiny: longer Vietnamese stopword lists contain domain words ("cây", "nhà").
FUNCTION_WORDS: frozenset[str] = frozenset(
    {"và", "của", "các", "những", "là", "với", "cho", "được", "có", "trong", "để", "một"}
    | {"này", "đã", "từ", "theo", "thì", "mà", "hoặc"}
)
#: For text typed without diacritics: only the folded forms that are not also content
#: syllables ("trong" may be "trồng", "la" may be "lá", "cua" a crab).
FOLDED_FUNCTION_WORDS: frozenset[str] = frozenset(
    {"va", "cac", "cho", "duoc", "mot", "theo", "hoac"}
)


def ngrams(tokens: list[str], max_n: int = 2, drop: frozenset[str] = frozenset()) -> list[str]:
    """Return the unigrams (minus ``drop``) and space-joined n-grams up to ``max_n``."""
    out = [t for t in tokens if t not in drop] if drop else list(tokens)
    for n in range(2, max_n + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def analyze_fields(
    fields: list[tuple[str, float]], max_n: int = 2, stopwords: bool = False
) -> Analysis:
    """Count weighted n-grams of ``(text, weight)`` fields in both channels."""
    accented: dict[str, float] = {}
    folded: dict[str, float] = {}
    parsed = [(segments(text), weight) for text, weight in fields if text and weight > 0]
    all_tokens = [t for segs, _ in parsed for seg in segs for t in seg]
    marked = has_marks(all_tokens)
    drop = FUNCTION_WORDS if stopwords else frozenset()
    drop_folded = (
        frozenset(fold_token(w) for w in FUNCTION_WORDS) if marked else FOLDED_FUNCTION_WORDS
    )
    if not stopwords:
        drop_folded = frozenset()
    for segs, weight in parsed:
        for segment in segs:
            for gram in ngrams(segment, max_n, drop):
                accented[gram] = accented.get(gram, 0.0) + weight
            for gram in ngrams([fold_token(t) for t in segment], max_n, drop_folded):
                folded[gram] = folded.get(gram, 0.0) + weight
    return Analysis(accented=accented if marked else {}, folded=folded, marked=marked)
