"""Structural components and their combination with the text score."""

from __future__ import annotations

import math

import pytest

from app.matching.engine import NeedRecord, OfferRecord, Weights
from app.matching.engine.components import (
    budget_score,
    combine,
    field_score,
    region_score,
    structural_components,
    transfer_score,
    trl_score,
    upper_bound,
)
from app.matching.engine.explain import component_notes


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("401", "401", 1.0),
        ("4", "401", 0.75),
        ("401", "4", 0.75),
        ("401", "402", 0.5),
        ("401", "201", 0.0),
        ("2", "4", 0.0),
        (None, "4", None),
        ("", "4", None),
    ],
)
def test_field_score(a: str | None, b: str | None, expected: float | None) -> None:
    assert field_score(a, b) == expected


@pytest.mark.parametrize(
    ("offer", "need", "expected"),
    [(6, 5, 1.0), (5, 5, 1.0), (4, 5, 0.75), (3, 5, 0.5), (1, 9, 0.0), (None, 5, None)],
)
def test_trl_score(offer: int | None, need: int | None, expected: float | None) -> None:
    assert trl_score(offer, need) == expected


def test_budget_score() -> None:
    assert budget_score(100, 300, 200) == 1.0
    assert budget_score(240, 300, 200) == pytest.approx(0.8)
    assert budget_score(None, 240, 200) == pytest.approx(0.8)
    assert budget_score(500, None, 200) == 0.0
    assert budget_score(None, None, 200) is None
    assert budget_score(100, 200, None) is None
    assert budget_score(0, 0, 0) == 1.0


def test_transfer_and_region() -> None:
    assert transfer_score(["licence", "assignment"], ["licence"]) == 1.0
    assert transfer_score(["assignment"], ["licence"]) == 0.0
    assert transfer_score([], ["licence"]) is None
    assert region_score("25", "25") == 1.0
    assert region_score("25", "01") == 0.0
    assert region_score(None, "01") is None


def test_combine_without_text_is_zero_whatever_the_structure() -> None:
    perfect = {"field": 1.0, "trl": 1.0, "budget": 1.0, "transfer": 1.0, "region": 1.0}
    assert combine(0.0, perfect, Weights()) == 0.0
    assert combine(0.9, perfect, Weights()) > combine(0.9, dict.fromkeys(perfect, 0.0), Weights())


def test_combine_is_the_logistic_model() -> None:
    weights = Weights()
    unknown = dict.fromkeys(("field", "trl", "budget", "transfer", "region"))
    z = weights.intercept + weights.text * 0.6
    assert combine(0.6, unknown, weights) == pytest.approx(1 / (1 + math.exp(-z)))
    only_field = {**unknown, "field": 1.0}
    z_field = z + weights.field * 0.5
    assert combine(0.6, only_field, weights) == pytest.approx(1 / (1 + math.exp(-z_field)))
    # Unknown is neutral: the same as a fit of 1/2.
    assert combine(0.6, {**unknown, "trl": 0.5}, weights) == combine(0.6, unknown, weights)


def test_text_dominates() -> None:
    perfect = {"field": 1.0, "trl": 1.0, "budget": 1.0, "transfer": 1.0, "region": 1.0}
    bad = dict.fromkeys(perfect, 0.0)
    assert combine(0.2, perfect, Weights()) < combine(0.5, bad, Weights())


def test_upper_bound_bounds_combine() -> None:
    weights = Weights()
    perfect = {"field": 1.0, "trl": 1.0, "budget": 1.0, "transfer": 1.0, "region": 1.0}
    for text in (0.0, 0.1, 0.3, 0.5, 0.9, 1.0):
        for components in (perfect, {**perfect, "budget": None}, dict.fromkeys(perfect)):
            assert combine(text, components, weights) <= upper_bound(text, weights) + 1e-12


def test_weights_validate() -> None:
    with pytest.raises(ValueError):
        Weights(text=0.0)
    with pytest.raises(ValueError):
        Weights(field=-1.0)


def test_notes_in_vietnamese() -> None:
    offer = OfferRecord(
        id="o",
        title="x",
        field_code="401",
        province_code="25",
        trl=4,
        price_min_vnd=240_000_000,
        transfer_forms=("licence", "assignment"),
    )
    need = NeedRecord(
        id="n",
        title="x",
        field_code="401",
        province_code="25",
        desired_trl_min=6,
        budget_max_vnd=200_000_000,
        transfer_forms=("licence",),
    )
    notes = component_notes(offer, need, structural_components(offer, need))
    assert "cùng lĩnh vực 401" in notes
    assert "mức sẵn sàng công nghệ TRL 4 < yêu cầu 6" in notes
    assert any(n.startswith("giá vượt ngân sách 20%") for n in notes)
    assert any(n.startswith("hình thức chuyển giao phù hợp: ") for n in notes)
    assert "cùng tỉnh/thành: 25" in notes
    cheap = OfferRecord(id="o", title="x", trl=6, price_max_vnd=100)
    notes = component_notes(cheap, need, structural_components(cheap, need))
    assert notes == ["mức sẵn sàng công nghệ TRL 6 ≥ yêu cầu 6", "giá trong ngân sách"]
