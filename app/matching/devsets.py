"""Graded development sets (``../shared/eval/*.json``): loading and nDCG of a matcher.

A set holds offers, needs and ``qrels`` ({need id: {offer id: grade 0-3}}); needs marked
``unmet`` have no offer graded >= 2 on purpose and are left out of the averages.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.matching.engine import Matcher, NeedRecord, OfferRecord, Weights
from app.matching.engine.metrics import ndcg

K = 10


def offer_record(raw: dict[str, Any]) -> OfferRecord:
    """A development-set offer as the API would hand it to the engine."""
    return OfferRecord(
        id=raw["id"],
        title=raw["title"],
        description=raw.get("description") or "",
        keywords=tuple(raw.get("keywords") or ()),
        field_code=raw.get("field"),
        trl=raw.get("trl"),
    )


def need_record(raw: dict[str, Any]) -> NeedRecord:
    """A development-set need as the API would hand it to the engine."""
    return NeedRecord(
        id=raw["id"],
        title=raw["title"],
        description=raw.get("description") or "",
        keywords=tuple(raw.get("keywords") or ()),
        field_code=raw.get("field"),
        desired_trl_min=raw.get("trl"),
    )


@dataclass(frozen=True)
class DevSet:
    """One graded set."""

    name: str
    offers: list[OfferRecord]
    needs: list[NeedRecord]
    unmet: frozenset[str]
    qrels: dict[str, dict[str, int]]


def load(path: Path) -> DevSet:
    """Read a development set."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return DevSet(
        name=path.stem,
        offers=[offer_record(o) for o in raw["offers"]],
        needs=[need_record(n) for n in raw["needs"]],
        unmet=frozenset(n["id"] for n in raw["needs"] if n.get("unmet")),
        qrels=raw["qrels"],
    )


def mean_ndcg(dev: DevSet, weights: Weights) -> float:
    """Mean nDCG@10 of the met needs with the matcher combining by ``weights``."""
    matcher = Matcher(weights=weights).fit(dev.offers, dev.needs)
    met = [n for n in dev.needs if n.id not in dev.unmet]
    scores = [
        ndcg([r.id for r in matcher.match_need(n, k=K, explain=False)], dev.qrels.get(n.id, {}))
        for n in met
    ]
    return sum(scores) / len(scores) if scores else 0.0
