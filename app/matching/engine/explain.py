"""Explanations: the shared phrases that contributed most, and notes per component."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from .components import price_overrun
from .records import Labels, NeedRecord, OfferRecord
from .text import fold_key
from .vectorize import FOLDED_FUNCTION_WORDS, FUNCTION_WORDS

#: A shared single syllable is listed only if it contributed at least this share of the best
#: phrase: lone syllables are ambiguous ("do", "bị") and phrases explain better.
UNIGRAM_MIN_SHARE = 0.25

__all__ = ["component_notes", "shared_phrases"]

#: Vietnamese labels of common transfer-form codes; unknown codes are shown as they are.
TRANSFER_LABELS: dict[str, str] = {
    "licence": "chuyển giao quyền sử dụng (li-xăng)",
    "license": "chuyển giao quyền sử dụng (li-xăng)",
    "assignment": "chuyển nhượng quyền sở hữu",
    "technical_service": "dịch vụ kỹ thuật",
    "consulting": "tư vấn",
    "training": "đào tạo",
    "joint_venture": "liên doanh, góp vốn",
    "capital_contribution": "góp vốn bằng công nghệ",
    "turnkey": "chìa khóa trao tay",
}

Segments = list[list[str]]
#: Tells whether two adjacent folded syllables belong to one word ("thuong mai", "dien tu").
Cohesion = Callable[[str, str], bool]


def _find_accented(folded_phrase: list[str], segments: Segments) -> str | None:
    n = len(folded_phrase)
    for segment in segments:
        folded = [fold_key(t) for t in segment]
        for i in range(len(segment) - n + 1):
            if folded[i : i + n] == folded_phrase:
                return " ".join(segment[i : i + n])
    return None


def _word_bounds(
    keys: list[str],
    function: list[bool],
    start: int,
    stop: int,
    cohesive: Cohesion,
    shared: set[str] | dict[str, float],
) -> tuple[int, int]:
    """Shrink ``[start, stop)`` so that it cuts no word: a syllable bound to its outside
    neighbour by a word the query does not share ("điện" before "tử" when the query has no
    "điện tử") leaves the phrase, and so do function words at either edge."""

    def cut(left: str, right: str) -> bool:
        return f"{left} {right}" not in shared and cohesive(left, right)

    while True:
        before = (start, stop)
        if start < stop and start > 0 and cut(keys[start - 1], keys[start]):
            start += 1
        if stop > start and stop < len(keys) and cut(keys[stop - 1], keys[stop]):
            stop -= 1
        while start < stop and function[start]:
            start += 1
        while stop > start and function[stop - 1]:
            stop -= 1
        if (start, stop) == before:
            return start, stop


def shared_phrases(
    query_weights: dict[str, float],
    candidate: Segments,
    query: Segments,
    *,
    cohesive: Cohesion,
    candidate_marked: bool,
    query_marked: bool,
    max_terms: int = 8,
    max_len: int = 6,
) -> list[str]:
    """Whole words and phrases shared by query and candidate, most weighty first.

    ``query_weights`` maps the query's folded features (unigram or "a b" bigram) to their
    weight. A phrase is a run of consecutive shared bigrams in a candidate segment ("phân
    bón" + "bón vi" + "vi sinh" -> "phân bón vi sinh"), scored by the weights of its
    features; it is then shrunk until it cuts no word (``cohesive``) and has no function
    word at an edge, so "trên sàn thương mại điện" (before "tử") becomes "sàn thương mại".
    A shared single syllable stands alone only if it is a content word that is a word by
    itself there. Phrases are shown as written in the candidate, or in the query when the
    candidate was typed without diacritics; a phrase inside a better one is dropped.
    """
    scored: dict[str, float] = {}
    covered: set[str] = set()
    singles: dict[str, tuple[list[str], int]] = {}
    for segment in candidate:
        keys = [fold_key(t) for t in segment]
        if candidate_marked:
            function = [t in FUNCTION_WORDS for t in segment]
        else:
            function = [k in FOLDED_FUNCTION_WORDS for k in keys]
        shared = [f"{keys[i]} {keys[i + 1]}" in query_weights for i in range(len(keys) - 1)]
        i = 0
        while i < len(shared):
            if not shared[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(shared) and shared[j + 1] and j + 2 - i < max_len:
                j += 1
            start, stop = _word_bounds(keys, function, i, j + 2, cohesive, query_weights)
            tokens = keys[start:stop]
            covered.update(keys[i : j + 2])
            if len(tokens) >= 2 or (len(tokens) == 1 and not function[start]):
                score = sum(query_weights.get(t, 0.0) for t in tokens)
                score += sum(query_weights.get(f"{a} {b}", 0.0) for a, b in pairwise(tokens))
                surface = _surface(
                    tokens, segment[start:stop], query, candidate_marked, query_marked
                )
                scored[surface] = max(scored.get(surface, 0.0), score)
            i = j + 1
        for position, key in enumerate(keys):
            if key in query_weights and key not in singles and not function[position]:
                singles[key] = (keys, position)
    best = max(scored.values(), default=0.0)
    for key, (keys, position) in singles.items():
        if key in covered or not _is_content(key) or " " in key:
            continue
        if (position > 0 and cohesive(keys[position - 1], key)) or (
            position + 1 < len(keys) and cohesive(key, keys[position + 1])
        ):  # part of a longer word here ("tử" of "điện tử"): not a word on its own
            continue
        value = query_weights[key]
        if value < UNIGRAM_MIN_SHARE * best:
            continue
        surface = _surface([key], None, query, candidate_marked, query_marked, candidate)
        scored[surface] = max(scored.get(surface, 0.0), value)
    ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
    out: list[str] = []
    for phrase, _ in ranked:
        if any(f" {phrase} " in f" {kept} " for kept in out):
            continue
        out.append(phrase)
        if len(out) >= max_terms:
            break
    return out


def _is_content(folded: str) -> bool:
    return len(folded) >= 2 and folded.isalpha() and folded not in FOLDED_FUNCTION_WORDS


def _surface(
    folded: list[str],
    candidate_tokens: list[str] | None,
    query: Segments,
    candidate_marked: bool,
    query_marked: bool,
    candidate: Segments | None = None,
) -> str:
    if candidate_marked:
        if candidate_tokens is not None:
            return " ".join(candidate_tokens)
        if candidate is not None:
            found = _find_accented(folded, candidate)
            if found is not None:
                return found
    if query_marked:
        found = _find_accented(folded, query)
        if found is not None:
            return found
    if candidate_tokens is not None:
        return " ".join(candidate_tokens)
    return " ".join(folded)


def _money(vnd: int) -> str:
    if vnd >= 1_000_000_000:
        return f"{vnd / 1_000_000_000:.3g} tỷ đồng"
    return f"{vnd / 1_000_000:.3g} triệu đồng"


def component_notes(
    offer: OfferRecord,
    need: NeedRecord,
    components: dict[str, float | None],
    labels: Labels | None = None,
) -> list[str]:
    """Short Vietnamese notes, one per known component, naming fields, transfer forms and
    provinces by their Vietnamese names (``labels``; a code without a name is shown as is)."""
    labels = labels if labels is not None else Labels()

    def field_name(code: str | None) -> str:
        return labels.fields.get(code or "", code or "")

    def province_name(code: str | None) -> str:
        return labels.provinces.get(code or "", code or "")

    notes: list[str] = []
    field = components.get("field")
    if field is not None:
        if field == 1.0:
            notes.append(f"cùng lĩnh vực {field_name(offer.field_code)}")
        elif field > 0:
            notes.append(f"cùng nhóm lĩnh vực {field_name((offer.field_code or '')[:1])}")
        else:
            notes.append(
                f"khác lĩnh vực (bên cung: {field_name(offer.field_code)}; "
                f"bên cầu: {field_name(need.field_code)})"
            )
    if components.get("trl") is not None:
        sign = "≥" if (offer.trl or 0) >= (need.desired_trl_min or 0) else "<"
        notes.append(
            f"mức sẵn sàng công nghệ TRL {offer.trl} {sign} yêu cầu {need.desired_trl_min}"
        )
    overrun = price_overrun(offer.price_min_vnd, offer.price_max_vnd, need.budget_max_vnd)
    if components.get("budget") is not None and overrun is not None:
        if overrun <= 0:
            notes.append("giá trong ngân sách")
        elif overrun == float("inf"):
            notes.append("giá vượt ngân sách")
        else:
            notes.append(
                f"giá vượt ngân sách {round(overrun * 100)}% "
                f"(ngân sách {_money(need.budget_max_vnd or 0)})"
            )
    transfer = components.get("transfer")
    if transfer is not None:
        names = {**TRANSFER_LABELS, **labels.transfer_forms}
        common = [f for f in offer.transfer_forms if f in set(need.transfer_forms)]
        if common:
            notes.append(
                "hình thức chuyển giao phù hợp: " + ", ".join(names.get(f, f) for f in common)
            )
        else:
            notes.append("hình thức chuyển giao không khớp")
    region = components.get("region")
    if region is not None:
        if region == 1.0:
            notes.append(f"cùng tỉnh/thành: {province_name(offer.province_code)}")
        else:
            notes.append(
                f"khác tỉnh/thành ({province_name(offer.province_code)} – "
                f"{province_name(need.province_code)})"
            )
    return notes
