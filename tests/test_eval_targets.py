"""The matching quality targets on the development set, as a regression guard.

Skipped when ``../shared/eval/dev.json`` is not beside the checkout (it always is in CI).
``make eval`` prints the full table; this only fails when a target is lost.
"""

import importlib.util
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "eval" / "dev.json"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    if not DEV.exists():
        pytest.skip(f"development set not found at {DEV}")
    spec = importlib.util.spec_from_file_location(
        "eval_matching", REPO / "bench" / "eval_matching.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: dict[str, Any] = module.run(DEV)
    return result


def test_ndcg_target_and_margin_over_baselines(report: dict[str, Any]) -> None:
    table = report["table"]
    engine = table["engine"]["all met"]["ndcg@10"]
    best_baseline = max(
        row["all met"]["ndcg@10"] for name, row in table.items() if name != "engine"
    )
    assert engine >= 0.95
    assert engine - best_baseline >= 0.05


def test_text_without_diacritics_costs_little(report: dict[str, Any]) -> None:
    """Records written without diacritics stay within 0.02 of the rest, and so do the same
    needs with their marks removed."""
    engine = report["table"]["engine"]
    accented = engine["with diacritics"]["ndcg@10"]
    assert accented - engine["no_diacritics"]["ndcg@10"] <= 0.02
    assert accented - engine["diacritics folded"]["ndcg@10"] <= 0.02


def test_threshold_separates_unmet_demand(report: dict[str, Any]) -> None:
    threshold = report["threshold"]
    assert threshold["unmet_below"] == threshold["unmet_total"] > 0
    assert threshold["met_above"] == threshold["met_total"]
