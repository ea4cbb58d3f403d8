"""Policies, the registry and replica placement."""

from __future__ import annotations

import numpy as np
import pytest
from ops_cases import ECLIPSE_ENV, ECLIPSE_JOB, ECLIPSE_NODE

from skydc.operations.engine import simulate
from skydc.operations.scheduler import (
    Policy,
    get_policy,
    greedy_throttle,
    place_replicas,
    policy_names,
    register_policy,
    sustainable_throttle,
)


def test_first_fit_fills_nodes_in_order() -> None:
    out = place_replicas([16, 8, 24, 0], 8, 4, [2, 0, 1, 3])
    np.testing.assert_array_equal(out, [1, 0, 3, 0])


def test_spread_is_round_robin_in_order() -> None:
    """7 replicas over capacities (3, 1, 3, 3) in order 0..3: levels 2, 1, 2, 2 = 7."""
    out = place_replicas([24, 8, 24, 24], 8, 7, [0, 1, 2, 3], spread=True)
    np.testing.assert_array_equal(out, [2, 1, 2, 2])
    out = place_replicas([24, 8, 24, 24], 8, 5, [3, 2, 1, 0], spread=True)
    np.testing.assert_array_equal(out, [1, 1, 1, 2])


def test_placement_all_and_too_many() -> None:
    np.testing.assert_array_equal(place_replicas([17, 9], 4, None, [0, 1]), [4, 2])
    assert place_replicas([17, 9], 4, 7, [0, 1]) is None
    assert place_replicas([17, 9], 4, 6, [1]) is None  # node 0 not in the order


def test_sustainable_throttle_by_hand() -> None:
    """One 2000 s eclipse, no array: (1.8 MJ - 200 W x 2000 s) / (1000 W x 2000 s) = 0.7."""
    assert sustainable_throttle(1.8e6 - 200.0 * 2000.0, 2000.0, 1000.0) == 0.7
    assert greedy_throttle(0.0, 1.0, 1.0) == 1.0


def test_registry_names_and_errors() -> None:
    assert {"greedy", "power-aware"} <= set(policy_names())
    assert get_policy("greedy").hold_at_min_charge is False
    policy = get_policy("power-aware")
    assert get_policy(policy) is policy
    with pytest.raises(ValueError, match="unknown scheduling policy 'nope'; allowed: "):
        get_policy("nope")
    with pytest.raises(ValueError, match="needs an skydc"):
        register_policy("greedy")  # type: ignore[arg-type]


def test_a_custom_policy_plugs_in() -> None:
    """A policy throttling to 0.5 in any power deficit: the eclipse (1000-3000 s) does 1000 s
    of full-rate work instead of 2000 s at 700 W (1.4 MJ < 1.8 MJ, no stop), so the 5000 s
    job ends at 5000 + 1000 = 6000 s. In sunlight the array carries the full load and the
    node runs at its thermal limit whatever the policy."""
    half = Policy(
        "half",
        "always half",
        lambda *args: 0.5,
        hold_at_min_charge=True,
        node_order=lambda sun: np.arange(sun.size),
    )
    register_policy(half)
    assert "half" in policy_names()
    result = simulate([ECLIPSE_NODE], ECLIPSE_ENV, [ECLIPSE_JOB], policy="half")
    assert result.training[0].completion_s == pytest.approx(6000.0)
