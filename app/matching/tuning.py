"""``techmatch tune``: refit the matcher's combination from the department's outcomes.

Positive pairs are connections that reached ``contracted``; negative pairs are matches an
owner dismissed as not relevant. They are scored by the live index (``Matcher.pair``) and
added to the labelled pairs of the development sets, if any are given; scikit-learn's
``LogisticRegression`` refits the weights (``engine.tuning.fit_weights``). Nothing is saved
until the caller has seen the development figures before and after. A saved fit becomes the
newest ``matcher_weights`` row and a change in the feed, so every worker switches to it on
its next sync, without rebuilding its index.
"""

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.connections.lifecycle import CONTRACTED
from app.connections.models import Connection, MatchDismissal
from app.matching.changes import record_change
from app.matching.devsets import DevSet, load, mean_ndcg
from app.matching.engine import DEFAULT_WEIGHTS, Matcher, Weights
from app.matching.engine.tuning import Pair, fit_weights
from app.matching.models import MatcherWeights
from app.matching.records import need_record, offer_record
from app.needs.models import Need
from app.offers.models import Offer

WEIGHTS_KIND = "weights"
DEV_DEPTH = 30


def active_weights(session: Session) -> Weights | None:
    """The newest saved fit, or ``None`` (the engine's shipped weights apply)."""
    row = session.scalars(
        select(MatcherWeights).order_by(MatcherWeights.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return Weights(**{**row.weights, "version": row.version})


def outcome_pairs(session: Session, matcher: Matcher) -> list[Pair]:
    """Labelled pairs from contracted connections (relevant) and dismissals (not)."""
    labelled: dict[tuple[str, str], bool] = {}
    for need_id, offer_id in session.execute(
        select(MatchDismissal.need_id, MatchDismissal.offer_id)
    ):
        labelled[(need_id, offer_id)] = False
    for need_id, offer_id in session.execute(
        select(Connection.need_id, Connection.offer_id).where(Connection.status == CONTRACTED)
    ):
        labelled[(need_id, offer_id)] = True  # a contract outweighs an earlier dismissal
    needs = {
        n.id: n for n in session.scalars(select(Need).where(Need.id.in_({k[0] for k in labelled})))
    }
    offers = {
        o.id: o
        for o in session.scalars(select(Offer).where(Offer.id.in_({k[1] for k in labelled})))
    }
    pairs = []
    for (need_id, offer_id), relevant in sorted(labelled.items()):
        if need_id not in needs or offer_id not in offers:
            continue
        result = matcher.pair(need_record(needs[need_id]), offer_record(offers[offer_id]))
        text = float(result.components["text"] or 0.0)
        pairs.append(Pair(f"outcome:{need_id}", text, result.components, relevant))
    return pairs


def dev_pairs(dev: DevSet) -> list[Pair]:
    """Each met or unmet need's text-only top ``DEV_DEPTH``, labelled by its grades (>= 2)."""
    text_only = Weights(intercept=0.0, text=1.0, field=0, trl=0, budget=0, transfer=0, region=0)
    matcher = Matcher(weights=text_only).fit(dev.offers, dev.needs)
    pairs = []
    for need in dev.needs:
        grades = dev.qrels.get(need.id, {})
        for r in matcher.match_need(need, k=DEV_DEPTH, explain=False):
            text = float(r.components["text"] or 0.0)
            pairs.append(
                Pair(f"{dev.name}:{need.id}", text, r.components, grades.get(r.id, 0) >= 2)
            )
    return pairs


def propose(
    session: Session, matcher: Matcher, dev_paths: list[Path]
) -> tuple[Weights, dict[str, Any]]:
    """Fit new weights; return them with the figures to show before saving."""
    devs = [load(p) for p in dev_paths]
    outcomes = outcome_pairs(session, matcher)
    pairs = outcomes + [p for d in devs for p in dev_pairs(d)]
    current = matcher.weights
    version = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + " tune"
    fitted = fit_weights(pairs, DEFAULT_WEIGHTS, version)
    metrics: dict[str, Any] = {
        "outcome_pairs": len(outcomes),
        "outcome_relevant": sum(p.relevant for p in outcomes),
        "dev_pairs": len(pairs) - len(outcomes),
        "previous_version": current.version,
        "dev_ndcg@10": {
            d.name: {
                "current": round(mean_ndcg(d, current), 4),
                "fitted": round(mean_ndcg(d, fitted), 4),
            }
            for d in devs
        },
    }
    return fitted, metrics


def save(session: Session, weights: Weights, metrics: dict[str, Any]) -> MatcherWeights:
    """Store ``weights`` as the newest fit and tell every worker through the change feed."""
    values = {k: v for k, v in asdict(weights).items() if k != "version"}
    row = MatcherWeights(version=weights.version, weights=values, metrics=metrics)
    session.add(row)
    session.flush()
    record_change(session, listing_kind=WEIGHTS_KIND, listing_id=str(row.id))
    return row
