"""The batched inference model against the event-level simulation (the reference).

``inference_model="batched"`` serves the requests of each interval at once as a queueing model
(ordered hunt with Erlang-B overflow, Erlang-C waits, a fluid backlog past saturation). It is an
approximation of the event path, checked here on small cases with stated tolerances:

* throughput (completed requests): 1 % (the two draw different Poisson streams: ~0.2 % noise);
* latency p50 and p90: 6 %; p99: 12 %; mean: 3 % (the M/D/c wait is approximated);
* energy per token: 1 %; IT energy of the run: 1e-9 (inference does not change the power draw).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from ops_cases import mixed_workloads, orbiting_fleet
from scipy import stats

from skydc.operations._inference_batched import LatencyMixture, erlang_b, erlang_c
from skydc.operations.engine import simulate
from skydc.operations.faults import FaultModel
from skydc.operations.workloads import InferenceService


def _service(rate: float, replicas: int, candidates: int) -> InferenceService:
    return InferenceService(
        "chat",
        parameters=7e9,
        arrival_rate_per_s=(rate, rate / 2),
        tokens_in=500,
        tokens_out=200,
        tensor_parallel=1,
        replicas=replicas,
        candidates=candidates,
    )


def _close(batched: float, event: float, rel: float) -> None:
    assert batched == pytest.approx(event, rel=rel), (batched, event)


def _compare(event, batched, p99_rel: float = 0.12) -> None:  # type: ignore[no-untyped-def]
    e, b = event.inference[0], batched.inference[0]
    _close(b.completed, e.completed, 0.01)
    _close(b.latency_p50_s, e.latency_p50_s, 0.06)
    _close(b.latency_p90_s, e.latency_p90_s, 0.06)
    _close(b.latency_p99_s, e.latency_p99_s, p99_rel)
    _close(b.latency_mean_s, e.latency_mean_s, 0.03)
    _close(b.energy_per_token_j, e.energy_per_token_j, 0.01)
    _close(batched.it_energy_j, event.it_energy_j, 1e-9)
    assert batched.ledger.balanced and event.ledger.balanced


def test_batched_matches_event_under_load() -> None:
    """Two regions sharing two single-replica nodes at ~55 % load, through eclipses: the
    requests queue (p99 is 1.6x p50 in the event run)."""
    nodes, env = orbiting_fleet(6, 7200.0)
    svc = _service(30.0, replicas=2, candidates=2)
    event = simulate(nodes, env, [svc], seed=1, inference_model="event")
    batched = simulate(nodes, env, [svc], seed=1, inference_model="batched")
    assert event.inference[0].latency_p99_s > 1.5 * event.inference[0].latency_p50_s
    _compare(event, batched)


def test_batched_matches_event_with_training_faults_and_eclipses() -> None:
    """Earth observation, training and inference on six orbiting nodes, with device faults:
    the same answers and a balanced ledger; faults reach the inference service."""
    nodes, env = orbiting_fleet(6, 6 * 3600.0)
    faults = FaultModel(sdc_per_device_day=20.0, ue_per_device_day=20.0)
    work = [*mixed_workloads()[:2], _service(20.0, replicas=12, candidates=3)]
    event = simulate(nodes, env, work, seed=3, faults=faults, inference_model="event")
    batched = simulate(nodes, env, work, seed=3, faults=faults, inference_model="batched")
    _compare(event, batched)
    assert batched.training == event.training  # training does not see the inference model
    svc = batched.inference[0]
    assert svc.arrivals == svc.completed + svc.rejected + svc.in_system
    assert svc.latency_s.size == 0  # no per-request record: memory does not grow with them


def test_batched_is_seeded() -> None:
    nodes, env = orbiting_fleet(4, 3600.0)
    work = [_service(5.0, replicas=4, candidates=2)]
    a = simulate(nodes, env, work, seed=7, inference_model="batched")
    b = simulate(nodes, env, work, seed=7, inference_model="batched")
    c = simulate(nodes, env, work, seed=8, inference_model="batched")
    assert repr(a.inference) == repr(b.inference)
    assert a.inference[0].arrivals != c.inference[0].arrivals


def test_unknown_inference_model() -> None:
    nodes, env = orbiting_fleet(2, 600.0)
    with pytest.raises(ValueError, match="unknown inference_model 'fluid'"):
        simulate(nodes, env, [_service(1.0, 2, 1)], inference_model="fluid")


@pytest.mark.parametrize("servers", [1, 2, 5, 20, 100])
@pytest.mark.parametrize("offered", [0.01, 0.5, 3.0, 15.0])
def test_erlang_b_against_poisson_ratio(servers: int, offered: float) -> None:
    """Erlang B = Poisson pmf(c) / cdf(c) (the truncated Poisson; scipy.stats as reference)."""
    ref = stats.poisson.pmf(servers, offered) / stats.poisson.cdf(servers, offered)
    assert erlang_b(servers, offered) == pytest.approx(ref, rel=1e-9, abs=1e-15)


def test_erlang_c_known_values() -> None:
    assert erlang_c(1, 0.6) == pytest.approx(0.6)  # M/M/1: P(wait) = rho
    # M/M/2 at A = 1: C = 2 A^2 / (2 + A)... = 1/3 (Kleinrock 1975, eq. 3.40)
    assert erlang_c(2, 1.0) == pytest.approx(1.0 / 3.0)
    assert erlang_c(3, 3.0) == 1.0


def test_latency_mixture_quantiles() -> None:
    mix = LatencyMixture()
    mix.add(1.0, 1.0, 2.0)  # 1 s + Exp(mean 2 s)
    q = np.array([0.5, 0.9, 0.99])
    np.testing.assert_allclose(mix.quantiles(q), 1.0 - 2.0 * np.log1p(-q), rtol=1e-9)
    assert mix.mean() == pytest.approx(3.0)
    points = LatencyMixture()
    points.add(0.1, 3.0)
    points.add(0.2, 1.0)
    np.testing.assert_allclose(points.quantiles(np.array([0.5, 0.8])), [0.1, 0.2])
    assert math.isnan(LatencyMixture().mean())
