"""From records to weighted syllable n-gram counts, in an accented and a folded channel.

A record is a list of weighted fields (title, keywords, summary, description). Each field is
split into segments at punctuation; each segment yields its syllable unigrams and the bigrams
of adjacent syllables. The raw count of feature ``t`` in a document is

    tf(t) = sum over fields f of  weight(f) * count_f(t)

so a term in the title counts ``title_weight`` times. Both channels come from the same token
sequence: the accented channel from ``accent_key`` of the normalised tokens, the folded
channel from ``fold_key`` (no diacritics, "đ" -> "d"; i/y spelling variants share one key in
both). ``length`` is the document length of BM25: the weighted number of syllables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from .text import accent_key, fold_key, has_marks, segments

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
    accented features would only duplicate the folded ones, and a candidate written with
    marks must not be compared with an unmarked text on marks it cannot have.
    """

    accented: dict[str, float] = field(default_factory=dict)
    folded: dict[str, float] = field(default_factory=dict)
    marked: bool = False
    length: float = 0.0
    segments: str = ""

    def token_segments(self) -> list[list[str]]:
        """The normalised tokens of every segment, in field order (for explanations)."""
        return [line.split(" ") for line in self.segments.split("\n") if line]


#: Function words. They stay features (BM25's idf makes them weigh little, and they join
#: bigrams: "cây có múi"), but an explanation never shows one alone or at a phrase's edge.
#: Deliberately tiny: longer Vietnamese stopword lists contain domain words ("cây", "nhà").
FUNCTION_WORDS: frozenset[str] = frozenset(
    {"và", "của", "các", "những", "là", "với", "cho", "được", "có", "trong", "để", "một"}
    | {"này", "đã", "từ", "theo", "thì", "mà", "hoặc", "về", "tại", "như", "nào", "gì"}
    | {"trên", "dưới", "sau", "trước", "khi", "nên", "cần", "không", "đến", "bị", "do"}
    | {"ra", "vào", "lên", "nhiều", "ít", "rất", "cũng", "đang", "sẽ", "hay", "bằng"}
)
#: For text typed without diacritics: only folded forms that are not also content syllables
#: ("co" may be "cơ", "trong" may be "trồng", "la" may be "lá").
FOLDED_FUNCTION_WORDS: frozenset[str] = frozenset(
    {"va", "cac", "cho", "duoc", "mot", "theo", "hoac", "nhung", "voi", "cua", "tai"}
)


def ngrams(tokens: list[str], max_n: int = 2) -> list[str]:
    """Return the unigrams and space-joined n-grams up to ``max_n`` of a token run."""
    out = list(tokens)
    if max_n >= 2:
        out += map(" ".join, pairwise(tokens))
    for n in range(3, max_n + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def analyze_fields(fields: list[tuple[str, float]], max_n: int = 2) -> Analysis:
    """Count weighted n-grams of ``(text, weight)`` fields in both channels."""
    parsed = [(segments(text), weight) for text, weight in fields if text and weight > 0]
    marked = has_marks([t for segs, _ in parsed for seg in segs for t in seg])
    # Field weights are multiples of 1/2 by default: repeating a field's n-grams 2w times
    # lets one C-level Counter do all the weighting; other weights are added one by one.
    folded_grams: list[str] = []
    accented_grams: list[str] = []
    extra: list[tuple[list[str], list[str], float]] = []
    length = 0.0
    for segs, weight in parsed:
        field_folded: list[str] = []
        field_accented: list[str] = []
        for segment in segs:
            length += weight * len(segment)
            field_folded += ngrams(list(map(fold_key, segment)), max_n)
            if marked:
                field_accented += ngrams(list(map(accent_key, segment)), max_n)
        repeat = 2 * weight
        if repeat == int(repeat):
            folded_grams += field_folded * int(repeat)
            accented_grams += field_accented * int(repeat)
        else:
            extra.append((field_folded, field_accented, weight))
    folded = {gram: n * 0.5 for gram, n in Counter(folded_grams).items()}
    accented = {gram: n * 0.5 for gram, n in Counter(accented_grams).items()}
    for field_folded, field_accented, weight in extra:
        for counts, grams in ((folded, field_folded), (accented, field_accented)):
            for gram in grams:
                counts[gram] = counts.get(gram, 0.0) + weight
    joined = "\n".join(" ".join(seg) for segs, _ in parsed for seg in segs)
    return Analysis(accented=accented, folded=folded, marked=marked, length=length, segments=joined)
