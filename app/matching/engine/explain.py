"""Explanations: the shared phrases that contributed most, and notes per component."""

from __future__ import annotations

from itertools import pairwise

from .components import price_overrun
from .records import NeedRecord, OfferRecord
from .text import fold_token
from .vectorize import FOLDED_FUNCTION_WORDS, FUNCTION_WORDS

#: A shared single syllable is listed only if it contributed at least this share of the best
#: phrase: lone syllables are ambiguous ("do", "bị") and phrases explain better.
UNIGRAM_MIN_SHARE = 0.25
_ANY_FUNCTION_WORD = FUNCTION_WORDS | FOLDED_FUNCTION_WORDS

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


def _find_accented(folded_phrase: list[str], segments: Segments) -> str | None:
    n = len(folded_phrase)
    for segment in segments:
        folded = [fold_token(t) for t in segment]
        for i in range(len(segment) - n + 1):
            if folded[i : i + n] == folded_phrase:
                return " ".join(segment[i : i + n])
    return None


def shared_phrases(
    contributions: dict[str, float],
    candidate: Segments,
    query: Segments,
    *,
    candidate_marked: bool,
    query_marked: bool,
    max_terms: int = 8,
    max_len: int = 5,
) -> list[str]:
    """Phrases shared by query and candidate, most contributing first.

    ``contributions`` maps a folded feature (unigram or "a b" bigram) to its share of the
    cosine, ``q_t * d_t``. Runs of consecutive shared bigrams in the candidate are merged
    into one phrase ("phân bón" + "bón vi" + "vi sinh" -> "phân bón vi sinh"), scored by the
    sum of the contributions of its bigrams and unigrams; shared unigrams outside any phrase
    stand alone. Phrases are shown in the accented form written in the candidate, or in the
    query when the candidate was typed without diacritics, and a phrase contained in a better
    one is dropped.
    """
    scored: dict[str, float] = {}
    covered: set[str] = set()
    for segment in candidate:
        folded = [fold_token(t) for t in segment]
        shared_bigram = [
            f"{folded[i]} {folded[i + 1]}" in contributions for i in range(len(folded) - 1)
        ]
        i = 0
        while i < len(shared_bigram):
            if not shared_bigram[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(shared_bigram) and shared_bigram[j + 1] and j + 2 - i < max_len:
                j += 1
            tokens = folded[i : j + 2]
            score = sum(contributions.get(t, 0.0) for t in tokens)
            score += sum(contributions[f"{a} {b}"] for a, b in pairwise(tokens))
            covered.update(tokens)
            start, stop = _trim(segment[i : j + 2] if candidate_marked else tokens)
            if stop - start >= 1:
                surface = _surface(
                    tokens[start:stop],
                    segment[i + start : i + stop],
                    query,
                    candidate_marked,
                    query_marked,
                )
                scored[surface] = max(scored.get(surface, 0.0), score)
            i = j + 1
    best = max(scored.values(), default=0.0)
    for term, value in contributions.items():
        if " " in term or term in covered or not _is_content(term):
            continue
        if value < UNIGRAM_MIN_SHARE * best:
            continue
        surface = _surface([term], None, query, candidate_marked, query_marked, candidate)
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


def _trim(tokens: list[str]) -> tuple[int, int]:
    """Bounds of ``tokens`` without leading or trailing function words ("và chế biến")."""
    start, stop = 0, len(tokens)
    while start < stop and tokens[start] in _ANY_FUNCTION_WORD:
        start += 1
    while stop > start and tokens[stop - 1] in _ANY_FUNCTION_WORD:
        stop -= 1
    return start, stop


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
    return " ".join(folded)


def _money(vnd: int) -> str:
    if vnd >= 1_000_000_000:
        return f"{vnd / 1_000_000_000:.3g} tỷ đồng"
    return f"{vnd / 1_000_000:.3g} triệu đồng"


def component_notes(
    offer: OfferRecord, need: NeedRecord, components: dict[str, float | None]
) -> list[str]:
    """Short Vietnamese notes, one per known component, for a dashboard or report."""
    notes: list[str] = []
    field = components.get("field")
    if field is not None:
        if field == 1.0:
            notes.append(f"cùng lĩnh vực {offer.field_code}")
        elif field > 0:
            notes.append(f"cùng nhóm lĩnh vực {(offer.field_code or '')[:1]}")
        else:
            notes.append(f"khác lĩnh vực ({offer.field_code} / {need.field_code})")
    if components.get("trl") is not None:
        sign = "≥" if (offer.trl or 0) >= (need.desired_trl_min or 0) else "<"
        notes.append(f"TRL {offer.trl} {sign} yêu cầu {need.desired_trl_min}")
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
        common = [f for f in offer.transfer_forms if f in set(need.transfer_forms)]
        if common:
            labels = ", ".join(TRANSFER_LABELS.get(f, f) for f in common)
            notes.append(f"hình thức chuyển giao phù hợp: {labels}")
        else:
            notes.append("hình thức chuyển giao không khớp")
    region = components.get("region")
    if region is not None:
        notes.append("cùng tỉnh/thành" if region == 1.0 else "khác tỉnh/thành")
    return notes
