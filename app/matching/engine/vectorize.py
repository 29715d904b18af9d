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

from collections.abc import Callable
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
    accented features would only duplicate the folded ones. A query typed without marks may
    instead be *restored* (see ``restore.py``): ``accented`` then holds the n-grams of the
    restored syllables and ``restoration`` (in (0, 1]) the confidence in them.
    """

    accented: dict[str, float] = field(default_factory=dict)
    folded: dict[str, float] = field(default_factory=dict)
    marked: bool = False
    restoration: float = 0.0

    @property
    def accent_trust(self) -> float:
        """How far the accented channel speaks for this text: 1 if typed with marks."""
        return 1.0 if self.marked else self.restoration


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


#: Restores one segment of unmarked syllables: accented forms and their posteriors.
Restorer = Callable[[list[str]], tuple[list[str], list[float]]]


def analyze_fields(
    fields: list[tuple[str, float]],
    max_n: int = 2,
    stopwords: bool = False,
    restore: Restorer | None = None,
) -> Analysis:
    """Count weighted n-grams of ``(text, weight)`` fields in both channels.

    With ``restore``, text typed without marks gets an accented channel from the restored
    syllables; its ``restoration`` is the mean posterior of the restored syllables.
    """
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
    posteriors: list[float] = []
    for segs, weight in parsed:
        for segment in segs:
            for gram in ngrams([fold_token(t) for t in segment], max_n, drop_folded):
                folded[gram] = folded.get(gram, 0.0) + weight
            if not marked:
                if restore is None:
                    continue
                segment, confidence = restore(segment)
                posteriors.extend(confidence)
            for gram in ngrams(segment, max_n, drop):
                accented[gram] = accented.get(gram, 0.0) + weight
    restoration = sum(posteriors) / len(posteriors) if posteriors else 0.0
    return Analysis(accented=accented, folded=folded, marked=marked, restoration=restoration)
