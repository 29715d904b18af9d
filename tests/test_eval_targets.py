"""The matching quality on both development sets, as a regression guard.

Skipped when ``../shared/eval`` is not beside the checkout (it always is in CI). ``make eval``
prints the full table; this fails when a figure that was reached is lost. Every figure
about the learned combination or the threshold is out of sample: fitted on the other set.
"""

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"
SETS = [EVAL / "dev.json", EVAL / "dev2.json"]
BASELINES = ("TF-IDF folded 1-2", "BM25 folded 1-2")


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    if not all(p.exists() for p in SETS):
        pytest.skip(f"development sets not found in {EVAL}")
    sys.path.insert(0, str(REPO / "bench"))
    spec = importlib.util.spec_from_file_location(
        "eval_matching", REPO / "bench" / "eval_matching.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: dict[str, Any] = module.run(SETS)
    return result


def _ndcg(table: dict[str, Any], system: str, column: str = "all met") -> float:
    value: float = table[system][column]["ndcg@10"]
    return value


def test_engine_leads_the_folded_baselines_on_both_sets(report: dict[str, Any]) -> None:
    for s in report["sets"]:
        table = s["table"]
        best_baseline = max(_ndcg(table, b) for b in BASELINES)
        assert _ndcg(table, "engine") > best_baseline, s["data"]
        # The combination fitted on the other set alone still leads here.
        assert _ndcg(table, "engine, weights from the other set") > best_baseline, s["data"]


def test_margin_on_the_second_set(report: dict[str, Any]) -> None:
    table = report["sets"][1]["table"]
    assert _ndcg(table, "engine") >= max(_ndcg(table, b) for b in BASELINES) + 0.03


def test_text_without_diacritics_costs_little(report: dict[str, Any]) -> None:
    """Every met need folded to no diacritics stays within 0.025 of the original."""
    for s in report["sets"]:
        table = s["table"]
        assert _ndcg(table, "engine") - _ndcg(table, "engine", "all folded") <= 0.025


def test_cross_validated_threshold_separates_unmet_demand(report: dict[str, Any]) -> None:
    """The threshold chosen on the other set classifies at least 85% of the needs here."""
    for s in report["sets"]:
        t = s["threshold"]["from the other set"]
        right = t["unmet_below"] + t["met_above"]
        assert right >= 0.85 * (t["unmet_total"] + t["met_total"]), s["data"]
