"""Inference service time against published measurements: prefill compute-bound, decode
bound by HBM bandwidth, batched decode amortising the weight reads.

References (measured on H100 SXM, fp8, the accelerator data of ``accelerators.toml``):

* NVIDIA NIM for LLMs benchmarking guide, "Performance", Llama-3.3-70b-instruct, NIM 1.8.0,
  2 x H100 80GB, fp8, TP2 (docs.nvidia.com/nim/benchmarking/llm/latest/performance):
  5000 in / 500 out at concurrency 1: TTFT 406.77 ms, inter-token latency 18.58 ms; at
  concurrency 250: 920.12 output tokens/s. 500 in / 2000 out at concurrency 1: TTFT 47.77 ms,
  ITL 18.91 ms.
* NVIDIA TensorRT-LLM ``docs/source/performance.md`` (v0.6.1 data), H100 FP8, LLaMA 70B,
  batch 96, TP2, 2048 in / 128 out: 306 output tokens/s per GPU.

Model: Llama 3.3 70B and Llama 2 70B, 80 layers, 8 KV heads of 128 (grouped-query attention);
fp8 weights (1 B/param) and fp8 KV cache: 2 x 80 x 8 x 128 x 1 B = 163,840 B per token.

Tolerances. The prefill and the compute-bound batch are FLOPs over sustained FLOP/s with the
default MFU 0.40 (a training figure, not fitted to these runs): within 25 %. Decode at small
batch is a roofline, a lower bound on the step time: it leaves out the tensor-parallel
all-reduce of every layer and kernel launches, so the measured step must be slower than the
model, by less than 1.5x.
"""

from __future__ import annotations

import dataclasses
import tomllib
from importlib.resources import files

import numpy as np
import pytest
from ops_cases import orbiting_fleet

from skydc.operations.engine import simulate
from skydc.operations.nodes import Environment, NodeSpec
from skydc.operations.workloads import (
    InferenceService,
    decode_step_time_s,
    inference_service_time_s,
    prefill_time_s,
)
from skydc.spacecraft.payload import get_accelerator

QUARTER = 0.25  # relative tolerance of compute-bound figures
ROOFLINE_FACTOR = 1.5  # measured / roofline step time, at most
KV_FP8_70B = 2 * 80 * 8 * 128 * 1.0  # B per token
MFU = 0.40

H100 = get_accelerator("h100-sxm")
H100_FP8 = H100.peak_ops_per_s("fp8")
_CATALOG = tomllib.loads((files("skydc") / "data" / "accelerators.toml").read_text("utf-8"))
H100_HBM = float(_CATALOG["accelerators"]["h100-sxm"]["memory_bandwidth_gb_s"]) * 1e9


def _llama70b(tokens_in: int, tokens_out: int, batch: int, params: float = 70.6e9):
    return InferenceService(
        "llama-70b",
        parameters=params,
        arrival_rate_per_s=1.0,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        tensor_parallel=2,
        weight_bytes_per_param=1.0,
        kv_bytes_per_token=KV_FP8_70B,
        max_batch=batch,
    )


def _rates(tp: int) -> tuple[float, float]:
    svc = _llama70b(1, 1, 1)
    return tp * H100_FP8 * svc.compute_efficiency, tp * H100_HBM * svc.memory_bandwidth_efficiency


def test_catalog_has_h100_datasheet_bandwidth() -> None:
    """H100 SXM datasheet: 3.35 TB/s of HBM3 (the figure the decode bound reads)."""
    assert H100_HBM == pytest.approx(3.35e12)


@pytest.mark.parametrize(("tokens_in", "ttft_s"), [(5000, 0.40677), (500, 0.04777)])
def test_prefill_against_nim_time_to_first_token(tokens_in: int, ttft_s: float) -> None:
    """Prefill of a 70B model on 2 x H100 fp8 is compute-bound: 2 N x prompt / (F x MFU)."""
    flops, bw = _rates(2)
    t = float(prefill_time_s(2 * 70.6e9, 70.6e9, tokens_in, flops, bw))
    assert t == pytest.approx(ttft_s, rel=QUARTER)


@pytest.mark.parametrize(("context", "itl_s"), [(5250, 0.01858), (1500, 0.01891)])
def test_decode_step_against_nim_inter_token_latency(context: int, itl_s: float) -> None:
    """One decode step at batch 1 reads the 70.6 GB of fp8 weights from 2 x 3.35 TB/s HBM:
    a bandwidth-bound 13 ms, below NIM's measured 18.6-18.9 ms by less than 1.5x."""
    flops, bw = _rates(2)
    t = float(decode_step_time_s(2 * 70.6e9, 70.6e9, KV_FP8_70B, context, 1, flops, bw))
    compute = 2 * 70.6e9 / flops
    assert t > 10 * compute  # memory-bound, by far
    assert t <= itl_s <= ROOFLINE_FACTOR * t


def test_request_latency_at_concurrency_one_against_nim() -> None:
    """A 5000/500 request alone: TTFT + 499 x ITL = 9.68 s measured; the roofline model is
    below it by less than 1.5x (about 25x what a compute-only model gives)."""
    measured = 0.40677 + 499 * 0.01858
    svc = _llama70b(5000, 500, 1)
    model = svc.service_time_s(2 * H100_FP8, 2 * H100_HBM)
    assert model <= measured <= ROOFLINE_FACTOR * model
    compute_only = svc.request_flops / (2 * H100_FP8 * MFU)
    assert measured / compute_only > 15  # what the old model missed


def test_saturated_throughput_against_nim_concurrency_250() -> None:
    """250 requests of 5000/500 in flight: throughput is compute-bound, ~920 tokens/s."""
    svc = _llama70b(5000, 500, 250)
    d = svc.service_time_s(2 * H100_FP8, 2 * H100_HBM)
    tokens_per_s = svc.max_batch / d * svc.tokens_out
    assert tokens_per_s == pytest.approx(920.12, rel=QUARTER)


def test_batch_throughput_against_tensorrt_llm_table() -> None:
    """TensorRT-LLM v0.6.1, LLaMA 70B on 2 x H100 FP8, batch 96, 2048/128: 306 tok/s/GPU."""
    svc = _llama70b(2048, 128, 96, params=69e9)
    d = svc.service_time_s(2 * H100_FP8, 2 * H100_HBM)
    per_gpu = svc.max_batch / d * svc.tokens_out / 2
    assert per_gpu == pytest.approx(306.0, rel=QUARTER)


def test_batching_amortises_weight_reads() -> None:
    """Decode at batch 32 costs about what batch 1 does (the weights are read once per step),
    so throughput grows ~32x; it never passes the compute roofline F / (2 N (in + out))."""
    flops, bw = _rates(2)
    one = float(decode_step_time_s(2 * 70.6e9, 70.6e9, KV_FP8_70B, 600, 1, flops, bw))
    many = float(decode_step_time_s(2 * 70.6e9, 70.6e9, KV_FP8_70B, 600, 32, flops, bw))
    assert many < 1.1 * one
    batch = np.array([1, 8, 64, 512, 4096])
    d = inference_service_time_s(2 * 70.6e9, 70.6e9, KV_FP8_70B, 500, 250, batch, flops, bw)
    throughput = batch / d
    roofline = flops / (2 * 70.6e9 * 750)
    assert np.all(np.diff(throughput) >= -1e-12 * roofline)
    assert np.all(throughput <= roofline * (1 + 1e-12))
    assert throughput[0] < 0.05 * roofline  # batch 1: bandwidth-bound, far below
    assert throughput[-1] == pytest.approx(roofline, rel=1e-12)  # large batch: compute-bound


def test_compute_only_limit_is_the_flops_model() -> None:
    """Without a bandwidth figure (inf) at batch 1, the service time is FLOPs / (F x MFU)."""
    svc = _llama70b(500, 250, 1)
    assert svc.service_time_s(2 * H100_FP8) == pytest.approx(
        svc.request_flops / (2 * H100_FP8 * MFU), rel=1e-12
    )


def _hbm_fleet(n_node: int, horizon_s: float) -> tuple[list[NodeSpec], Environment]:
    nodes, env = orbiting_fleet(n_node, horizon_s)
    node = dataclasses.replace(
        nodes[0], memory_bandwidth_bytes_s=8 * 3.35e12, idle_power_fraction=0.3
    )
    return [node] * n_node, env


def _batched_service(rate: float) -> InferenceService:
    return InferenceService(
        "chat",
        parameters=7e9,
        arrival_rate_per_s=(rate, rate / 2),
        tokens_in=500,
        tokens_out=200,
        replicas=2,
        candidates=2,
        max_batch=4,
        kv_bytes_per_token=524_288.0,  # Llama-2-7B, bf16: 2 x 32 x 32 x 128 x 2 B
    )


def test_event_and_batched_agree_with_memory_bound_batched_decode() -> None:
    """Two replicas of 4 slots, memory-bound decode, ~55 % load through eclipses: the batched
    queueing model and the event path agree (tolerances of test_ops_batched.py); the
    percentiles come from the queue (p99 well above p50)."""
    nodes, env = _hbm_fleet(6, 7200.0)
    svc = _batched_service(2.4)
    event = simulate(nodes, env, [svc], seed=1, inference_model="event")
    batched = simulate(nodes, env, [svc], seed=1, inference_model="batched")
    e, b = event.inference[0], batched.inference[0]
    assert b.completed == pytest.approx(e.completed, rel=0.01)
    assert b.latency_p50_s == pytest.approx(e.latency_p50_s, rel=0.06)
    assert b.latency_p90_s == pytest.approx(e.latency_p90_s, rel=0.06)
    assert b.latency_p99_s == pytest.approx(e.latency_p99_s, rel=0.12)
    assert b.latency_mean_s == pytest.approx(e.latency_mean_s, rel=0.03)
    assert b.energy_per_token_j == pytest.approx(e.energy_per_token_j, rel=0.01)
    assert batched.it_energy_j == pytest.approx(event.it_energy_j, rel=1e-9)
    d = svc.service_time_s(nodes[0].accelerator_peak_flops, 3.35e12)
    assert e.latency_p50_s > d  # decode (1.2 s) dominates the latency, not the 27 ms of FLOPs
    assert e.latency_p50_s < e.latency_p90_s < e.latency_p99_s


@pytest.mark.parametrize("model", ["event", "batched"])
def test_it_energy_follows_utilisation(model: str) -> None:
    """Always-sunlit node: the service's accelerators draw ``idle + (1 - idle) rho`` of their
    power (Fan, Weber & Barroso 2007, ISCA, sec. 4.1), ``rho = lambda D / slots``."""
    horizon = 3600.0
    env = Environment.always_sunlit(1, horizon)
    node = dataclasses.replace(
        orbiting_fleet(1)[0][0], memory_bandwidth_bytes_s=8 * 3.35e12, idle_power_fraction=0.3
    )
    energies = []
    for rate in (0.5, 2.0):
        svc = dataclasses.replace(_batched_service(rate), arrival_rate_per_s=(rate,))
        res = simulate([node], env, [svc], seed=2, inference_model=model)
        d = svc.service_time_s(node.accelerator_peak_flops, 3.35e12)
        rho = rate * d / (svc.replicas * svc.max_batch)
        expected = svc.replicas * node.accelerator_it_power_w * (0.3 + 0.7 * rho) * horizon
        assert res.it_energy_j == pytest.approx(expected, rel=1e-9)
        energies.append(res.it_energy_j)
    assert energies[1] > 1.3 * energies[0]  # 4x the requests: 43 % more energy, not 4x
