"""Every cost default is a data entry with a source, a year and a sane range."""

from __future__ import annotations

import pytest

from skydc.economics.finance import cost_data, currency_label
from skydc.economics.ground import load_ground_costs
from skydc.economics.space import accelerator_price_names, load_space_costs
from skydc.spacecraft.payload import load_accelerators


def _entries():
    yield from load_space_costs().values()
    yield from load_ground_costs().values()


@pytest.mark.parametrize("entry", list(_entries()), ids=lambda e: e.name)
def test_entry_has_source_year_and_range(entry):
    assert entry.source.strip()
    assert 2000 <= entry.year <= 2026
    assert entry.low <= entry.value <= entry.high
    assert entry.value >= 0.0
    if entry.estimated:
        assert entry.notes or "estimate" in entry.source or "convention" in entry.source


def test_currency_is_stated():
    assert currency_label() == "USD 2024"


def test_every_accelerator_has_a_price():
    assert set(load_accelerators()) <= set(accelerator_price_names())


def test_subsystem_prices_cover_the_budget_mass_lines():
    from skydc.spacecraft.budget import MASS_LINES

    priced = {k.split(".", 1)[1] for k in load_space_costs() if k.startswith("subsystem_")}
    assert set(MASS_LINES) <= priced


def test_price_paths_and_learning_models_are_sourced():
    raw = cost_data()
    for group in ("launch_learning", "launch_price_paths"):
        for name, table in raw[group].items():
            assert table["source"] and table["year"], name
